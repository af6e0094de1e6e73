import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { sql } from 'kysely';
import { accountMailRoutes } from '../modules/account-mail/account-mail.routes.js';
import { emailVerificationPages } from '../modules/account-mail/email-verification.pages.js';
import { passwordResetPages } from '../modules/account-mail/password-reset.pages.js';
import { accountsPages } from '../modules/accounts/accounts.pages.js';
import { accountsRoutes } from '../modules/accounts/accounts.routes.js';
import { authPages } from '../modules/accounts/auth.pages.js';
import { bankAccountsPages } from '../modules/bank/accounts.pages.js';
import { bankAccountsRoutes } from '../modules/bank/accounts.routes.js';
import { bankImportPages } from '../modules/dues/bank-import.pages.js';
import { duesPages } from '../modules/dues/dues.pages.js';
import { duesRoutes } from '../modules/dues/dues.routes.js';
import { reviewPages } from '../modules/dues/review.pages.js';
import { personPaymentsPages } from '../modules/dues/person-payments.pages.js';
import { bankSetupPages } from '../modules/dues/setup.pages.js';
import { groupsPages } from '../modules/groups/groups.pages.js';
import { groupsRoutes } from '../modules/groups/groups.routes.js';
import { homePages } from '../modules/home/home.pages.js';
import { invitationsPages } from '../modules/invitations/invitations.pages.js';
import { invitationsRoutes } from '../modules/invitations/invitations.routes.js';
import { invitePages } from '../modules/invitations/invite.pages.js';
import { clientsPages } from '../modules/oidc/clients.pages.js';
import { interactionPages } from '../modules/oidc/interaction.pages.js';
import { oidcRoutes } from '../modules/oidc/oidc.routes.js';
import { mountOidc } from '../modules/oidc/mount.js';
import { peoplePages } from '../modules/people/people.pages.js';
import { peopleRoutes } from '../modules/people/people.routes.js';
import { exchangePages } from '../modules/people-exchange/exchange.pages.js';
import { exchangeRoutes } from '../modules/people-exchange/exchange.routes.js';
import { registerPages } from '../modules/registrations/register.pages.js';
import { registrationsPages } from '../modules/registrations/registrations.pages.js';
import { registrationsRoutes } from '../modules/registrations/registrations.routes.js';
import { sessionsPages } from '../modules/security/sessions.pages.js';
import { sessionsRoutes } from '../modules/security/sessions.routes.js';
import { settingsPages } from '../modules/settings/settings.pages.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';
import { setupPages } from '../modules/setup/setup.pages.js';
import { twoFactorAdminPages } from '../modules/two-factor/admin.pages.js';
import { twoFactorGate } from '../modules/two-factor/gate.js';
import { twoFactorLoginPages } from '../modules/two-factor/login.pages.js';
import { twoFactorSetupPages } from '../modules/two-factor/setup.pages.js';
import { twoFactorRoutes } from '../modules/two-factor/two-factor.routes.js';
import { STYLESHEET } from '../views/stylesheet.js';
import type { AppContext } from './context.js';
import { contentSecurityPolicy } from './csp.js';
import { installErrorHandler } from './errors.js';
import { keepUploadName } from './forms.js';
import { installHooks } from './hooks.js';

/** Largest accepted upload (member lists, later bank statements). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

function securityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('content-security-policy', contentSecurityPolicy(reply));
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
  await app.register(multipart, { attachFieldsToBody: 'keyValues', onFile: keepUploadName, limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50 } });
  await app.register(rateLimit, { global: false });
  await mountOidc(app, ctx); // before Ruche's hooks: the provider answers /oidc itself and reads the raw body
  installHooks(app, ctx);
  installErrorHandler(app);
  securityHeaders(app);
  basicRoutes(app, ctx);
  for (const plugin of [
    homePages, setupPages, authPages, peoplePages, peopleRoutes, exchangePages, exchangeRoutes, accountsPages,
    accountsRoutes, settingsPages, settingsRoutes, bankImportPages, reviewPages, duesPages, duesRoutes,
    personPaymentsPages, bankSetupPages, bankAccountsPages, bankAccountsRoutes, sessionsPages, sessionsRoutes, twoFactorGate, twoFactorLoginPages,
    twoFactorSetupPages, twoFactorAdminPages, twoFactorRoutes, groupsPages, groupsRoutes, invitationsPages,
    invitationsRoutes, invitePages, registerPages, registrationsPages, registrationsRoutes,
    passwordResetPages, emailVerificationPages, accountMailRoutes, interactionPages, clientsPages, oidcRoutes,
  ]) {
    await app.register(plugin);
  }
  return app;
}
