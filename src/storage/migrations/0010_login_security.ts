// Frozen in time: this migration must never import application code.
// Where and with what browser each session was opened; failed-login counters for brute-force protection.
import { type ColumnDefinitionBuilder, type Kysely } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('ip', 'text').execute();

  await db.schema.createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', notNull)
    .addColumn('window_started_at', 'text', notNull)
    .addColumn('locked_until', 'text')
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
  await db.schema.alterTable('sessions').dropColumn('ip').execute();
  await db.schema.alterTable('sessions').dropColumn('user_agent').execute();
}
