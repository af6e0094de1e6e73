// Frozen in time: this migration must never import application code.
// One-time links sent by mail (password reset, e-mail verification) and the verification date of e-mail addresses.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = pg ? 'serial' : 'integer';
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema.alterTable('person_emails').addColumn('verified_at', 'text').execute();

  await db.schema.createTable('account_mail_tokens')
    .addColumn('id', serial, id)
    .addColumn('kind', 'text', notNull)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('email', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('account_mail_tokens_account').on('account_mail_tokens').columns(['account_id', 'kind', 'created_at']).execute();
  await db.schema.createIndex('account_mail_tokens_email').on('account_mail_tokens').columns(['email', 'kind', 'created_at']).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('account_mail_tokens').execute();
  await db.schema.alterTable('person_emails').dropColumn('verified_at').execute();
}
