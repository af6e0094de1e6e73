import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setFlash } from '../../http/cookies.js';
import { handleForm } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { formatMoney } from '../../views/money.js';
import { addPersonIban, personPayments, removePersonIban } from './person-payments.service.js';

async function page(request: FastifyRequest, personId: number, state: FormState) {
  const t = request.t;
  const data = await personPayments(request.ctx.db, personId);
  const base = `/people/${personId}/payments`;
  return {
    title: t('dues.payments_title', { name: data.person.display_name }),
    body: html`<h1>${t('dues.payments_title', { name: data.person.display_name })}</h1><p><a href="/people/${personId}">← ${data.person.display_name}</a></p>
<dl><dt>${t('dues.reference')}</dt><dd><strong>${data.references.belgian}</strong></dd><dt>${t('dues.rf_reference')}</dt><dd>${data.references.rf}</dd></dl>
<p class="muted">${t('dues.reference_hint')}</p>
<h2>${t('dues.ibans')}</h2>${data.ibans.length ? html`<ul>${data.ibans.map((i) => html`<li class="actions">${i.iban} <span class="muted">${t(`review_ui.iban_source.${i.source}` as MessageKey)}</span> ${buttonForm(request, `${base}/ibans/${encodeURIComponent(i.iban)}/remove`, t('dues.remove'))}</li>`)}</ul>` : ''}
${errorSummary(t, state)}<form method="post" action="${base}/ibans" class="filters">${csrfField(request)}${inputField(t, state, { name: 'iban', label: 'dues.add_iban', autocomplete: 'off' })}<button>${t('form.save')}</button></form>
<h2>${t('dues.payments')}</h2>${data.allocations.length ? html`<table class="responsive"><tbody>${data.allocations.map((a) => html`<tr><td>${a.booking_date}</td><td>${formatMoney(a.amount_cents, a.currency, request.locale)}</td>
<td>${a.kind ? t(`dues.kind.${a.kind}` as MessageKey) : ''} ${a.fiscal_year ?? ''}</td><td>${a.counterparty_name ?? ''}</td><td><span class="tag">${t(`dues.status.${a.status}` as MessageKey)}</span></td><td><a href="/bank/transactions/${a.transaction_id}">${t('review_ui.correct')}</a></td></tr>`)}</tbody></table>` : html`<p class="muted">${t('dues.no_payments')}</p>`}`,
  };
}

/** A person's payment reference, known IBANs and payments. */
export async function personPaymentsPages(app: FastifyInstance): Promise<void> {
  app.get('/people/:id/payments', { config: { access: 'dues:manage' } }, async (request, reply) => sendPage(request, reply, await page(request, idParamOf(request), formState())));
  app.post('/people/:id/payments/ibans', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const id = idParamOf(request);
    await handleForm(request, reply, (values) => inTransaction(request.ctx.db, (trx) => addPersonIban(trx, requestActor(request), id, values.iban)),
      () => ({ redirect: `/people/${id}/payments`, flash: 'flash.saved' }), (state) => page(request, id, state));
  });
  app.post<{ Params: { id: string; iban: string } }>('/people/:id/payments/ibans/:iban/remove', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => removePersonIban(trx, requestActor(request), id, request.params.iban));
    setFlash(request, reply, { kind: 'info', key: 'flash.saved' });
    await reply.redirect(`/people/${id}/payments`, 303);
  });
}
