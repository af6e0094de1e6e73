import type { Insertable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { LoginChallengesTable } from './two-factor.table.js';

/** An account's TOTP row (confirmed or still being set up). */
export async function selectTotp(db: Db, accountId: number) {
  return db.selectFrom('account_totp').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** Stores a new, unconfirmed TOTP secret for an account, replacing an unfinished one. */
export async function replacePendingTotp(db: Db, accountId: number, secretEncrypted: string, at: string): Promise<void> {
  await db.deleteFrom('account_totp').where('account_id', '=', accountId).where('confirmed_at', 'is', null).execute();
  await db.insertInto('account_totp').values({ account_id: accountId, secret_encrypted: secretEncrypted, created_at: at, confirmed_at: null, last_time_step: null }).execute();
}

/** Marks the secret confirmed (two-factor on), remembering the time step used. */
export async function confirmTotp(db: Db, accountId: number, at: string, timeStep: number): Promise<number> {
  const result = await db.updateTable('account_totp').set({ confirmed_at: at, last_time_step: timeStep })
    .where('account_id', '=', accountId).where('confirmed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Accepts a time step only if it is later than the last one accepted (one row updated), so a code works once. */
export async function advanceTimeStep(db: Db, accountId: number, timeStep: number): Promise<boolean> {
  const result = await db.updateTable('account_totp').set({ last_time_step: timeStep })
    .where('account_id', '=', accountId)
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', timeStep)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes an account's TOTP secret, recovery codes and pending logins; returns true when a secret was removed. */
export async function deleteTwoFactor(db: Db, accountId: number): Promise<boolean> {
  const result = await db.deleteFrom('account_totp').where('account_id', '=', accountId).executeTakeFirst();
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await db.deleteFrom('login_challenges').where('account_id', '=', accountId).execute();
  return Number(result.numDeletedRows) > 0;
}

/** Replaces all recovery codes of an account by these hashes. */
export async function replaceRecoveryCodes(db: Db, accountId: number, hashes: string[], at: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await db.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, created_at: at, used_at: null }))).execute();
}

/** Marks an unused recovery code used; true when it was there and unused (exactly one row changed). */
export async function useRecoveryCode(db: Db, accountId: number, codeHash: string, at: string): Promise<boolean> {
  const result = await db.updateTable('recovery_codes').set({ used_at: at })
    .where('account_id', '=', accountId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Number of recovery codes an account has left. */
export async function countUnusedRecoveryCodes(db: Db, accountId: number): Promise<number> {
  const row = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a pending login second step. */
export async function insertChallenge(db: Db, row: Insertable<LoginChallengesTable>): Promise<void> {
  await db.insertInto('login_challenges').values(row).execute();
}

/** A live pending login by its cookie's hash. */
export async function selectLiveChallenge(db: Db, idHash: string, now: string) {
  return db.selectFrom('login_challenges').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
}

/** Counts one more wrong code on a pending login; returns the new count. */
export async function countChallengeAttempt(db: Db, idHash: string): Promise<number> {
  await db.updateTable('login_challenges').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id_hash', '=', idHash).execute();
  const row = await db.selectFrom('login_challenges').select('attempts').where('id_hash', '=', idHash).executeTakeFirst();
  return row?.attempts ?? Number.MAX_SAFE_INTEGER;
}

/** Ends a pending login; true when this call removed it (so two requests cannot both finish it). */
export async function deleteChallenge(db: Db, idHash: string): Promise<boolean> {
  const result = await db.deleteFrom('login_challenges').where('id_hash', '=', idHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Removes expired pending logins. */
export async function deleteExpiredChallenges(db: Db, now: string): Promise<void> {
  await db.deleteFrom('login_challenges').where('expires_at', '<=', now).execute();
}
