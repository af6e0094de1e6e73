import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { formatMoney } from '../../views/money.js';
import { pageInfo, pager } from '../../views/pagination.js';
import { listTransactions } from '../bank/bank.service.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { listPeople } from '../people/people.service.js';
import { decisionForm, rowsOf } from './decision-form.js';
import { allocationText, candidateLinks, candidatesOf, type Item, movementPages, movementText, withDetails } from './movement.pages.js';
import { reviewQueue, withAllocations } from './review.service.js';

// One waiting movement: what it is, what Ruche proposes and why, and the decision form pre-filled with that proposal.
function reviewItem(request: FastifyRequest, tx: Item, people: { id: number; display_name: string; detail?: string }[], query: string): SafeHtml {
  const t = request.t;
  return html`<section class="review" id="tx-${tx.id}"><div class="movement">${movementText(request, tx)}</div><div>${t('dues.proposal')}: ${allocationText(request, tx)}</div>
${decisionForm(request, tx, rowsOf(tx), { people, next: `/bank/review#tx-${tx.id}` })}${candidateLinks(request, people)}
<p><a href="/bank/transactions/${tx.id}">${t('review_ui.open_split')}</a></p>
<form method="get" action="/bank/review#tx-${tx.id}" class="filters" role="search"><input type="hidden" name="tx" value="${tx.id}"><label>${t('dues.find_person')} <input type="search" name="q" value="${query}"></label><button class="secondary">${t('form.search')}</button></form></section><hr>`;
}

async function reviewPage(request: FastifyRequest<{ Querystring: { page?: string; q?: string; tx?: string } }>) {
  const t = request.t;
  const page = Math.max(1, Number(request.query.page) || 1);
  const queue = await reviewQueue(request.ctx.db, page);
  const q = String(request.query.q ?? '').slice(0, 100);
  const found = q ? (await listPeople(request.ctx.db, { q, per_page: 10 }, { currentYear: await currentFiscalYear(request.ctx.db) })).items : [];
  const searched = (tx: Item) => String(tx.id) === request.query.tx;
  // Every item's candidates with what tells namesakes apart, fetched once for the whole page.
  const candidates = queue.items.map((tx) => candidatesOf(tx, searched(tx) ? found : []));
  const detailed = new Map((await withDetails(request, candidates.flat())).map((p) => [p.id, p]));
  const items = queue.items.map((tx, i) => reviewItem(request, tx, candidates[i].map((p) => detailed.get(p.id) ?? p), searched(tx) ? q : ''));
  return { title: t('dues.review_title'), body: html`<h1>${t('dues.review_title')}</h1>${queue.items.length ? items : html`<p>${t('dues.review_empty')}</p>`}
${pager(t, '/bank/review', {}, pageInfo({ page, perPage: queue.perPage, total: queue.total, exact: true, items: queue.items }))}` };
}

/** The review queue (confirm, assign, split, categorise; all without JavaScript), the movements list, each movement's page and undo. */
export async function reviewPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { page?: string; q?: string; tx?: string } }>('/bank/review', { config: { access: 'dues:manage' } }, async (request, reply) => sendPage(request, reply, await reviewPage(request)));
  await movementPages(app);
  app.get('/bank/transactions', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const t = request.t;
    const list = await listTransactions(request.ctx.db, request.query);
    const items = await withAllocations(request.ctx.db, list.items.map((tx) => tx.id));
    const rows = items.map((tx) => html`<tr><td>${tx.booking_date}</td><td>${formatMoney(tx.amount_cents, tx.currency, request.locale)}</td><td>${tx.counterparty_name ?? ''}<div class="muted">${tx.communication ?? ''}</div></td>
<td>${allocationText(request, tx)}<div class="actions"><a class="button secondary" href="/bank/transactions/${tx.id}">${t('review_ui.correct')}</a></div></td></tr>`);
    await sendPage(request, reply, { title: t('bank.transactions'), body: html`<h1>${t('bank.transactions')}</h1>
${items.length ? html`<table class="responsive"><thead><tr><th>${t('bank.date')}</th><th>${t('bank.amount')}</th><th>${t('bank.counterparty')}</th><th>${t('bank.allocation')}</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>${t('bank.none')}</p>`}
${pager(t, '/bank/transactions', request.query as Record<string, unknown>, { page: list.page, perPage: list.perPage, total: 0, exact: false, hasNext: list.hasNext })}` });
  });
}
