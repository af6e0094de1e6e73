import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { listGrants, revokeGrant } from '../oidc/grants.service.js';
import { endSession, listSessions } from './sessions.service.js';

/** JSON API of one's own browser sessions and app grants: list them, end or revoke one. */
export async function sessionsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/me/sessions', { config: { access: 'authenticated' } }, async (request) =>
    ({ items: await listSessions(request.ctx.db, request.principal!.accountId, request.cookies[SESSION_COOKIE]) }));
  app.delete<{ Params: { id: string } }>('/api/v1/me/sessions/:id', { config: { access: 'authenticated' } }, async (request, reply) => {
    await endSession(request.ctx.db, requestActor(request), request.principal!.accountId, request.params.id);
    await reply.code(204).send();
  });
  app.get('/api/v1/me/grants', { config: { access: 'authenticated' } }, async (request) =>
    ({ items: await listGrants(request.ctx.db, request.principal!.accountId) }));
  app.delete<{ Params: { id: string } }>('/api/v1/me/grants/:id', { config: { access: 'authenticated' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => revokeGrant(trx, requestActor(request), request.principal!.accountId, request.params.id));
    await reply.code(204).send();
  });
}
