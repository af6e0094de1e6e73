import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions, LANG_COOKIE, SESSION_COOKIE } from '../../http/cookies.js';
import { openSession } from '../accounts/accounts.service.js';

// As long as a session opened by the login form (auth.pages.ts).
const SESSION_SECONDS = 14 * 86_400;

/** Logs a just-created account in (an invitee who accepted their invitation), replacing any earlier session cookie. */
export async function signInNewAccount(request: FastifyRequest, reply: FastifyReply, accountId: number): Promise<void> {
  const session = await openSession(request.ctx.db, accountId);
  reply.setCookie(SESSION_COOKIE, session, cookieOptions(request, SESSION_SECONDS));
  reply.setCookie(LANG_COOKIE, request.locale, cookieOptions(request, 365 * 86_400));
}
