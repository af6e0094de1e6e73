// Frozen in time: this migration must never import application code.
// Bank accounts (one per IBAN and currency: multi-currency accounts share an IBAN), imported statement files,
// statements and their movements (amounts in integer minor units).
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = pg ? 'serial' : 'integer';
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const money = pg ? 'bigint' : 'integer';

  await db.schema.createTable('bank_accounts')
    .addColumn('id', serial, id)
    .addColumn('iban', 'text')
    .addColumn('number', 'text')
    .addColumn('bic', 'text')
    .addColumn('holder', 'text')
    .addColumn('currency', 'text', notNull)
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', notNull)
    .addUniqueConstraint('bank_accounts_iban_currency', ['iban', 'currency'])
    .execute();

  await db.schema.createTable('bank_imports')
    .addColumn('id', serial, id)
    .addColumn('filename', 'text', notNull)
    .addColumn('format', 'text', notNull)
    .addColumn('sha256', 'text', notNull)
    .addColumn('account_id', 'integer', (c) => c.references('bank_accounts.id'))
    .addColumn('imported_by', 'text', notNull)
    .addColumn('imported_at', 'text', notNull)
    .addColumn('summary_json', 'text', notNull)
    .execute();

  await db.schema.createTable('bank_statements')
    .addColumn('id', serial, id)
    .addColumn('bank_account_id', 'integer', (c) => c.notNull().references('bank_accounts.id'))
    .addColumn('import_id', 'integer', (c) => c.notNull().references('bank_imports.id'))
    .addColumn('statement_ref', 'text')
    .addColumn('statement_date', 'date')
    .addColumn('opening_cents', money)
    .addColumn('opening_date', 'date')
    .addColumn('closing_cents', money)
    .addColumn('closing_date', 'date')
    .addColumn('entries', 'integer', notNull)
    .addColumn('balance_ok', 'integer')
    .execute();
  await db.schema.createIndex('bank_statements_account').on('bank_statements').columns(['bank_account_id', 'statement_ref']).execute();

  await db.schema.createTable('bank_transactions')
    .addColumn('id', serial, id)
    .addColumn('bank_account_id', 'integer', (c) => c.notNull().references('bank_accounts.id'))
    .addColumn('statement_id', 'integer', (c) => c.references('bank_statements.id'))
    .addColumn('import_id', 'integer', (c) => c.notNull().references('bank_imports.id'))
    .addColumn('identity', 'text', notNull)
    .addColumn('booking_date', 'date', notNull)
    .addColumn('value_date', 'date')
    .addColumn('amount_cents', money, notNull)
    .addColumn('currency', 'text', notNull)
    .addColumn('counterparty_name', 'text')
    .addColumn('counterparty_iban', 'text')
    .addColumn('counterparty_account', 'text')
    .addColumn('counterparty_bic', 'text')
    .addColumn('structured_ref', 'text')
    .addColumn('communication', 'text')
    .addColumn('bank_ref', 'text')
    .addColumn('end_to_end_id', 'text')
    .addColumn('tx_id', 'text')
    .addColumn('raw', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addUniqueConstraint('bank_transactions_identity', ['bank_account_id', 'identity'])
    .execute();
  await db.schema.createIndex('bank_transactions_date').on('bank_transactions').columns(['booking_date', 'id']).execute();
  await db.schema.createIndex('bank_transactions_iban').on('bank_transactions').column('counterparty_iban').execute();

  await db.schema.createTable('bank_csv_profiles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('profile_json', 'text', notNull)
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ['bank_csv_profiles', 'bank_transactions', 'bank_statements', 'bank_imports', 'bank_accounts']) {
    await db.schema.dropTable(table).execute();
  }
}
