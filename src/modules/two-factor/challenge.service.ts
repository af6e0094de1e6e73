import { nowIso } from '../../core/clock.js';
import { randomToken, sha256 } from '../../core/tokens.js';
import type { Db } from '../../storage/database.js';
import { getAccount } from '../accounts/accounts.service.js';
import * as repo from './two-factor.repository.js';
import { verifySecondFactor } from './two-factor.service.js';

/** How long a login may wait for its second step. */
export const CHALLENGE_SECONDS = 300;
/** Wrong codes allowed on one pending login before it ends (the password must then be typed again). */
export const CHALLENGE_MAX_ATTEMPTS = 5;

/** What the login continues with once the second step is passed. */
export interface PendingLogin {
  accountId: number;
  remember: boolean;
  next: string;
}

/** The outcome of a second step: passed (with the pending login), a wrong code, too many wrong codes, or no live pending login. */
export type ChallengeOutcome = { status: 'passed'; login: PendingLogin } | { status: 'wrong' } | { status: 'exhausted' } | { status: 'expired' };

/** Records a login waiting for its second step; returns the value for the browser's cookie (only its hash is kept). */
export async function startChallenge(db: Db, login: PendingLogin): Promise<string> {
  const value = randomToken(32);
  const now = new Date();
  await repo.insertChallenge(db, {
    id_hash: sha256(value), account_id: login.accountId, remember: login.remember ? 1 : 0, next_path: login.next,
    created_at: now.toISOString(), expires_at: new Date(now.getTime() + CHALLENGE_SECONDS * 1000).toISOString(),
  });
  return value;
}

/** True while the cookie names a pending login that has not expired. */
export async function challengeIsLive(db: Db, cookie: string | undefined): Promise<boolean> {
  return !!cookie && !!(await repo.selectLiveChallenge(db, sha256(cookie), nowIso()));
}

/** Where a live pending login continues once passed (its `next` path), or null when there is none. */
export async function pendingLoginNext(db: Db, cookie: string | undefined): Promise<string | null> {
  return cookie ? ((await repo.selectLiveChallenge(db, sha256(cookie), nowIso()))?.next_path ?? null) : null;
}

/** Checks the code of a pending login; a pass ends the challenge, too many wrong codes end it too. */
export async function answerChallenge(db: Db, appSecret: string, cookie: string | undefined, code: string): Promise<ChallengeOutcome> {
  if (!cookie) return { status: 'expired' };
  const idHash = sha256(cookie);
  const row = await repo.selectLiveChallenge(db, idHash, nowIso());
  if (!row) return { status: 'expired' };
  const account = await getAccount(db, row.account_id).catch(() => null);
  if (!account || account.disabled) {
    await repo.deleteChallenge(db, idHash);
    return { status: 'expired' };
  }
  const actor = { accountId: account.id, label: account.username };
  if (await verifySecondFactor(db, appSecret, actor, row.account_id, code)) {
    if (!(await repo.deleteChallenge(db, idHash))) return { status: 'expired' };
    return { status: 'passed', login: { accountId: row.account_id, remember: row.remember === 1, next: row.next_path } };
  }
  if ((await repo.countChallengeAttempt(db, idHash)) >= CHALLENGE_MAX_ATTEMPTS) {
    await repo.deleteChallenge(db, idHash);
    return { status: 'exhausted' };
  }
  return { status: 'wrong' };
}

/** Removes a pending login (the person cancels, or logs in again). */
export async function dropChallenge(db: Db, cookie: string): Promise<void> {
  await repo.deleteChallenge(db, sha256(cookie));
}

/** Removes expired pending logins (scheduled housekeeping). */
export async function purgeExpiredChallenges(db: Db): Promise<void> {
  await repo.deleteExpiredChallenges(db, nowIso());
}
