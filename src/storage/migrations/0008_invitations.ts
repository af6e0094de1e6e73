// Frozen in time: this migration must never import application code.
// Invitations (sponsorship links), groups waiting for the groups module, self-registration requests, and who invited an account.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = pg ? 'serial' : 'integer';
  const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const account = (c: ColumnDefinitionBuilder) => c.references('accounts.id').onDelete('set null');

  await db.schema.createTable('invitations')
    .addColumn('id', serial, id)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by_account_id', 'integer', account)
    .addColumn('note', 'text')
    .addColumn('groups_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .addColumn('used_at', 'text')
    .addColumn('used_by_account_id', 'integer', account)
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('invitations_created_by').on('invitations').columns(['created_by_account_id', 'id']).execute();

  await db.schema.createTable('registration_requests')
    .addColumn('id', serial, id)
    .addColumn('username', 'text', notNull)
    .addColumn('email', 'text', notNull)
    .addColumn('display_name', 'text', notNull)
    .addColumn('password_hash', 'text')
    .addColumn('message', 'text')
    .addColumn('locale', 'text')
    .addColumn('status', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('decided_at', 'text')
    .addColumn('decided_by_account_id', 'integer', account)
    .addColumn('refusal_reason', 'text')
    .addColumn('account_id', 'integer', account)
    .execute();
  // At most one pending request per username and per e-mail address (the service says so first, the index holds under races).
  for (const column of ['username', 'email']) {
    await db.schema.createIndex(`registration_requests_pending_${column}`).on('registration_requests').column(column).unique()
      .where(sql.ref('status'), '=', sql.lit('pending')).execute();
  }
  await db.schema.createIndex('registration_requests_status').on('registration_requests').columns(['status', 'id']).execute();

  await db.schema.alterTable('accounts').addColumn('invited_by_account_id', 'integer', account).execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('invited_by_account_id').execute();
  for (const table of ['registration_requests', 'invitations']) await db.schema.dropTable(table).execute();
}
