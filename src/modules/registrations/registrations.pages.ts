import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, csrfField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { acceptRegistration, isRegistrationOpen, listRegistrations, refuseRegistration, type RegistrationView } from './registrations.service.js';

const FILTERS = ['pending', 'accepted', 'refused', 'all'] as const;

function decision(request: FastifyRequest, r: RegistrationView): SafeHtml {
  const t = request.t;
  if (r.status !== 'pending') {
    const status = t(`registrations.status_${r.status}` as MessageKey);
    return html`<span class="tag">${status}</span> ${r.decided_at?.slice(0, 10) ?? ''}${r.account_id ? html` <a href="/accounts/${r.account_id}">${r.username}</a>` : ''}${r.refusal_reason ? html` — ${r.refusal_reason}` : ''}`;
  }
  return html`<div class="actions">${buttonForm(request, `/registrations/${r.id}/accept`, t('registrations.accept'), '')}
<form method="post" action="/registrations/${r.id}/refuse" class="filters">${csrfField(request)}<label>${t('registrations.reason')} <input name="reason" maxlength="1000"></label><button class="danger">${t('registrations.refuse')}</button></form></div>`;
}

function requestsTable(request: FastifyRequest, requests: RegistrationView[]): SafeHtml {
  const t = request.t;
  if (!requests.length) return html`<p class="muted">${t('registrations.none')}</p>`;
  return html`<table class="responsive"><thead><tr><th>${t('registrations.requested_at')}</th><th>${t('accounts.username')}</th><th>${t('invite.display_name')}</th><th>${t('people.email')}</th><th>${t('registrations.message')}</th><th>${t('registrations.status')}</th></tr></thead><tbody>
${requests.map((r) => html`<tr id="registration-${r.id}"><td>${r.created_at.slice(0, 16).replace('T', ' ')}</td><td>${r.username}</td><td>${r.display_name}</td><td>${r.email}</td><td class="pre">${r.message ?? ''}</td><td>${decision(request, r)}</td></tr>`)}
</tbody></table>`;
}

async function queuePage(request: FastifyRequest, status: string) {
  const t = request.t;
  const shown = (FILTERS as readonly string[]).includes(status) ? status : 'pending';
  const open = await isRegistrationOpen(request.ctx.db);
  const link = `${request.ctx.config.publicUrl}/register`;
  const filterLabel = (f: string) => t(f === 'all' ? 'registrations.filter_all' : (`registrations.status_${f}` as MessageKey));
  return {
    title: t('registrations.title'),
    body: html`<h1>${t('registrations.title')}</h1>
<p>${open ? t('registrations.is_open', { link }) : html`${t('registrations.is_closed')} <a href="/settings">${t('nav.settings')}</a>`}</p>
<form method="get" action="/registrations" class="filters"><label>${t('registrations.show')} <select name="status">${FILTERS.map((f) => html`<option value="${f}"${f === shown ? html` selected` : ''}>${filterLabel(f)}</option>`)}</select></label><button class="secondary">${t('registrations.show')}</button></form>
${requestsTable(request, await listRegistrations(request.ctx.db, shown))}`,
  };
}

async function decide(request: FastifyRequest, reply: FastifyReply, work: () => Promise<{ key: MessageKey; username: string }>): Promise<void> {
  try {
    const { key, username } = await work();
    setFlash(request, reply, { kind: 'info', key, params: { username } });
  } catch (error) {
    if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 422)) throw error;
    setFlash(request, reply, { kind: 'error', key: error.key, params: error.params as Record<string, string> });
  }
  await reply.redirect('/registrations', 303);
}

/** The approval queue: admins accept (the account is created) or refuse (with a reason) each request. */
export async function registrationsPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { status?: string } }>('/registrations', { config: { access: 'registrations:manage' } }, async (request, reply) =>
    sendPage(request, reply, await queuePage(request, request.query.status ?? 'pending')));
  app.post('/registrations/:id/accept', { config: { access: 'registrations:manage' } }, (request, reply) => decide(request, reply, async () => {
    const { account } = await inTransaction(request.ctx.db, (trx) => acceptRegistration(trx, requestActor(request), idParamOf(request)));
    return { key: 'registrations.accepted', username: account.username };
  }));
  app.post('/registrations/:id/refuse', { config: { access: 'registrations:manage' } }, (request, reply) => decide(request, reply, async () => {
    const refused = await inTransaction(request.ctx.db, (trx) => refuseRegistration(trx, requestActor(request), idParamOf(request), formBody(request)));
    return { key: 'registrations.refused', username: refused.username };
  }));
}
