import type { FastifyInstance } from 'fastify';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { acceptRegistration, listRegistrations, refuseRegistration } from './registrations.service.js';

/** JSON API for the registration queue: list (pending by default), accept, refuse. */
export async function registrationsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { status?: string } }>('/api/v1/registrations', { config: { access: 'registrations:manage' } }, async (request) =>
    ({ items: await listRegistrations(request.ctx.db, request.query.status) }));
  app.post('/api/v1/registrations/:id/accept', { config: { access: 'registrations:manage' } }, async (request) => {
    const { registration, account } = await inTransaction(request.ctx.db, (trx) => acceptRegistration(trx, requestActor(request), idParamOf(request)));
    return { ...registration, account };
  });
  app.post('/api/v1/registrations/:id/refuse', { config: { access: 'registrations:manage' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => refuseRegistration(trx, requestActor(request), idParamOf(request), request.body ?? {})));
}
