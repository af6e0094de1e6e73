import type { Actor } from '../../core/actor.js';
import { notFound } from '../../core/errors.js';
import { sha256 } from '../../core/tokens.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { endSessions } from '../accounts/accounts.service.js';
import * as repo from './security.repository.js';

/** Characters of a session's stored hash that name it on pages and in the API (never the cookie itself). */
const PUBLIC_ID_LENGTH = 16;

/** One of a person's live sessions as they see it. */
export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** The live sessions of an account, marking the one of the asking browser. */
export async function listSessions(db: Db, accountId: number, currentCookie: string | undefined): Promise<SessionView[]> {
  const currentHash = currentCookie ? sha256(currentCookie) : '';
  return (await repo.selectSessionsOfAccount(db, accountId, new Date().toISOString())).map((row) => ({
    id: row.id_hash.slice(0, PUBLIC_ID_LENGTH), createdAt: row.created_at, lastSeenAt: row.last_seen_at,
    userAgent: row.user_agent, ip: row.ip, current: row.id_hash === currentHash,
  }));
}

/** Ends one of an account's sessions by its public id (a person ending a browser they do not recognise). */
export async function endSession(db: Db, actor: Actor, accountId: number, publicId: string): Promise<void> {
  if (!new RegExp(`^[0-9a-f]{${PUBLIC_ID_LENGTH}}$`).test(publicId)) throw notFound('security.no_session');
  if ((await repo.deleteSessionByPublicId(db, accountId, publicId)) === 0) throw notFound('security.no_session');
  await recordChange(db, actor, { action: 'session.end', entityType: 'account', entityId: accountId, after: { session: publicId } });
}

/** Ends every session of an account except the asking browser's; returns how many ended. */
export async function endOtherSessions(db: Db, actor: Actor, accountId: number, currentCookie: string | undefined): Promise<number> {
  const ended = await endSessions(db, accountId, currentCookie ?? '');
  await recordChange(db, actor, { action: 'session.end_others', entityType: 'account', entityId: accountId, after: { ended } });
  return ended;
}
