import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleForm } from '../../http/forms.js';
import { requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField, errorSummary, type FormState, formState, inputField, selectField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { formatMoney } from '../../views/money.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { amountText } from './decision-form.js';
import { DUES_MODES, type DuesPolicy, yearOf } from './dues.schema.js';
import { exportDues } from './dues-export.service.js';
import { duesCurrency, getDuesPolicy, updateDuesPolicy } from './dues.service.js';
import { DUES_STATUS_LABELS, DUES_STATUSES, type DuesStatus, duesOverview } from './overview.service.js';

async function yearPage(request: FastifyRequest, reply: FastifyReply, year: number) {
  const t = request.t;
  const overview = await duesOverview(request.ctx.db, year);
  const section = (status: DuesStatus) => {
    const lines = overview.lines.filter((l) => l.status === status);
    if (!lines.length && !['paid', 'not_paid', 'lapsed'].includes(status)) return '';
    return html`<h2 id="status-${status}">${t(DUES_STATUS_LABELS[status])} (${lines.length})</h2>${lines.length ? html`<table class="responsive"><tbody>${lines.map((l) => html`<tr><td><a href="/people/${l.person_id}">${l.display_name}</a></td><td class="muted">#${l.person_id} ${l.payment_reference}</td><td>${l.amount_cents ? formatMoney(l.amount_cents, l.currency, request.locale) : ''}</td><td>${l.payments.map((p) => p.date).join(', ')}</td></tr>`)}</tbody></table>` : ''}`;
  };
  const totals = html`<h2>${t('dues.totals')}</h2><table><thead><tr><th>${t('dues.kind')}</th><th>${t('dues.category')}</th><th>${t('overview.total_count')}</th><th>${t('overview.total_amount')}</th></tr></thead><tbody>${overview.totals.map((x) => html`<tr><td>${t(`dues.kind.${x.kind}` as MessageKey)}</td><td>${x.category ?? ''}</td><td>${x.count}</td><td>${formatMoney(x.amount_cents, x.currency, request.locale)}</td></tr>`)}</tbody></table>`;
  await sendPage(request, reply, { title: t('dues.year_title', { year }), body: html`<h1>${t('dues.year_title', { year })}</h1>
<p class="muted">${overview.bounds.start} – ${overview.bounds.end}</p>
<div class="actions"><a href="/dues/${year - 1}">← ${year - 1}</a><a href="/dues/${year + 1}">${year + 1} →</a>
${['csv', 'xlsx', 'ods'].map((f) => html`<a class="button secondary" href="/dues/${year}/export.${f}">${t('dues.export')} ${f.toUpperCase()}</a>`)}
<a class="button secondary" href="/dues/policy">${t('dues.policy_title')}</a></div>
<p class="muted">${t('overview.statuses_help')}</p>
${DUES_STATUSES.map(section)}${totals}` });
}

// The stored policy as the form shows it: the minimum as money ("20,00" in French and Dutch, "20.00" in English).
function policyValues(request: FastifyRequest, policy: DuesPolicy, currency: string) {
  const { minimum_cents, ...rest } = policy;
  const minimum = amountText(minimum_cents, currency);
  return { ...rest, minimum: request.locale === 'en' ? minimum : minimum.replace('.', ',') };
}

function policyPage(request: FastifyRequest, state: FormState, currency: string) {
  const t = request.t;
  const modes = DUES_MODES.map((m): [string, string] => [m, t(`dues.mode.${m}` as MessageKey)]);
  return { title: t('dues.policy_title'), body: html`<h1>${t('dues.policy_title')}</h1>${errorSummary(t, state)}<form method="post" action="/dues/policy">${csrfField(request)}
${selectField(t, state, { name: 'mode', label: 'dues.mode', autofocus: true }, modes)}
${inputField(t, state, { name: 'minimum', label: 'dues.minimum', inputmode: 'decimal', hint: t('overview.minimum_hint', { currency }) })}
${inputField(t, state, { name: 'grace_days', label: 'dues.grace_days', type: 'number', inputmode: 'numeric' })}
${inputField(t, state, { name: 'early_weeks', label: 'dues.early_weeks', type: 'number', inputmode: 'numeric' })}
<div class="actions"><button>${t('form.save')}</button></div></form>` };
}

/** The fiscal year overview (who paid, who has not, who lapsed, totals, exports) and the dues policy. */
export async function duesPages(app: FastifyInstance): Promise<void> {
  app.get('/dues', { config: { access: 'dues:manage' } }, async (request, reply) => reply.redirect(`/dues/${await currentFiscalYear(request.ctx.db)}`, 303));
  app.get('/dues/policy', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const currency = await duesCurrency(request.ctx.db);
    await sendPage(request, reply, policyPage(request, formState(policyValues(request, await getDuesPolicy(request.ctx.db), currency)), currency));
  });
  app.post('/dues/policy', { config: { access: 'dues:manage' } }, async (request, reply) => handleForm(request, reply,
    // The form types the minimum as money (`minimum`); a `minimum_cents` field slipped into the form is not taken.
    (values) => inTransaction(request.ctx.db, (trx) => updateDuesPolicy(trx, requestActor(request), { ...values, minimum_cents: undefined })),
    (saved) => ({ redirect: '/dues/policy', flash: 'overview.policy_saved', params: { changed: saved.changed } }), async (state) => policyPage(request, state, await duesCurrency(request.ctx.db))));
  app.get<{ Params: { year: string } }>('/dues/:year', { config: { access: 'dues:manage' } }, async (request, reply) => yearPage(request, reply, yearOf(request.params.year)));
  app.get<{ Params: { year: string; format: string } }>('/dues/:year/export.:format', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const file = await exportDues(request.ctx.db, yearOf(request.params.year), request.params.format, request.t);
    return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
  });
}
