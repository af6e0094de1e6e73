import { nowIso } from '../../core/clock.js';
import type { Db } from '../../storage/database.js';
import { dropExpiredKeys } from './keys.service.js';
import * as repo from './oidc.repository.js';

/** Removes what the provider stored and no longer needs (expired sessions, codes, tokens...) and retired keys past their time (hourly). */
export async function purgeOidcLeftovers(db: Db, now: Date = new Date()): Promise<{ payloads: number; keys: number }> {
  const payloads = await repo.deleteExpiredPayloads(db, nowIso(now));
  const keys = await dropExpiredKeys(db, now);
  return { payloads, keys };
}

/** Ends the provider session a browser holds (its cookie value is the session id), so logging out of Ruche logs out of the apps' SSO. */
export async function endOidcSession(db: Db, sessionId: string | undefined): Promise<void> {
  if (sessionId) await repo.deletePayload(db, 'Session', sessionId);
}

/** Ends everything the provider holds for an account (sessions, grants, codes, tokens): a suspended account is out of every app at once. */
export async function endOidcOfAccount(db: Db, accountId: number): Promise<number> {
  return repo.deletePayloadsOfAccount(db, String(accountId), ['Session', 'Grant', 'AuthorizationCode', 'AccessToken', 'RefreshToken', 'Interaction']);
}
