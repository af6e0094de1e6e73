import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden, unauthorized } from '../core/errors.js';
import { hmac, randomToken, safeEqual } from '../core/tokens.js';
import { isLocale, negotiateLocale, translator } from '../i18n/index.js';
import { principalForSession, principalForToken } from '../modules/accounts/accounts.service.js';
import type { AppContext } from './context.js';
import { ANON_COOKIE, cookieOptions, LANG_COOKIE, SESSION_COOKIE } from './cookies.js';
import './types.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the caller expects JSON rather than a page. */
export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/') || request.url === '/healthz') return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

async function resolvePrincipal(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    request.principal = match ? await principalForToken(request.ctx.db, match[1]) : null;
    if (!request.principal) throw unauthorized();
    return;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  request.principal = cookie ? await principalForSession(request.ctx.db, cookie) : null;
}

function resolveLocale(request: FastifyRequest): void {
  const cookie = request.cookies[LANG_COOKIE];
  const locale = request.principal?.locale ?? (isLocale(cookie) ? cookie : negotiateLocale(request.headers['accept-language']));
  request.locale = locale;
  request.t = translator(locale);
}

/** The secret value a CSRF token is bound to: the session cookie, or an anonymous cookie set on first visit. */
function csrfBase(request: FastifyRequest, reply: FastifyReply): string {
  const session = request.cookies[SESSION_COOKIE];
  if (session) return `s:${session}`;
  let anon = request.cookies[ANON_COOKIE];
  if (!anon) {
    anon = randomToken(16);
    request.cookies[ANON_COOKIE] = anon;
    if (!wantsJson(request)) reply.setCookie(ANON_COOKIE, anon, cookieOptions(request));
  }
  return `a:${anon}`;
}

/** The CSRF token for a cookie value, so a new session gets a new token. */
export function csrfTokenFor(secret: string, base: string): string {
  return hmac(secret, `csrf:${base}`);
}

function checkCsrf(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || request.principal?.via === 'token' || request.routeOptions.config.csrf === false) return;
  const body = request.body as Record<string, unknown> | undefined;
  const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !safeEqual(sent, request.csrfToken)) throw new AppError(403, 'csrf_failed', 'error.csrf');
}

function checkAccess(request: FastifyRequest): void {
  const access = request.routeOptions.config.access;
  if (access === undefined || access === 'public') return; // undefined: the not-found handler

  if (!request.principal) throw unauthorized();
  if (access !== 'authenticated' && !request.principal.permissions.has(access as never)) throw forbidden();
}

/** Installs the request pipeline: who is calling, in which language, CSRF and permission checks. */
export function installHooks(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('locale', 'en');
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('t', null as never);
  app.decorateRequest('ctx', null as never);
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD' || route.url.startsWith('/oidc')) return;
    if (!route.config?.access) throw new Error(`Route ${route.method} ${route.url} declares no access`);
  });
  app.addHook('onRequest', async (request, reply) => {
    request.ctx = ctx;
    request.t = translator('en');
    request.csrfToken = csrfTokenFor(ctx.secret, csrfBase(request, reply));
    await resolvePrincipal(request);
    resolveLocale(request);
  });
  app.addHook('preHandler', async (request) => {
    checkAccess(request);
    checkCsrf(request);
  });
}
