// Frozen in time: this migration must never import application code.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function id(db: Db) {
  return isPostgres(db)
    ? (c: ColumnDefinitionBuilder) => c.primaryKey()
    : (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement();
}

export async function up(db: Db): Promise<void> {
  const serial = isPostgres(db) ? 'serial' : 'integer';
  await db.schema.createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', notNull)
    .execute();

  await db.schema.createTable('people')
    .addColumn('id', serial, id(db))
    .addColumn('kind', 'text', notNull)
    .addColumn('display_name', 'text', notNull)
    .addColumn('sort_name', 'text')
    .addColumn('sort_key', 'text', notNull)
    .addColumn('search_text', 'text', notNull)
    .addColumn('street', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text')
    .addColumn('phone', 'text')
    .addColumn('language', 'text')
    .addColumn('notes', 'text')
    .addColumn('joined_on', 'date')
    .addColumn('left_on', 'date')
    .addColumn('left_reason', 'text')
    .addColumn('created_at', 'text', notNull)
    .addColumn('updated_at', 'text', notNull)
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('people_live_sort').on('people').columns(['sort_key', 'id'])
    .where(sql.ref('deleted_at'), 'is', null).execute();
  await db.schema.createIndex('people_deleted').on('people').column('deleted_at').execute();

  await db.schema.createTable('person_emails')
    .addColumn('id', serial, id(db))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('email', 'text', notNull)
    .addColumn('position', 'integer', notNull)
    .execute();
  await db.schema.createIndex('person_emails_person').on('person_emails').column('person_id').execute();
  await db.schema.createIndex('person_emails_email').on('person_emails').column('email').execute();

  await db.schema.createTable('person_tags')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('tag', 'text', notNull)
    .addPrimaryKeyConstraint('person_tags_pk', ['person_id', 'tag'])
    .execute();
  await db.schema.createIndex('person_tags_tag').on('person_tags').column('tag').execute();

  await db.schema.createTable('person_contacts')
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('role', 'text')
    .addPrimaryKeyConstraint('person_contacts_pk', ['organisation_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('person_contacts_contact').on('person_contacts').column('contact_id').execute();

  await db.schema.createTable('memberships')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('year', 'integer', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('effective', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_on', 'date', notNull)
    .addColumn('source', 'text', notNull)
    .addColumn('decision_ref', 'text')
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', notNull)
    .addPrimaryKeyConstraint('memberships_pk', ['person_id', 'year'])
    .execute();
  await db.schema.createIndex('memberships_year_status').on('memberships').columns(['year', 'status']).execute();

  await db.schema.createTable('accounts')
    .addColumn('id', serial, id(db))
    .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', notNull)
    .addColumn('locale', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', notNull)
    .addColumn('last_login_at', 'text')
    .execute();
  await db.schema.createIndex('accounts_person').on('accounts').column('person_id').execute();

  await db.schema.createTable('account_roles')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role', 'text', notNull)
    .addPrimaryKeyConstraint('account_roles_pk', ['account_id', 'role'])
    .execute();

  await db.schema.createTable('api_tokens')
    .addColumn('id', serial, id(db))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', notNull)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', notNull)
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema.createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', notNull)
    .addColumn('expires_at', 'text', notNull)
    .addColumn('last_seen_at', 'text', notNull)
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

  await db.schema.createTable('audit_log')
    .addColumn('id', serial, id(db))
    .addColumn('at', 'text', notNull)
    .addColumn('actor_account_id', 'integer')
    .addColumn('actor_label', 'text', notNull)
    .addColumn('action', 'text', notNull)
    .addColumn('entity_type', 'text', notNull)
    .addColumn('entity_id', 'text', notNull)
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity_type', 'entity_id', 'id']).execute();

  await db.schema.createTable('uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('filename', 'text', notNull)
    .addColumn('content_base64', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ['uploads', 'audit_log', 'sessions', 'api_tokens', 'account_roles', 'accounts', 'memberships',
    'person_contacts', 'person_tags', 'person_emails', 'people', 'settings']) {
    await db.schema.dropTable(table).execute();
  }
}
