// Frozen in time: this migration must never import application code.
// Drops the index on the movements' counterparty IBAN: no query reads movements by it (the matcher looks payers' IBANs
// up in person_ibans), and every imported movement paid for its upkeep.
import type { Kysely } from 'kysely';

type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.dropIndex('bank_transactions_iban').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.createIndex('bank_transactions_iban').on('bank_transactions').column('counterparty_iban').execute();
}
