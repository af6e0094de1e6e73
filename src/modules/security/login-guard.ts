// Brute-force protection for logins. Failures are counted per address and per login name, or, on a browser where
// the account logged in before, per that browser only: an attacker elsewhere can delay a person's login from new
// browsers for a quarter of an hour at a time, never shut them out of their own browser, and never for good.
import type { Actor } from '../../core/actor.js';
import { AppError, ValidationError } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { accountForLogin, authenticate } from '../accounts/accounts.service.js';
import { recordChange } from '../audit/audit.service.js';
import { deviceAfterLogin, readDevice } from './device-cookie.js';
import * as repo from './security.repository.js';

const MINUTE = 60_000;
/** Failures counted within this window; a lock lasts as long. */
export const LOGIN_WINDOW_MS = 15 * MINUTE;
/** Failures that lock a key, by kind of key. */
export const LOGIN_LIMITS = { ip: 20, login: 5, device: 10 } as const;

/** A login attempt as the login page (or the OIDC login) sees it. */
export interface LoginAttempt {
  login: string;
  password: string;
  ip: string;
  /** The trusted-browser cookie, if the browser sent one. */
  device?: string;
}

type Key = { key: string; limit: number };

/** Checks a login and password under the brute-force rules; returns the account and the browser's new device cookie. */
export async function attemptLogin(db: Db, secret: string, attempt: LoginAttempt, now = new Date()): Promise<{ accountId: number; device: string }> {
  const name = attempt.login.trim().toLowerCase();
  const device = readDevice(secret, attempt.device);
  const known = await accountForLogin(db, name);
  const trusted = device && known && device.accountIds.includes(known.id);
  const keys: Key[] = trusted
    ? [{ key: `device:${device.id}`, limit: LOGIN_LIMITS.device }]
    : [{ key: `ip:${attempt.ip}`, limit: LOGIN_LIMITS.ip }, { key: `login:${name}`, limit: LOGIN_LIMITS.login }];
  await refuseWhileLocked(db, keys, now);
  const accountId = await authenticate(db, name, attempt.password);
  const actor: Actor = { accountId: accountId ?? null, label: accountId ? name : `login from ${attempt.ip}` };
  if (accountId === null) {
    await countFailure(db, keys, now);
    await recordChange(db, actor, { action: 'auth.login_failed', entityType: known ? 'account' : 'login', entityId: known?.id ?? name, after: { ip: attempt.ip } });
    throw new ValidationError({ _: 'auth.failed' });
  }
  await repo.deleteThrottles(db, keys.filter((k) => !k.key.startsWith('ip:')).map((k) => k.key));
  await recordChange(db, actor, { action: 'auth.login', entityType: 'account', entityId: accountId, after: { ip: attempt.ip } });
  return { accountId, device: deviceAfterLogin(secret, device, accountId) };
}

async function refuseWhileLocked(db: Db, keys: Key[], now: Date): Promise<void> {
  const locks = (await repo.selectThrottles(db, keys.map((k) => k.key)))
    .map((row) => (row.locked_until ? Date.parse(row.locked_until) : 0)).filter((until) => until > now.getTime());
  if (!locks.length) return;
  const minutes = Math.ceil((Math.max(...locks) - now.getTime()) / MINUTE);
  throw new AppError(429, 'login_locked', 'security.login_locked', { minutes });
}

async function countFailure(db: Db, keys: Key[], now: Date): Promise<void> {
  const rows = new Map((await repo.selectThrottles(db, keys.map((k) => k.key))).map((row) => [row.key, row]));
  for (const { key, limit } of keys) {
    const row = rows.get(key);
    const fresh = !row || now.getTime() - Date.parse(row.window_started_at) > LOGIN_WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const lockedUntil = failures >= limit ? new Date(now.getTime() + LOGIN_WINDOW_MS).toISOString() : null;
    await repo.upsertThrottle(db, { key, failures, window_started_at: fresh ? now.toISOString() : row.window_started_at, locked_until: lockedUntil });
  }
}

/** Forgets counters whose window and lock are over (hourly housekeeping). */
export async function purgeLoginThrottles(db: Db, now = new Date()): Promise<void> {
  await repo.deleteStaleThrottles(db, new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString(), now.toISOString());
}
