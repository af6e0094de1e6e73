// Frozen in time: this migration must never import application code.
// The review queue's index holds only the allocations waiting for review (a partial index), instead of every
// allocation by status: most allocations are made automatically and never looked up by status, yet each paid for an
// index entry when it was imported. Both databases use it for `status = $1` too: they plan with the bound value.
import { type Kysely, sql } from 'kysely';

type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('allocations_to_review').on('allocations').column('transaction_id').where(sql.ref('status'), '=', 'to_review').execute();
  await db.schema.dropIndex('allocations_status').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.createIndex('allocations_status').on('allocations').columns(['status', 'transaction_id']).execute();
  await db.schema.dropIndex('allocations_to_review').execute();
}
