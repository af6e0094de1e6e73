import type { Db } from '../../storage/database.js';

/** The failure counters of some keys. */
export async function selectThrottles(db: Db, keys: string[]) {
  if (!keys.length) return [];
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

/** Writes a key's counter (insert or replace). */
export async function upsertThrottle(db: Db, row: { key: string; failures: number; window_started_at: string; locked_until: string | null }): Promise<void> {
  await db.insertInto('login_throttle').values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: row.failures, window_started_at: row.window_started_at, locked_until: row.locked_until }))
    .execute();
}

/** Forgets the counters of some keys (a successful login). */
export async function deleteThrottles(db: Db, keys: string[]): Promise<void> {
  if (keys.length) await db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}

/** Removes counters whose window and lock are both over (housekeeping). */
export async function deleteStaleThrottles(db: Db, windowStartedBefore: string, now: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('window_started_at', '<', windowStartedBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)])).execute();
}

/** The live sessions of an account, newest use first. */
export async function selectSessionsOfAccount(db: Db, accountId: number, now: string) {
  return db.selectFrom('sessions').select(['id_hash', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip'])
    .where('account_id', '=', accountId).where('expires_at', '>', now).orderBy('last_seen_at', 'desc').execute();
}

/** Ends an account's sessions whose hash starts with a public id; returns how many ended. */
export async function deleteSessionByPublicId(db: Db, accountId: number, publicId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('account_id', '=', accountId).where('id_hash', 'like', `${publicId}%`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
