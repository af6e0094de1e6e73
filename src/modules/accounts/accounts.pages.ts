import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, setFlash } from '../../http/cookies.js';
import { formBody, handleForm } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import {
  type AccountView, changeOwnPassword, createAccount, createApiToken, getAccount, listAccounts, listApiTokens, revokeApiToken, setDisabled, setRoles,
} from './accounts.service.js';
import { accountForm, accountsTable, roleBoxes, tokensSection } from './accounts.view.js';
import { referencesOf } from '../dues/person-payments.service.js';
import { getLivePerson } from '../people/people.service.js';
import { twoFactorAdminSection } from '../two-factor/admin.pages.js';
import { can } from './principal.js';

async function accountPage(request: FastifyRequest, account: AccountView, created?: string) {
  const t = request.t;
  const manage = can(request.principal, 'accounts:manage');
  const base = `/accounts/${account.id}`;
  const body = html`<h1>${account.username}</h1>
<dl><dt>${t('people.display_name')}</dt><dd>${account.personId ? html`<a href="/people/${account.personId}">${account.displayName ?? ''}</a>` : '—'}</dd>
<dt>${t('accounts.roles')}</dt><dd>${account.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ') || '—'}</dd>
<dt>${t('accounts.last_login')}</dt><dd>${account.lastLoginAt?.slice(0, 16).replace('T', ' ') ?? '—'}</dd>
${account.invitedBy ? html`<dt>${t('invitations.invited_by')}</dt><dd><a href="/accounts/${account.invitedBy.id}">${account.invitedBy.username}</a></dd>` : ''}</dl>
${await twoFactorAdminSection(request, account.id)}
${manage ? html`<form method="post" action="${base}/roles">${csrfField(request)}${roleBoxes(request, formState({ roles: account.roles }))}<div class="actions"><button>${t('form.save')}</button></div></form>
<div class="actions">${buttonForm(request, `${base}/${account.disabled ? 'enable' : 'disable'}`, t(account.disabled ? 'accounts.enable' : 'accounts.disable'), account.disabled ? '' : 'danger')}</div>
${tokensSection(request, base, await listApiTokens(request.ctx.db, account.id), created)}` : ''}`;
  return { title: account.username, body };
}

// Members put their permanent payment reference on their transfers: their own page shows it.
function myReference(request: FastifyRequest) {
  const personId = request.principal?.personId;
  if (!personId) return html``;
  const refs = referencesOf(personId);
  return html`<h2>${request.t('dues.reference')}</h2><p><strong>${refs.belgian}</strong> · ${refs.rf}</p><p class="muted">${request.t('dues.reference_hint')}</p>`;
}

function ownPage(request: FastifyRequest, state: FormState, tokens: Awaited<ReturnType<typeof listApiTokens>>, created?: string) {
  const t = request.t;
  return {
    title: t('accounts.mine'),
    body: html`<h1>${t('accounts.mine')}</h1><p>${request.principal?.username} · <a href="/account/sessions">${t('security.sessions')}</a> · <a href="/account/emails">${t('account_mail.emails_title')}</a></p>${myReference(request)}
<h2>${t('accounts.change_password')}</h2>${errorSummary(t, state)}<form method="post" action="/account/password">${csrfField(request)}
${inputField(t, state, { name: 'current', label: 'accounts.current_password', type: 'password', required: true, autocomplete: 'current-password' })}
${inputField(t, state, { name: 'password', label: 'accounts.new_password', type: 'password', required: true, autocomplete: 'new-password' })}
<div class="actions"><button>${t('form.save')}</button></div></form>
<h2>${t('two_factor.title')}</h2><p><a href="/account/two-factor">${t('two_factor.own_link')}</a></p>
${tokensSection(request, '/account', tokens, created)}`,
  };
}

async function tokenCreated(request: FastifyRequest, reply: FastifyReply, accountId: number, render: (token: string) => Promise<{ title: string; body: ReturnType<typeof html> }> | { title: string; body: ReturnType<typeof html> }) {
  const { token } = await inTransaction(request.ctx.db, (trx) => createApiToken(trx, requestActor(request), accountId, formBody(request)));
  reply.header('cache-control', 'no-store');
  await sendPage(request, reply, await render(token));
}

/** Pages for accounts (admins) and for one's own account (password, API tokens). */
export async function accountsPages(app: FastifyInstance): Promise<void> {
  app.get('/accounts', { config: { access: 'accounts:read' } }, async (request, reply) => {
    const t = request.t;
    const add = can(request.principal, 'accounts:manage') ? html`<div class="actions"><a class="button" href="/accounts/new">${t('accounts.new')}</a></div>` : '';
    await sendPage(request, reply, { title: t('nav.accounts'), body: html`<h1>${t('nav.accounts')}</h1>${add}${accountsTable(request, await listAccounts(request.ctx.db))}` });
  });
  const newPage = async (request: FastifyRequest, state: FormState) => {
    const personId = Number(state.values.person_id);
    const person = Number.isInteger(personId) && personId > 0 ? await getLivePerson(request.ctx.db, personId).catch(() => undefined) : undefined;
    return { title: request.t('accounts.new'), body: html`<h1>${request.t('accounts.new')}</h1>${accountForm(request, state, person)}` };
  };
  app.get<{ Querystring: { person_id?: string } }>('/accounts/new', { config: { access: 'accounts:manage' } }, async (request, reply) =>
    sendPage(request, reply, await newPage(request, formState({ roles: ['member'], person_id: request.query.person_id }))));
  app.post('/accounts', { config: { access: 'accounts:manage' } }, (request, reply) => handleForm(request, reply,
    (values) => inTransaction(request.ctx.db, (trx) => createAccount(trx, requestActor(request), { ...values, roles: values.roles ?? [] })),
    (account) => ({ redirect: `/accounts/${account.id}`, flash: 'accounts.created', params: { username: account.username } }),
    (state) => newPage(request, state)));
  app.get('/accounts/:id', { config: { access: 'accounts:read' } }, async (request, reply) =>
    sendPage(request, reply, await accountPage(request, await getAccount(request.ctx.db, idParamOf(request)))));
  app.post('/accounts/:id/roles', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => setRoles(trx, requestActor(request), id, { roles: formBody(request).roles ?? [] }));
    setFlash(request, reply, { kind: 'info', key: 'flash.saved' });
    await reply.redirect(`/accounts/${id}`, 303);
  });
  for (const action of ['disable', 'enable'] as const) {
    app.post(`/accounts/:id/${action}`, { config: { access: 'accounts:manage' } }, async (request, reply) => {
      const id = idParamOf(request);
      await inTransaction(request.ctx.db, (trx) => setDisabled(trx, requestActor(request), id, action === 'disable'));
      setFlash(request, reply, { kind: 'info', key: 'flash.saved' });
      await reply.redirect(`/accounts/${id}`, 303);
    });
  }
  app.post('/accounts/:id/tokens', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    const id = idParamOf(request);
    await tokenCreated(request, reply, id, async (token) => accountPage(request, await getAccount(request.ctx.db, id), token));
  });
  app.post('/accounts/:id/tokens/:tokenId/revoke', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => revokeApiToken(trx, requestActor(request), id, idParamOf(request, 'tokenId')));
    await reply.redirect(`/accounts/${id}#tokens`, 303);
  });
  app.get('/account', { config: { access: 'authenticated' } }, async (request, reply) =>
    sendPage(request, reply, ownPage(request, formState(), await listApiTokens(request.ctx.db, request.principal!.accountId))));
  app.post('/account/password', { config: { access: 'authenticated' } }, async (request, reply) => {
    const me = request.principal!.accountId;
    await handleForm(request, reply,
      (values) => inTransaction(request.ctx.db, (trx) => changeOwnPassword(trx, requestActor(request), me, values, request.cookies[SESSION_COOKIE])),
      () => ({ redirect: '/account', flash: 'accounts.password_changed' }),
      async (state) => ownPage(request, state, await listApiTokens(request.ctx.db, me)));
  });
  app.post('/account/tokens', { config: { access: 'authenticated' } }, async (request, reply) => {
    const me = request.principal!.accountId;
    await tokenCreated(request, reply, me, async (token) => ownPage(request, formState(), await listApiTokens(request.ctx.db, me), token));
  });
  app.post('/account/tokens/:tokenId/revoke', { config: { access: 'authenticated' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => revokeApiToken(trx, requestActor(request), request.principal!.accountId, idParamOf(request, 'tokenId')));
    await reply.redirect('/account#tokens', 303);
  });
}
