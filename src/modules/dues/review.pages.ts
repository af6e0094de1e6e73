import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, csrfField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { formatMoney } from '../../views/money.js';
import { pageInfo, pager } from '../../views/pagination.js';
import { listTransactions } from '../bank/bank.service.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { listPeople } from '../people/people.service.js';
import { decideAllocation } from './allocation.service.js';
import { decisionFromForm } from './decision-form.js';
import { ALLOCATION_KINDS } from './dues.schema.js';
import { reviewQueue, undoLastDecision, withAllocations } from './review.service.js';

type Item = Awaited<ReturnType<typeof withAllocations>>[number];

function movement(request: FastifyRequest, tx: Item): SafeHtml {
  return html`<strong>${tx.booking_date}</strong> · <strong>${formatMoney(tx.amount_cents, tx.currency, request.locale)}</strong> · ${tx.counterparty_name ?? ''} ${tx.counterparty_iban ?? ''}
<div class="muted">${tx.structured_ref ? `+++${tx.structured_ref}+++ ` : ''}${tx.communication ?? ''}</div>`;
}

function allocationText(request: FastifyRequest, tx: Item): SafeHtml {
  const t = request.t;
  return html`${tx.allocations.map((a) => html`<div>${a.person ? html`<a href="/people/${a.person.id}">${a.person.display_name}</a>` : ''}
${a.kind ? t(`dues.kind.${a.kind}` as MessageKey) : ''}${a.category ? ` (${a.category})` : ''} ${formatMoney(a.amount_cents, tx.currency, request.locale)}
<span class="tag">${t(`dues.status.${a.status}` as MessageKey)}</span> <span class="muted">${t(a.reason.key as MessageKey, a.reason.params)}</span></div>`)}`;
}

function candidateBoxes(request: FastifyRequest, tx: Item, found: { id: number; display_name: string }[]): SafeHtml {
  const proposed = new Map<number, string>();
  for (const a of tx.allocations) {
    if (a.person) proposed.set(a.person.id, a.person.display_name);
    for (const alt of a.alternatives) proposed.set(alt.id, alt.display_name);
  }
  for (const p of found) proposed.set(p.id, p.display_name);
  const checked = new Set(tx.allocations.flatMap((a) => (a.person ? [a.person.id] : [])));
  // Homonyms look alike: each name links to its person (opens their page) so the treasurer can tell them apart.
  return html`${[...proposed].map(([id, name]) => html`<label><input type="checkbox" name="person_id" value="${id}"${checked.has(id) ? html` checked` : ''}> ${name} <a href="/people/${id}" class="muted">#${id}</a></label>`)}`;
}

function decisionForms(request: FastifyRequest, tx: Item, found: { id: number; display_name: string }[], query: string): SafeHtml {
  const t = request.t;
  const boxes = candidateBoxes(request, tx, found);
  const kinds = ALLOCATION_KINDS.map((k) => html`<option value="${k}"${(tx.amount_cents < 0 ? 'expense' : 'dues') === k ? html` selected` : ''}>${t(`dues.kind.${k}` as MessageKey)}</option>`);
  return html`<form method="post" action="/bank/transactions/${tx.id}/allocations">${csrfField(request)}
${boxes.value ? html`<fieldset><legend>${t('dues.assign')} / ${t('dues.split')}</legend>${boxes}</fieldset>` : ''}
<div class="filters"><label>${t('dues.kind')} <select name="kind">${kinds}</select></label><label>${t('dues.category')} <input name="category" size="12"></label>
<button>${t('dues.confirm')}</button></div></form>
<form method="get" action="/bank/review" class="filters" role="search"><input type="hidden" name="tx" value="${tx.id}"><label>${t('dues.find_person')} <input type="search" name="q" value="${query}"></label><button class="secondary">${t('form.search')}</button></form>`;
}

async function reviewPage(request: FastifyRequest<{ Querystring: { page?: string; q?: string; tx?: string } }>) {
  const t = request.t;
  const page = Math.max(1, Number(request.query.page) || 1);
  const queue = await reviewQueue(request.ctx.db, page);
  const q = String(request.query.q ?? '').slice(0, 100);
  const found = q ? (await listPeople(request.ctx.db, { q, per_page: 10 }, { currentYear: await currentFiscalYear(request.ctx.db) })).items : [];
  const items = queue.items.map((tx) => html`<section class="review" id="tx-${tx.id}"><p>${movement(request, tx)}</p><p>${t('dues.proposal')}: ${allocationText(request, tx)}</p>
${decisionForms(request, tx, String(tx.id) === request.query.tx ? found : [], String(tx.id) === request.query.tx ? q : '')}</section><hr>`);
  return { title: t('dues.review_title'), body: html`<h1>${t('dues.review_title')}</h1>${queue.items.length ? items : html`<p>${t('dues.review_empty')}</p>`}
${pager(t, '/bank/review', {}, pageInfo({ page, perPage: queue.perPage, total: queue.total, exact: true, items: queue.items }))}` };
}

/** The review queue (confirm, assign, split, categorise; all without JavaScript), the movements list and undo. */
export async function reviewPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { page?: string; q?: string; tx?: string } }>('/bank/review', { config: { access: 'dues:manage' } }, async (request, reply) => sendPage(request, reply, await reviewPage(request)));
  app.post('/bank/transactions/:id/allocations', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const id = idParamOf(request);
    const [tx] = await withAllocations(request.ctx.db, [id]);
    await inTransaction(request.ctx.db, (trx) => decideAllocation(trx, requestActor(request), id, decisionFromForm(formBody(request), tx?.amount_cents ?? 0)));
    setFlash(request, reply, { kind: 'info', key: 'dues.decided' });
    await reply.redirect('/bank/review', 303);
  });
  app.post('/bank/transactions/:id/undo', { config: { access: 'dues:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => undoLastDecision(trx, requestActor(request), idParamOf(request)));
    setFlash(request, reply, { kind: 'info', key: 'dues.undone' });
    await reply.redirect('/bank/transactions', 303);
  });
  app.get('/bank/transactions', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const t = request.t;
    const list = await listTransactions(request.ctx.db, request.query);
    const items = await withAllocations(request.ctx.db, list.items.map((tx) => tx.id));
    const rows = items.map((tx) => html`<tr><td>${tx.booking_date}</td><td>${formatMoney(tx.amount_cents, tx.currency, request.locale)}</td><td>${tx.counterparty_name ?? ''}<div class="muted">${tx.communication ?? ''}</div></td>
<td>${allocationText(request, tx)}${tx.allocations.some((a) => a.status === 'confirmed') ? buttonForm(request, `/bank/transactions/${tx.id}/undo`, t('dues.undo')) : ''}</td></tr>`);
    await sendPage(request, reply, { title: t('bank.transactions'), body: html`<h1>${t('bank.transactions')}</h1>
${items.length ? html`<table class="responsive"><thead><tr><th>${t('bank.date')}</th><th>${t('bank.amount')}</th><th>${t('bank.counterparty')}</th><th>${t('bank.allocation')}</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>${t('bank.none')}</p>`}
${pager(t, '/bank/transactions', request.query as Record<string, unknown>, { page: list.page, perPage: list.perPage, total: 0, exact: false, hasNext: list.hasNext })}` });
  });
}
