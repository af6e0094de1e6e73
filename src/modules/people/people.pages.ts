import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setFlash } from '../../http/cookies.js';
import { formBody, handleForm } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { formState, type FormState } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { pageInfo, pager } from '../../views/pagination.js';
import { accountsOfPerson } from '../accounts/accounts.service.js';
import { can } from '../accounts/principal.js';
import { historyOf } from '../audit/audit.service.js';
import { MEMBERSHIP_STATUSES } from '../memberships/memberships.schema.js';
import { currentFiscalYear, membershipsOf, setMembership, statusesForYear } from '../memberships/memberships.service.js';
import { addContact, createPerson, deletePerson, removeContact, getLivePerson, getPerson, listPeople, type Person, restorePerson, updatePerson } from './people.service.js';
import { kindOptions, peopleTable, personForm } from './people.view.js';
import { contactsSection, historyPage, membershipSection, personPage } from './person.view.js';

function searchForm(request: FastifyRequest, q: Record<string, unknown>, year: number) {
  const t = request.t;
  const opt = (value: string, label: string, current: unknown) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/people" class="filters" role="search">
<label>${t('form.search')} <input type="search" name="q" value="${String(q.q ?? '')}" autofocus></label>
<label>${t('memberships.status')} <select name="status">${opt('', t('form.any'), q.status)}${MEMBERSHIP_STATUSES.map((s) => opt(s, t(`memberships.status.${s}` as MessageKey), q.status))}${opt('none', t('memberships.status.none'), q.status)}</select></label>
<label>${t('memberships.year')} <input type="number" name="year" value="${year}" inputmode="numeric" size="5"></label>
<label>${t('people.tags')} <input type="text" name="tag" value="${String(q.tag ?? '')}" size="10"></label>
<label>${t('people.kind')} <select name="kind">${opt('', t('form.any'), q.kind)}${kindOptions(t).map(([v, l]) => opt(v, l, q.kind))}</select></label>
<button>${t('form.filter')}</button></form>`;
}

async function listPage(request: FastifyRequest, reply: FastifyReply, deleted: boolean) {
  const db = request.ctx.db;
  const t = request.t;
  const page = await listPeople(db, request.query as Record<string, unknown>, { currentYear: await currentFiscalYear(db), deleted });
  const statuses = await statusesForYear(db, page.items.map((p) => p.id), page.year);
  const statusText = new Map([...statuses].map(([id, m]) => [id, m.status as string]));
  const canWrite = can(request.principal, 'people:write');
  const actions = html`<div class="actions">${canWrite ? html`<a class="button" href="/people/new">${t('people.new')}</a>` : ''}
${can(request.principal, 'people:import') ? html`<a class="button secondary" href="/people/import">${t('people.import')}</a>` : ''}
${can(request.principal, 'people:export') ? html`<a class="button secondary" href="/people/export">${t('people.export')}</a>` : ''}
${can(request.principal, 'people:delete') ? html`<a class="button secondary" href="/people/deleted">${t('nav.trash')}</a>` : ''}</div>`;
  const restore = (p: { id: number }) => html`<form method="post" action="/people/${p.id}/restore"><input type="hidden" name="_csrf" value="${request.csrfToken}"><button class="secondary">${t('people.restore')}</button></form>`;
  const title = deleted ? t('people.deleted_title') : t('nav.people');
  await sendPage(request, reply, {
    title,
    body: html`<h1>${title}</h1>${deleted ? html`<p>${t('people.deleted_intro', { days: 30 })}</p>` : html`${actions}${searchForm(request, page.query, page.year)}`}
${peopleTable(t, page.items, statusText, deleted ? restore : undefined)}
${pager(t, deleted ? '/people/deleted' : '/people', { ...page.query, year: page.query.year }, pageInfo(page))}`,
  });
}

function formValues(person: Person): Record<string, unknown> {
  return { ...person, emails: person.emails.join('\n'), tags: person.tags.join(', ') };
}

function editPage(request: FastifyRequest, state: FormState, person?: Person) {
  const t = request.t;
  const title = person ? t('people.edit_title', { name: person.display_name }) : t('people.new');
  return { title, body: html`<h1>${title}</h1>${personForm(request, state, person ? `/people/${person.id}` : '/people')}` };
}

async function contactsOf(request: FastifyRequest, person: Person, year: number) {
  if (person.kind !== 'organisation' || !can(request.principal, 'people:write')) return html``;
  const query = String((request.query as { contact_q?: unknown }).contact_q ?? '').slice(0, 200);
  const found = query ? (await listPeople(request.ctx.db, { q: query, per_page: 10 }, { currentYear: year })).items : [];
  return contactsSection(request, person, query, found);
}

async function showPage(request: FastifyRequest, person: Person, state?: FormState) {
  const db = request.ctx.db;
  const year = await currentFiscalYear(db);
  const memberships = membershipSection(request, person, await membershipsOf(db, person.id), state ?? formState({ year, status: 'member' }));
  const contacts = await contactsOf(request, person, year);
  return { title: person.display_name, body: personPage(request, person, memberships, await accountsOfPerson(db, person.id), contacts) };
}

/** The people pages: list and search, create, show, edit, delete and restore, history, memberships. */
export async function peoplePages(app: FastifyInstance): Promise<void> {
  app.get('/people', { config: { access: 'people:read' } }, (request, reply) => listPage(request, reply, false));
  app.get('/people/deleted', { config: { access: 'people:delete' } }, (request, reply) => listPage(request, reply, true));
  app.get('/people/new', { config: { access: 'people:write' } }, async (request, reply) => {
    await sendPage(request, reply, editPage(request, formState({ kind: 'individual' })));
  });
  app.post('/people', { config: { access: 'people:write' } }, async (request, reply) => {
    await handleForm(request, reply,
      (values) => inTransaction(request.ctx.db, (trx) => createPerson(trx, requestActor(request), values)),
      (person) => ({ redirect: `/people/${person.id}`, flash: 'people.created', params: { name: person.display_name } }),
      (state) => editPage(request, state));
  });
  app.get('/people/:id', { config: { access: 'people:read' } }, async (request, reply) => {
    await sendPage(request, reply, await showPage(request, await getPerson(request.ctx.db, idParamOf(request))));
  });
  app.get('/people/:id/edit', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await getLivePerson(request.ctx.db, idParamOf(request));
    await sendPage(request, reply, editPage(request, formState(formValues(person)), person));
  });
  app.post('/people/:id', { config: { access: 'people:write' } }, async (request, reply) => {
    const person = await getLivePerson(request.ctx.db, idParamOf(request));
    await handleForm(request, reply,
      (values) => inTransaction(request.ctx.db, (trx) => updatePerson(trx, requestActor(request), person.id, values)),
      () => ({ redirect: `/people/${person.id}`, flash: 'flash.saved' }),
      (state) => editPage(request, state, person));
  });
  app.post('/people/:id/delete', { config: { access: 'people:delete' } }, async (request, reply) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => deletePerson(trx, requestActor(request), id));
    setFlash(request, reply, { kind: 'info', key: 'people.deleted_flash', params: { days: 30 } });
    await reply.redirect('/people', 303);
  });
  app.post('/people/:id/restore', { config: { access: 'people:delete' } }, async (request, reply) => {
    const person = await inTransaction(request.ctx.db, (trx) => restorePerson(trx, requestActor(request), idParamOf(request)));
    setFlash(request, reply, { kind: 'info', key: 'people.restored', params: { name: person.display_name } });
    await reply.redirect(`/people/${person.id}`, 303);
  });
  app.get('/people/:id/history', { config: { access: 'people:read' } }, async (request, reply) => {
    const person = await getPerson(request.ctx.db, idParamOf(request));
    const entries = await historyOf(request.ctx.db, 'person', person.id);
    await sendPage(request, reply, { title: request.t('people.history'), body: historyPage(request, person, entries) });
  });
  app.post('/people/:id/contacts', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => addContact(trx, requestActor(request), id, formBody(request)));
    setFlash(request, reply, { kind: 'info', key: 'flash.saved' });
    await reply.redirect(`/people/${id}#contacts`, 303);
  });
  app.post('/people/:id/contacts/:contactId/remove', { config: { access: 'people:write' } }, async (request, reply) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => removeContact(trx, requestActor(request), id, idParamOf(request, 'contactId')));
    setFlash(request, reply, { kind: 'info', key: 'flash.saved' });
    await reply.redirect(`/people/${id}#contacts`, 303);
  });
  app.post('/people/:id/memberships', { config: { access: 'memberships:write' } }, async (request, reply) => {
    const person = await getLivePerson(request.ctx.db, idParamOf(request));
    await handleForm(request, reply,
      ({ year, ...values }) => inTransaction(request.ctx.db, (trx) => setMembership(trx, requestActor(request), person.id, year, values)),
      () => ({ redirect: `/people/${person.id}#membership`, flash: 'flash.saved' }),
      (state) => showPage(request, person, state));
  });
}
