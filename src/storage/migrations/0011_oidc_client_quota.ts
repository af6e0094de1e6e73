// Frozen in time: this migration must never import application code.
// The storage quota an app is told for everyone who logs in to it (Nextcloud's `quota` claim).
import type { Kysely } from 'kysely';

type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('oidc_clients').addColumn('quota', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('oidc_clients').dropColumn('quota').execute();
}
