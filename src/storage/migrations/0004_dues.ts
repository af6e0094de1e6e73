// Frozen in time: this migration must never import application code.
// Allocations of bank movements to people and categories, IBANs known per person, categorisation rules.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = pg ? 'serial' : 'integer';
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema.createTable('allocations')
    .addColumn('id', serial, id)
    .addColumn('transaction_id', 'integer', (c) => c.notNull().references('bank_transactions.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('amount_cents', pg ? 'bigint' : 'integer', notNull)
    .addColumn('kind', 'text')
    .addColumn('category', 'text')
    .addColumn('fiscal_year', 'integer')
    .addColumn('status', 'text', notNull)
    .addColumn('matched_by', 'text', notNull)
    .addColumn('confidence', 'integer', notNull)
    .addColumn('reason_json', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema.createIndex('allocations_transaction').on('allocations').column('transaction_id').execute();
  await db.schema.createIndex('allocations_person_year').on('allocations').columns(['person_id', 'fiscal_year']).execute();
  await db.schema.createIndex('allocations_status').on('allocations').columns(['status', 'transaction_id']).execute();

  await db.schema.createTable('person_ibans')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('iban', 'text', notNull)
    .addColumn('source', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addPrimaryKeyConstraint('person_ibans_pk', ['person_id', 'iban'])
    .execute();
  await db.schema.createIndex('person_ibans_iban').on('person_ibans').column('iban').execute();

  await db.schema.createTable('category_rules')
    .addColumn('id', serial, id)
    .addColumn('pattern', 'text', notNull)
    .addColumn('direction', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('category', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ['category_rules', 'person_ibans', 'allocations']) await db.schema.dropTable(table).execute();
}
