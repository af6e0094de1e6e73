import type { Insertable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { OidcClientsTable, OidcKeysTable, OidcPayloadsTable } from './oidc.table.js';

// ---- payloads of oidc-provider's models

/** Inserts or replaces one stored model instance. */
export async function upsertPayload(db: Db, row: Insertable<OidcPayloadsTable>): Promise<void> {
  const { model: _m, id: _i, ...changes } = row;
  await db.insertInto('oidc_payloads').values(row)
    .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(changes))
    .execute();
}

/** One stored instance, expired or not (the caller checks). */
export async function selectPayload(db: Db, model: string, id: string) {
  return db.selectFrom('oidc_payloads').select(['payload', 'expires_at', 'consumed_at'])
    .where('model', '=', model).where('id', '=', id).executeTakeFirst();
}

/** One stored instance found by a secondary key (uid or user code). */
export async function selectPayloadBy(db: Db, model: string, column: 'uid' | 'user_code', value: string) {
  return db.selectFrom('oidc_payloads').select(['payload', 'expires_at', 'consumed_at'])
    .where('model', '=', model).where(column, '=', value).executeTakeFirst();
}

/** Marks an instance consumed (codes, rotated refresh tokens). */
export async function markPayloadConsumed(db: Db, model: string, id: string, at: string): Promise<void> {
  await db.updateTable('oidc_payloads').set({ consumed_at: at }).where('model', '=', model).where('id', '=', id).execute();
}

/** Removes one stored instance. */
export async function deletePayload(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
}

/** Removes the instances of one model issued under a grant (its codes, or its tokens). */
export async function deletePayloadsOfGrant(db: Db, model: string, grantId: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('model', '=', model).where('grant_id', '=', grantId).execute();
}

/** The live grants of an account (which app may act for the person, with which scopes), newest first. */
export async function selectGrantsOfAccount(db: Db, accountId: string, now: string) {
  return db.selectFrom('oidc_payloads').select(['id', 'client_id', 'payload', 'expires_at'])
    .where('model', '=', 'Grant').where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('id').execute();
}

/** One live grant of an account, or undefined (someone else's grant is not found). */
export async function selectGrantOfAccount(db: Db, accountId: string, grantId: string, now: string) {
  return db.selectFrom('oidc_payloads').select(['id', 'client_id', 'payload', 'expires_at'])
    .where('model', '=', 'Grant').where('id', '=', grantId).where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
}

/** Removes a grant and everything issued under it (codes, access and refresh tokens); returns how many rows went. */
export async function deleteGrantWithTokens(db: Db, grantId: string): Promise<number> {
  const tokens = await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).executeTakeFirst();
  const grant = await db.deleteFrom('oidc_payloads').where('model', '=', 'Grant').where('id', '=', grantId).executeTakeFirst();
  return Number(tokens.numDeletedRows) + Number(grant.numDeletedRows);
}

/** Removes instances of some models belonging to an account (sessions, grants, tokens of a suspended account). */
export async function deletePayloadsOfAccount(db: Db, accountId: string, models: string[]): Promise<number> {
  const result = await db.deleteFrom('oidc_payloads').where('account_id', '=', accountId).where('model', 'in', models).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes expired instances (housekeeping). */
export async function deleteExpiredPayloads(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- signing keys

/** Every stored signing key, newest first. */
export async function selectKeys(db: Db) {
  return db.selectFrom('oidc_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
}

/** Stores a new signing key. */
export async function insertKey(db: Db, row: Insertable<OidcKeysTable>): Promise<void> {
  await db.insertInto('oidc_keys').values(row).execute();
}

/** Replaces a key's stored material (sealing a key stored before sealing existed). */
export async function updateKeyMaterial(db: Db, kid: string, jwk: string): Promise<void> {
  await db.updateTable('oidc_keys').set({ jwk }).where('kid', '=', kid).execute();
}

/** Retires one key (it can no longer be opened), keeping its row until `dropAfter`. */
export async function retireKey(db: Db, kid: string, at: string, dropAfter: string): Promise<void> {
  await db.updateTable('oidc_keys').set({ retired_at: at, drop_after: dropAfter }).where('kid', '=', kid).execute();
}

/** Retires the keys still in use for signing, keeping them published until `dropAfter`. */
export async function retireActiveKeys(db: Db, at: string, dropAfter: string): Promise<void> {
  await db.updateTable('oidc_keys').set({ retired_at: at, drop_after: dropAfter }).where('retired_at', 'is', null).execute();
}

/** Drops retired keys whose tokens can no longer be valid. */
export async function deleteDroppedKeys(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('oidc_keys').where('drop_after', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- clients

/** Registers a client. */
export async function insertClient(db: Db, row: Insertable<OidcClientsTable>): Promise<void> {
  await db.insertInto('oidc_clients').values(row).execute();
}

/** One client, or undefined. */
export async function selectClient(db: Db, clientId: string) {
  return db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

/** Every client, by name. */
export async function selectClients(db: Db) {
  return db.selectFrom('oidc_clients').selectAll().orderBy('name').orderBy('client_id').execute();
}

/** Removes a client; returns how many rows went. */
export async function deleteClient(db: Db, clientId: string): Promise<number> {
  const result = await db.deleteFrom('oidc_clients').where('client_id', '=', clientId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes everything issued to a client (grants, codes, tokens). */
export async function deletePayloadsOfClient(db: Db, clientId: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('client_id', '=', clientId).where('model', '!=', 'Session').execute();
}

/** The stored provider sessions of an account (read before ending them, to tell the apps). */
export async function selectSessionsOfAccount(db: Db, accountId: string) {
  return db.selectFrom('oidc_payloads').select(['id', 'payload']).where('model', '=', 'Session').where('account_id', '=', accountId).execute();
}
