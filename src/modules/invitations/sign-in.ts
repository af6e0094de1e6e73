import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions, LANG_COOKIE } from '../../http/cookies.js';
import { openBrowserSession } from '../accounts/browser-session.js';

/** Logs a just-created account in (an invitee who accepted their invitation), as the login form would without "remember me". */
export async function signInNewAccount(request: FastifyRequest, reply: FastifyReply, accountId: number): Promise<void> {
  await openBrowserSession(request, reply, accountId, false);
  reply.setCookie(LANG_COOKIE, request.locale, cookieOptions(request, 365 * 86_400));
}
