import type { FastifyInstance } from 'fastify';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { createAccount, createApiToken, getAccount, listAccounts, listApiTokens, revokeApiToken, setRoles } from './accounts.service.js';

/** JSON API for accounts, roles and API tokens. */
export async function accountsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/me', { config: { access: 'authenticated' } }, async (request) => {
    const p = request.principal!;
    return { id: p.accountId, username: p.username, person_id: p.personId, roles: p.roles, permissions: [...p.permissions].sort(), locale: request.locale };
  });
  app.get('/api/v1/accounts', { config: { access: 'accounts:read' } }, async (request) => ({ items: await listAccounts(request.ctx.db) }));
  app.post('/api/v1/accounts', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    const account = await inTransaction(request.ctx.db, (trx) => createAccount(trx, requestActor(request), request.body as Record<string, unknown>));
    return reply.status(201).send(account);
  });
  app.get('/api/v1/accounts/:id', { config: { access: 'accounts:read' } }, async (request) => getAccount(request.ctx.db, idParamOf(request)));
  app.put('/api/v1/accounts/:id/roles', { config: { access: 'accounts:manage' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => setRoles(trx, requestActor(request), idParamOf(request), request.body)));
  app.get('/api/v1/accounts/:id/tokens', { config: { access: 'accounts:manage' } }, async (request) => ({ items: await listApiTokens(request.ctx.db, idParamOf(request)) }));
  app.post('/api/v1/accounts/:id/tokens', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    const created = await inTransaction(request.ctx.db, (trx) => createApiToken(trx, requestActor(request), idParamOf(request), request.body));
    return reply.status(201).send(created);
  });
  app.delete('/api/v1/accounts/:id/tokens/:tokenId', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => revokeApiToken(trx, requestActor(request), idParamOf(request), idParamOf(request, 'tokenId')));
    return reply.status(204).send();
  });
}
