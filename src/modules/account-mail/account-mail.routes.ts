import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { inTransaction } from '../../storage/database.js';
import { RESET_RATE_LIMIT, reportMailFailure } from './password-reset.pages.js';
import { resetPassword, startPasswordReset } from './password-reset.service.js';

// These two routes act on no session or token, only on what the body carries: they skip the CSRF check, so an app
// or script calls them without first fetching a page. They take JSON only, which another site's page cannot send
// without the browser asking Ruche first (CORS), so no foreign page can make Ruche send reset mails.
const PUBLIC_NO_CSRF = { access: 'public', csrf: false, rateLimit: RESET_RATE_LIMIT } as const;

function requireJson(request: FastifyRequest): void {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) throw new AppError(415, 'json_required', 'error.json_required');
}

/** JSON API for password reset by mail. */
export async function accountMailRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/v1/auth/password-reset', { config: PUBLIC_NO_CSRF }, async (request, reply) => {
    requireJson(request);
    startPasswordReset(request.ctx.db, request.ctx.config, request.body ?? {}, reportMailFailure(request, 'password reset'));
    return reply.status(202).send({ status: 'accepted', message: request.t('account_mail.reset_sent') });
  });
  app.post('/api/v1/auth/password-reset/confirm', { config: PUBLIC_NO_CSRF }, async (request) => {
    requireJson(request);
    const { username } = await inTransaction(request.ctx.db, (trx) => resetPassword(trx, request.body ?? {}));
    return { status: 'password_changed', username };
  });
}
