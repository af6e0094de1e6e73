import type { FastifyInstance } from 'fastify';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { createInvitation, invitationLink, invitationScopeOf, listInvitations, revokeInvitation } from './invitations.service.js';

/** JSON API for invitations: create (the link is in this answer only), list with status, revoke. */
export async function invitationsRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/v1/invitations', { config: { access: 'invitations:create' } }, async (request, reply) => {
    const { invitation, token } = await inTransaction(request.ctx.db, (trx) =>
      createInvitation(trx, requestActor(request), request.body ?? {}, request.principal));
    return reply.status(201).header('cache-control', 'no-store').send({ ...invitation, link: invitationLink(request.ctx.config.publicUrl, token) });
  });
  app.get('/api/v1/invitations', { config: { access: 'invitations:create' } }, async (request) =>
    ({ items: await listInvitations(request.ctx.db, invitationScopeOf(request.principal!)) }));
  app.delete('/api/v1/invitations/:id', { config: { access: 'invitations:create' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => revokeInvitation(trx, requestActor(request), idParamOf(request), invitationScopeOf(request.principal!))));
}
