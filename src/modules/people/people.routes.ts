import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../core/errors.js';
import { inTransaction } from '../../storage/database.js';
import { historyOf } from '../audit/audit.service.js';
import { idParamOf, requestActor } from '../../http/request.js';
import { currentFiscalYear, getMembership, setMembership } from '../memberships/memberships.service.js';
import { createPerson, deletePerson, getLivePerson, listPeople, restorePerson, updatePerson } from './people.service.js';

const personId = (request: FastifyRequest) => idParamOf(request);

const livePerson = (request: FastifyRequest) => getLivePerson(request.ctx.db, personId(request));

/** JSON API for people, their history and memberships. */
export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/people', { config: { access: 'people:read' } }, async (request) => {
    const db = request.ctx.db;
    const page = await listPeople(db, request.query as Record<string, unknown>, { currentYear: await currentFiscalYear(db) });
    return { items: page.items, total: page.total, total_exact: page.exact, page: page.page, per_page: page.perPage };
  });
  app.post('/api/v1/people', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await inTransaction(request.ctx.db, (trx) => createPerson(trx, requestActor(request), request.body as Record<string, unknown>));
    return reply.status(201).header('location', `/api/v1/people/${person.id}`).send(person);
  });
  app.get('/api/v1/people/:id', { config: { access: 'people:read' } }, livePerson);
  app.patch('/api/v1/people/:id', { config: { access: 'people:write' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => updatePerson(trx, requestActor(request), personId(request), request.body)));
  app.delete('/api/v1/people/:id', { config: { access: 'people:delete' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => deletePerson(trx, requestActor(request), personId(request)));
    return reply.status(204).send();
  });
  app.post('/api/v1/people/:id/restore', { config: { access: 'people:delete' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => restorePerson(trx, requestActor(request), personId(request))));
  app.get('/api/v1/people/:id/history', { config: { access: 'people:read' } }, async (request) => {
    const person = await livePerson(request);
    return { items: await historyOf(request.ctx.db, 'person', person.id) };
  });
  app.get<{ Params: { year: string } }>('/api/v1/people/:id/memberships/:year', { config: { access: 'memberships:read' } }, async (request) => {
    const membership = await getMembership(request.ctx.db, (await livePerson(request)).id, request.params.year);
    if (!membership) throw notFound('memberships.none');
    return membership;
  });
  app.put<{ Params: { year: string } }>('/api/v1/people/:id/memberships/:year', { config: { access: 'memberships:write' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => setMembership(trx, requestActor(request), personId(request), request.params.year, request.body)));
}
