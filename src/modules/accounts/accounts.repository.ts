import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { AccountsTable, SessionsTable } from './accounts.table.js';

/** Inserts an account and returns its id. */
export async function insertAccount(db: Db, row: Insertable<AccountsTable>): Promise<number> {
  const { id } = await db.insertInto('accounts').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Updates an account's columns. */
export async function updateAccount(db: Db, id: number, changes: Updateable<AccountsTable>): Promise<void> {
  await db.updateTable('accounts').set(changes).where('id', '=', id).execute();
}

/** One account by id. */
export async function selectAccountById(db: Db, id: number) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One account by (lower-cased) username. */
export async function selectAccountByUsername(db: Db, username: string) {
  return db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Accounts whose person has this e-mail address (for login by e-mail). */
export async function selectAccountsByEmail(db: Db, email: string) {
  return db
    .selectFrom('accounts')
    .innerJoin('person_emails', 'person_emails.person_id', 'accounts.person_id')
    .selectAll('accounts')
    .where('person_emails.email', '=', email)
    .execute();
}

/** Accounts (all, or the one with this id) with their person's display name, ordered by username. */
export async function selectAccounts(db: Db, id?: number) {
  let query = db
    .selectFrom('accounts')
    .leftJoin('people', 'people.id', 'accounts.person_id')
    .leftJoin('accounts as inviter', 'inviter.id', 'accounts.invited_by_account_id')
    .select(['accounts.id', 'accounts.username', 'accounts.person_id', 'accounts.disabled', 'accounts.locale',
      'accounts.created_at', 'accounts.last_login_at', 'people.display_name', 'accounts.invited_by_account_id', 'inviter.username as invited_by_username'])
    .orderBy('accounts.username');
  if (id !== undefined) query = query.where('accounts.id', '=', id);
  return query.execute();
}

/** Accounts belonging to a person, with the username of whoever invited them. */
export async function selectAccountsOfPerson(db: Db, personId: number) {
  return db
    .selectFrom('accounts')
    .leftJoin('accounts as inviter', 'inviter.id', 'accounts.invited_by_account_id')
    .select(['accounts.id', 'accounts.username', 'accounts.disabled', 'inviter.username as invited_by'])
    .where('accounts.person_id', '=', personId)
    .orderBy('accounts.id')
    .execute();
}

/** Number of accounts (zero means the setup link is still needed). */
export async function countAccounts(db: Db): Promise<number> {
  const row = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Role names of an account. */
export async function selectRoles(db: Db, accountId: number): Promise<string[]> {
  const rows = await db.selectFrom('account_roles').select('role').where('account_id', '=', accountId).orderBy('role').execute();
  return rows.map((r) => r.role);
}

/** Replaces the roles of an account. */
export async function replaceRoles(db: Db, accountId: number, roles: string[]): Promise<void> {
  await db.deleteFrom('account_roles').where('account_id', '=', accountId).execute();
  if (roles.length) {
    await db.insertInto('account_roles').values(roles.map((role) => ({ account_id: accountId, role }))).execute();
  }
}

/** Inserts an API token row. */
export async function insertToken(db: Db, row: { account_id: number; name: string; token_hash: string; created_at: string }) {
  const { id } = await db.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

// What a request needs of the account behind a session or token, read in the same query.
const ACCOUNT_OF_CREDENTIAL = ['accounts.id as account_id', 'accounts.username', 'accounts.person_id', 'accounts.locale'] as const;

/** A live token with its account, by the token's hash. */
export async function selectLiveTokenByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('accounts', 'accounts.id', 'api_tokens.account_id')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at as last_used', ...ACCOUNT_OF_CREDENTIAL])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('accounts.disabled', '=', 0)
    .executeTakeFirst();
}

/** Tokens of an account (never their value). */
export async function selectTokensOfAccount(db: Db, accountId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

/** Marks a token revoked. */
export async function revokeToken(db: Db, accountId: number, tokenId: number, at: string): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Records that a token was used. */
export async function touchToken(db: Db, tokenId: number, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

/** Inserts a session row. */
export async function insertSession(db: Db, row: Insertable<SessionsTable>) {
  await db.insertInto('sessions').values(row).execute();
}

/** A live session's account id, by the cookie's hash. */
export async function selectLiveSession(db: Db, idHash: string, now: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['sessions.last_seen_at', 'sessions.remember', ...ACCOUNT_OF_CREDENTIAL])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .where('accounts.disabled', '=', 0)
    .executeTakeFirst();
}

/** When a session was opened, by the cookie's hash. */
export async function selectSessionOpening(db: Db, idHash: string): Promise<string | undefined> {
  return (await db.selectFrom('sessions').select('created_at').where('id_hash', '=', idHash).executeTakeFirst())?.created_at;
}

/** Slides a session's expiry. */
export async function touchSession(db: Db, idHash: string, lastSeen: string, expires: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeen, expires_at: expires }).where('id_hash', '=', idHash).execute();
}

/** Ends one session. */
export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of an account (e.g. when it is disabled), or every one but the session whose hash is kept. */
export async function deleteSessionsOfAccount(db: Db, accountId: number, keepIdHash?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (keepIdHash !== undefined) query = query.where('id_hash', '<>', keepIdHash);
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

/** Removes expired sessions. */
export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
