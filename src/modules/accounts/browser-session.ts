import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions, LANG_COOKIE, SESSION_COOKIE } from '../../http/cookies.js';
import { openSession, principalFor, SESSION_LIFETIME_SECONDS } from './accounts.service.js';

/** Opens a session for an account and sets its cookie: 30 days when remembered, else a browser-session cookie. */
export async function openBrowserSession(request: FastifyRequest, reply: FastifyReply, accountId: number, remember: boolean): Promise<void> {
  const session = await openSession(request.ctx.db, accountId, { remember, userAgent: request.headers['user-agent'], ip: request.ip });
  reply.setCookie(SESSION_COOKIE, session, cookieOptions(request, remember ? SESSION_LIFETIME_SECONDS.remember : undefined));
  const principal = await principalFor(request.ctx.db, accountId, 'session');
  if (principal?.locale) reply.setCookie(LANG_COOKIE, principal.locale, cookieOptions(request, 365 * 86_400));
}
