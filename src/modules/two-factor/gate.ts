import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { wantsJson } from '../../http/hooks.js';
import { twoFactorRequiredFor } from './policy.service.js';
import { SETUP_PATH } from './setup.pages.js';
import { twoFactorEnabled } from './two-factor.service.js';

/** True when this logged-in person holds a role that requires two-factor and has not set it up yet. */
export async function mustSetUpTwoFactor(request: FastifyRequest): Promise<boolean> {
  const p = request.principal;
  if (!p || p.via !== 'session') return false; // API tokens and the CLI are not interactive logins
  return (await twoFactorRequiredFor(request.ctx.db, p.roles)) && !(await twoFactorEnabled(request.ctx.db, p.accountId));
}

async function gate(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const access = request.routeOptions.config.access;
  if (access === undefined || access === 'public' || request.routeOptions.url?.startsWith(SETUP_PATH)) return undefined;
  if (!(await mustSetUpTwoFactor(request))) return undefined;
  if (request.method === 'GET' && !wantsJson(request)) return reply.redirect(SETUP_PATH, 303);
  throw new AppError(403, 'two_factor_required', 'two_factor.required_for_role');
}

/**
 * Sends a person whose role requires two-factor to the setup page until it is set up: every other page is closed to them
 * (logout, the language switch and public pages stay open). Registered at the root (skip-override) so it guards all routes;
 * it runs after the access and CSRF checks.
 */
export async function twoFactorGate(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', gate);
}
Object.assign(twoFactorGate, { [Symbol.for('skip-override')]: true });
