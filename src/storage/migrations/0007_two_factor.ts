// Frozen in time: this migration must never import application code.
// Two-factor authentication (TOTP secrets, recovery codes, pending login second steps) and remember-me sessions.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = pg ? 'serial' : 'integer';
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const account = (c: ColumnDefinitionBuilder) => c.notNull().references('accounts.id').onDelete('cascade');

  // One TOTP secret per account, encrypted (AES-256-GCM); confirmed_at null while setup is not finished.
  await db.schema.createTable('account_totp')
    .addColumn('account_id', 'integer', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('secret_encrypted', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('confirmed_at', 'text')
    .addColumn('last_time_step', pg ? 'bigint' : 'integer')
    .execute();

  await db.schema.createTable('recovery_codes')
    .addColumn('id', serial, id)
    .addColumn('account_id', 'integer', account)
    .addColumn('code_hash', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_codes_account').on('recovery_codes').columns(['account_id', 'code_hash']).execute();

  // A login waiting for its second step: bound to the browser by a cookie whose SHA-256 is the key.
  await db.schema.createTable('login_challenges')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', account)
    .addColumn('remember', 'integer', notNull)
    .addColumn('next_path', 'text', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .execute();
  await db.schema.createIndex('login_challenges_expiry').on('login_challenges').column('expires_at').execute();

  // Sessions opened before this migration were long-lived cookies: they keep being remembered.
  await db.schema.alterTable('sessions').addColumn('remember', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('remember').execute();
  for (const table of ['login_challenges', 'recovery_codes', 'account_totp']) await db.schema.dropTable(table).execute();
}
