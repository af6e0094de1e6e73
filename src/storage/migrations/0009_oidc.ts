// Frozen in time: this migration must never import application code.
// OpenID Connect provider: what the library stores (sessions, grants, codes, tokens...), signing keys, registered clients.
import { type ColumnDefinitionBuilder, type Kysely } from 'kysely';

type Db = Kysely<any>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Db): Promise<void> {
  await db.schema.createTable('oidc_payloads')
    .addColumn('model', 'text', notNull)
    .addColumn('id', 'text', notNull)
    .addColumn('payload', 'text', notNull)
    .addColumn('grant_id', 'text')
    .addColumn('uid', 'text')
    .addColumn('user_code', 'text')
    .addColumn('account_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('consumed_at', 'text')
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
  await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').columns(['model', 'uid']).execute();
  await db.schema.createIndex('oidc_payloads_user_code').on('oidc_payloads').columns(['model', 'user_code']).execute();
  await db.schema.createIndex('oidc_payloads_account').on('oidc_payloads').columns(['account_id', 'model']).execute();
  await db.schema.createIndex('oidc_payloads_client').on('oidc_payloads').column('client_id').execute();
  await db.schema.createIndex('oidc_payloads_expires').on('oidc_payloads').column('expires_at').execute();

  await db.schema.createTable('oidc_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('jwk', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .addColumn('retired_at', 'text')
    .addColumn('drop_after', 'text')
    .execute();

  await db.schema.createTable('oidc_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', notNull)
    .addColumn('secret_hash', 'text')
    .addColumn('redirect_uris', 'text', notNull)
    .addColumn('post_logout_redirect_uris', 'text', notNull)
    .addColumn('backchannel_logout_uri', 'text')
    .addColumn('public', 'integer', notNull)
    .addColumn('first_party', 'integer', notNull)
    .addColumn('preset', 'text', notNull)
    .addColumn('allowed_groups', 'text', notNull)
    .addColumn('created_at', 'text', notNull)
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ['oidc_clients', 'oidc_keys', 'oidc_payloads']) await db.schema.dropTable(table).execute();
}
