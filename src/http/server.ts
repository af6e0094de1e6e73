import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { sql } from 'kysely';
import { accountsPages } from '../modules/accounts/accounts.pages.js';
import { accountsRoutes } from '../modules/accounts/accounts.routes.js';
import { authPages } from '../modules/accounts/auth.pages.js';
import { bankImportPages } from '../modules/dues/bank-import.pages.js';
import { duesPages } from '../modules/dues/dues.pages.js';
import { duesRoutes } from '../modules/dues/dues.routes.js';
import { reviewPages } from '../modules/dues/review.pages.js';
import { personPaymentsPages } from '../modules/dues/person-payments.pages.js';
import { bankSetupPages } from '../modules/dues/setup.pages.js';
import { homePages } from '../modules/home/home.pages.js';
import { clientsPages } from '../modules/oidc/clients.pages.js';
import { interactionPages } from '../modules/oidc/interaction.pages.js';
import { oidcRoutes } from '../modules/oidc/oidc.routes.js';
import { mountOidc } from '../modules/oidc/mount.js';
import { peoplePages } from '../modules/people/people.pages.js';
import { peopleRoutes } from '../modules/people/people.routes.js';
import { exchangePages } from '../modules/people-exchange/exchange.pages.js';
import { exchangeRoutes } from '../modules/people-exchange/exchange.routes.js';
import { settingsPages } from '../modules/settings/settings.pages.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';
import { setupPages } from '../modules/setup/setup.pages.js';
import { STYLESHEET } from '../views/stylesheet.js';
import type { AppContext } from './context.js';
import { installErrorHandler } from './errors.js';
import { installHooks } from './hooks.js';

/** Largest accepted upload (member lists, later bank statements). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

function securityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  });
}

function basicRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { config: { access: 'public' } }, async (_request, reply) => {
    await sql`select 1`.execute(ctx.db);
    return reply.send({ status: 'ok' });
  });
  app.get('/assets/ruche.css', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(STYLESHEET));
}

/** Builds the HTTP server (pages, JSON API, health check) over an open storage. */
export async function buildServer(ctx: AppContext, options: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_UPLOAD_BYTES,
    trustProxy: false,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(cookie, { secret: ctx.secret });
  await app.register(formbody);
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50 } });
  await app.register(rateLimit, { global: false });
  await mountOidc(app, ctx); // before Ruche's hooks: the provider answers /oidc itself and reads the raw body
  installHooks(app, ctx);
  installErrorHandler(app);
  securityHeaders(app);
  basicRoutes(app, ctx);
  for (const plugin of [homePages, setupPages, authPages, peoplePages, peopleRoutes, exchangePages, exchangeRoutes, accountsPages, accountsRoutes, settingsPages, settingsRoutes, bankImportPages, reviewPages, duesPages, duesRoutes, personPaymentsPages, bankSetupPages, interactionPages, clientsPages, oidcRoutes]) {
    await app.register(plugin);
  }
  return app;
}
