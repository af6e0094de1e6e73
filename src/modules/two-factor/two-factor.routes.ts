import type { FastifyInstance } from 'fastify';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { getAccount } from '../accounts/accounts.service.js';
import { getTwoFactorPolicy, setTwoFactorPolicy } from './policy.service.js';
import { resetTwoFactor, twoFactorStatus } from './two-factor.service.js';

/** JSON API: an account's two-factor status and reset, and the two-factor policy. */
export async function twoFactorRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/accounts/:id/two-factor', { config: { access: 'accounts:read' } }, async (request) => {
    const account = await getAccount(request.ctx.db, idParamOf(request));
    const { enabled, confirmedAt, recoveryCodesLeft } = await twoFactorStatus(request.ctx.db, account.id);
    return { enabled, confirmed_at: confirmedAt, recovery_codes_left: recoveryCodesLeft };
  });
  app.delete('/api/v1/accounts/:id/two-factor', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => resetTwoFactor(trx, requestActor(request), idParamOf(request)));
    return reply.status(204).send();
  });
  app.get('/api/v1/settings/two-factor', { config: { access: 'settings:manage' } }, async (request) => getTwoFactorPolicy(request.ctx.db));
  app.put('/api/v1/settings/two-factor', { config: { access: 'settings:manage' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => setTwoFactorPolicy(trx, requestActor(request), request.body)));
}
