import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { getClient, listClients, removeClient } from './clients.service.js';
import { registerClient } from './registration.service.js';

function clientIdOf(request: FastifyRequest): string {
  return (request.params as { clientId: string }).clientId;
}

/** JSON API for the apps registered for single sign-on (permission oidc:manage). */
export async function oidcRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/oidc/clients', { config: { access: 'oidc:manage' } }, async (request) => ({ items: await listClients(request.ctx.db) }));
  app.post('/api/v1/oidc/clients', { config: { access: 'oidc:manage' } }, async (request, reply) => {
    const { client, secret, issuer, recipe } = await registerClient(request.ctx.db, requestActor(request), request.ctx.config.publicUrl, (request.body ?? {}) as Record<string, unknown>);
    reply.header('cache-control', 'no-store');
    return reply.status(201).send({ ...client, clientSecret: secret, issuer, recipe: { ...recipe, where: request.t(recipe.where) } });
  });
  app.get('/api/v1/oidc/clients/:clientId', { config: { access: 'oidc:manage' } }, async (request) => getClient(request.ctx.db, clientIdOf(request)));
  app.delete('/api/v1/oidc/clients/:clientId', { config: { access: 'oidc:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => removeClient(trx, requestActor(request), clientIdOf(request)));
    return reply.status(204).send();
  });
}
