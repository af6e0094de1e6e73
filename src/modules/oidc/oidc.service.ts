import { nowIso } from '../../core/clock.js';
import type { Db } from '../../storage/database.js';
import { type LogoutTarget, notifyLogout, targetsOfSession } from './backchannel.js';
import { dropExpiredKeys } from './keys.service.js';
import * as repo from './oidc.repository.js';

/** Removes what the provider stored and no longer needs (expired sessions, codes, tokens...) and retired keys past their time (hourly). */
export async function purgeOidcLeftovers(db: Db, now: Date = new Date()): Promise<{ payloads: number; keys: number }> {
  const payloads = await repo.deleteExpiredPayloads(db, nowIso(now));
  const keys = await dropExpiredKeys(db, now);
  return { payloads, keys };
}

/**
 * Ends the provider session a browser holds (its cookie value is the session id), so logging out of Ruche logs out of
 * the apps' SSO, and waits while the apps with a back-channel logout URI are told.
 */
export async function endOidcSession(db: Db, sessionId: string | undefined): Promise<void> {
  if (!sessionId) return;
  const stored = await repo.selectPayload(db, 'Session', sessionId);
  await repo.deletePayload(db, 'Session', sessionId);
  if (stored) await notifyLogout(db, targetsOfSession(stored.payload));
}

async function endSessionsOfAccount(db: Db, accountId: number): Promise<LogoutTarget[]> {
  const sessions = await repo.selectSessionsOfAccount(db, String(accountId));
  return sessions.flatMap((session) => targetsOfSession(session.payload));
}

/**
 * Ends every single sign-on session of an account, keeping its app grants (after a password reset): tokens tied to a
 * session stop, offline_access tokens go on. The apps are told in the background (the caller may hold a transaction).
 */
export async function endOidcSessionsOfAccount(db: Db, accountId: number): Promise<number> {
  const targets = await endSessionsOfAccount(db, accountId);
  const ended = await repo.deletePayloadsOfAccount(db, String(accountId), ['Session', 'Interaction']);
  void notifyLogout(db, targets);
  return ended;
}

/** Ends everything the provider holds for an account (sessions, grants, codes, tokens): a suspended account is out of every app at once. */
export async function endOidcOfAccount(db: Db, accountId: number): Promise<number> {
  const targets = await endSessionsOfAccount(db, accountId);
  const ended = await repo.deletePayloadsOfAccount(db, String(accountId), ['Session', 'Grant', 'AuthorizationCode', 'AccessToken', 'RefreshToken', 'Interaction']);
  void notifyLogout(db, targets);
  return ended;
}
