import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setFlash } from '../../http/cookies.js';
import { handleForm } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { errorSummary, type FormState, formState } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { listPeople } from '../people/people.service.js';
import { addGroupMember, createGroup, deleteGroup, getGroup, listGroupMembers, listGroups, removeGroupMember, updateGroup } from './groups.service.js';
import { addMemberSection, groupForm, groupPage, groupsTable, membersTable } from './groups.view.js';

const PER_PAGE = 100;

const nameOf = (request: FastifyRequest) => String((request.params as { name: string }).name);

async function showPage(request: FastifyRequest, name: string, state: FormState = formState()) {
  const db = request.ctx.db;
  const query = request.query as { page?: string; q?: string };
  const group = await getGroup(db, name, { t: request.t });
  const page = Math.max(1, Math.min(1_000_000, Number.parseInt(query.page ?? '1', 10) || 1));
  const members = await listGroupMembers(db, group.name, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
  const info = { page, perPage: PER_PAGE, total: group.member_count, exact: true, hasNext: page * PER_PAGE < group.member_count };
  let adding = errorSummary(request.t, state);
  if (!group.computed) {
    const q = String(query.q ?? '').trim().slice(0, 200);
    const found = q ? (await listPeople(db, { q, per_page: 10 }, { currentYear: await currentFiscalYear(db) })).items : [];
    adding = addMemberSection(request, group, state, q, found);
  }
  return { title: group.label, body: groupPage(request, group, membersTable(request, group, members, info), adding) };
}

// The create form sits on the list page: a /groups/new page would shadow a static group named "new".
async function listPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const groups = await listGroups(request.ctx.db, { t });
  return {
    title: t('groups.title'),
    body: html`<h1>${t('groups.title')}</h1><p>${t('groups.intro')}</p>${groupsTable(request, groups)}
<h2 id="new">${t('groups.new')}</h2>${groupForm(request, state, '/groups')}`,
  };
}

function editPage(request: FastifyRequest, name: string, state: FormState) {
  const t = request.t;
  const title = t('groups.edit_title', { name });
  return { title, body: html`<h1>${title}</h1>${groupForm(request, state, `/groups/${name}`, `/groups/${name}`)}` };
}

/** Pages for groups (permission groups:manage): the list, a group with its members, create, edit, delete, add and remove members. */
export async function groupsPages(app: FastifyInstance): Promise<void> {
  const access = { config: { access: 'groups:manage' as const } };
  app.get('/groups', access, async (request, reply) => sendPage(request, reply, await listPage(request, formState())));
  app.post('/groups', access, (request, reply) => handleForm(request, reply,
    (values) => inTransaction(request.ctx.db, (trx) => createGroup(trx, requestActor(request), values)),
    (group) => ({ redirect: `/groups/${group.name}`, flash: 'groups.created', params: { name: group.name } }),
    (state) => listPage(request, state)));
  app.get('/groups/:name', access, async (request, reply) => sendPage(request, reply, await showPage(request, nameOf(request))));
  app.get('/groups/:name/edit', access, async (request, reply) => {
    const group = await getGroup(request.ctx.db, nameOf(request));
    if (group.computed) return reply.redirect(`/groups/${group.name}`, 303);
    await sendPage(request, reply, editPage(request, group.name, formState({ ...group })));
  });
  app.post('/groups/:name', access, async (request, reply) => {
    const name = nameOf(request);
    await handleForm(request, reply,
      (values) => inTransaction(request.ctx.db, (trx) => updateGroup(trx, requestActor(request), name, { description: '', ...values })),
      (group) => ({ redirect: `/groups/${group.name}`, flash: 'groups.updated', params: { name: group.name } }),
      (state) => editPage(request, name, state));
  });
  app.post('/groups/:name/delete', access, async (request, reply) => {
    const name = nameOf(request);
    await inTransaction(request.ctx.db, (trx) => deleteGroup(trx, requestActor(request), name));
    setFlash(request, reply, { kind: 'info', key: 'groups.deleted', params: { name } });
    await reply.redirect('/groups', 303);
  });
  app.post('/groups/:name/members', access, async (request, reply) => {
    const name = nameOf(request);
    await handleForm(request, reply,
      (values) => inTransaction(request.ctx.db, (trx) => addGroupMember(trx, requestActor(request), name, values)),
      (member) => ({ redirect: `/groups/${name}`, flash: 'groups.member_added', params: { person: member.display_name ?? '' } }),
      (state) => showPage(request, name, state));
  });
  app.post('/groups/:name/members/:personId/remove', access, async (request, reply) => {
    const name = nameOf(request);
    await inTransaction(request.ctx.db, (trx) => removeGroupMember(trx, requestActor(request), name, idParamOf(request, 'personId')));
    setFlash(request, reply, { kind: 'info', key: 'groups.member_removed' });
    await reply.redirect(`/groups/${name}`, 303);
  });
}
