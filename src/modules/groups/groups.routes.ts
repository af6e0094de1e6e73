import type { FastifyInstance, FastifyRequest } from 'fastify';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { addGroupMember, createGroup, deleteGroup, getGroup, listGroupMembers, listGroups, removeGroupMember, updateGroup } from './groups.service.js';

const nameOf = (request: FastifyRequest) => String((request.params as { name: string }).name);

/** JSON API for groups: every group (static and computed) with its members; static groups created, changed, deleted and filled. */
export async function groupsRoutes(app: FastifyInstance): Promise<void> {
  const access = { config: { access: 'groups:manage' as const } };
  app.get('/api/v1/groups', access, async (request) => ({ items: await listGroups(request.ctx.db, { t: request.t }) }));
  app.get('/api/v1/groups/:name', access, async (request) => {
    const group = await getGroup(request.ctx.db, nameOf(request), { t: request.t });
    return { ...group, members: await listGroupMembers(request.ctx.db, group.name) };
  });
  app.post('/api/v1/groups', access, async (request, reply) => {
    const group = await inTransaction(request.ctx.db, (trx) => createGroup(trx, requestActor(request), request.body));
    return reply.status(201).header('location', `/api/v1/groups/${group.name}`).send(group);
  });
  app.patch('/api/v1/groups/:name', access, async (request) =>
    inTransaction(request.ctx.db, (trx) => updateGroup(trx, requestActor(request), nameOf(request), request.body)));
  app.delete('/api/v1/groups/:name', access, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => deleteGroup(trx, requestActor(request), nameOf(request)));
    return reply.status(204).send();
  });
  app.post('/api/v1/groups/:name/members', access, async (request, reply) => {
    const member = await inTransaction(request.ctx.db, (trx) => addGroupMember(trx, requestActor(request), nameOf(request), request.body));
    return reply.status(201).send(member);
  });
  app.delete('/api/v1/groups/:name/members/:personId', access, async (request, reply) => {
    const personId = idParamOf(request, 'personId');
    await inTransaction(request.ctx.db, (trx) => removeGroupMember(trx, requestActor(request), nameOf(request), personId));
    return reply.status(204).send();
  });
}
