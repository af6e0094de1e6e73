import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { setFlash } from '../../http/cookies.js';
import { formBody, safeLocalPath } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { formatMoney } from '../../views/money.js';
import { formatBelgianReference } from '../bank/references.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { getPeople, listPeople } from '../people/people.service.js';
import { decideAllocation } from './allocation.service.js';
import { personReference } from './payment-reference.js';
import { decisionForm, decisionFromForm, rowsFromFields, rowsOf, type ShareRow } from './decision-form.js';
import { canUndoDecision, movementWithAllocations, undoLastDecision, type withAllocations } from './review.service.js';

/** A movement with its allocations as the pages show it. */
export type Item = Awaited<ReturnType<typeof withAllocations>>[number];
/** A person a decision can name; `detail` (payment reference, city or first e-mail) tells namesakes apart. */
type Person = { id: number; display_name: string; detail?: string };

/** A structured reference as members write it: +++900/0000/00116+++ for Belgian digits, RF references as they are. */
export function structuredRefText(ref: string | null): string {
  if (!ref) return '';
  return /^\d{12}$/.test(ref) ? formatBelgianReference(ref) : ref;
}

/** A movement's date, amount, counterparty, reference and communication. */
export function movementText(request: FastifyRequest, tx: Item): SafeHtml {
  return html`<strong>${tx.booking_date}</strong> · <strong>${formatMoney(tx.amount_cents, tx.currency, request.locale)}</strong> · ${tx.counterparty_name ?? ''} ${tx.counterparty_iban ?? ''}
<div class="muted">${tx.structured_ref ? `${structuredRefText(tx.structured_ref)} ` : ''}${tx.communication ?? ''}</div>`;
}

/** A movement's allocations: person, kind, amount, status, and for Ruche's own proposals their confidence and reason. */
export function allocationText(request: FastifyRequest, tx: Item): SafeHtml {
  const t = request.t;
  return html`${tx.allocations.map((a) => html`<div>${a.person ? html`<a href="/people/${a.person.id}">${a.person.display_name}</a>` : ''}
${a.kind ? t(`dues.kind.${a.kind}` as MessageKey) : ''}${a.category ? ` (${a.category})` : ''}${a.kind === 'dues' && a.fiscal_year ? ` ${a.fiscal_year}` : ''} ${formatMoney(a.amount_cents, tx.currency, request.locale)}
<span class="tag">${t(`dues.status.${a.status}` as MessageKey)}</span>${a.status === 'confirmed' ? '' : html` <span class="tag">${t('dues.confidence', { value: a.confidence })}</span>`} <span class="muted">${t(a.reason.key as MessageKey, a.reason.params)}</span></div>`)}`;
}

/** The people a decision can name: those of the proposal and its alternatives, then the ones found or typed. */
export function candidatesOf(tx: Item, ...more: Person[][]): Person[] {
  const all = new Map<number, Person>();
  for (const a of tx.allocations) {
    if (a.person) all.set(a.person.id, a.person);
    for (const alt of a.alternatives) all.set(alt.id, alt);
  }
  for (const list of more) for (const p of list) all.set(p.id, { id: p.id, display_name: p.display_name });
  return [...all.values()];
}

/** Gives each candidate what tells namesakes apart (payment reference, then city or else first e-mail), in one batch of queries. */
export async function withDetails(request: FastifyRequest, people: Person[]): Promise<Person[]> {
  if (!people.length) return people;
  const full = new Map((await getPeople(request.ctx.db, [...new Set(people.map((p) => p.id))])).map((p) => [p.id, p]));
  return people.map((p) => {
    const known = full.get(p.id);
    return { ...p, detail: [formatBelgianReference(personReference(p.id)), known?.city || known?.emails[0]].filter(Boolean).join(' · ') };
  });
}

/** Links to the candidates' pages, each with its id and details: homonyms look alike, these tell them apart. */
export function candidateLinks(request: FastifyRequest, people: Person[]): SafeHtml {
  if (!people.length) return html``;
  return html`<p class="muted">${request.t('review_ui.candidates')} ${people.map((p, i) => html`${i ? '; ' : ''}<a href="/people/${p.id}">${p.display_name} #${p.id}</a>${p.detail ? ` (${p.detail})` : ''}`)}</p>`;
}

/** The people named in submitted rows that the page would not otherwise offer (a refused form keeps its choices). */
async function peopleOfRows(request: FastifyRequest, rows: ShareRow[]): Promise<Person[]> {
  const ids = rows.map((r) => Number(r.person)).filter((n) => Number.isInteger(n) && n > 0);
  return ids.length ? (await getPeople(request.ctx.db, ids)).map((p) => ({ id: p.id, display_name: p.display_name })) : [];
}

function errorMessages(request: FastifyRequest, error: AppError): SafeHtml {
  const keys = [...new Set([error.key, ...Object.values(error.fields)])].filter((k) => k !== 'error.validation' || !Object.keys(error.fields).length);
  return html`<div class="errors" role="alert">${keys.map((k) => html`<p>${request.t(k as MessageKey, error.params)}</p>`)}</div>`;
}

type PageQuery = { q?: string; shares?: string };

async function movementPage(request: FastifyRequest, tx: Item, query: PageQuery, refused?: { fields: Record<string, unknown>; error: AppError }) {
  const t = request.t;
  const q = String(query.q ?? '').slice(0, 100);
  const count = Math.min(20, Math.max(0, Math.trunc(Number(query.shares) || 0)));
  const typed = refused ? rowsFromFields(refused.fields) : [];
  const rows = typed.length ? typed : rowsOf(tx, count || undefined);
  const found = q ? (await listPeople(request.ctx.db, { q, per_page: 10 }, { currentYear: await currentFiscalYear(request.ctx.db) })).items : [];
  const people = await withDetails(request, candidatesOf(tx, found, await peopleOfRows(request, rows)));
  const next = safeLocalPath(refused?.fields.next ?? `/bank/transactions/${tx.id}`);
  const undo = (await canUndoDecision(request.ctx.db, tx.id))
    ? html`<form method="post" action="/bank/transactions/${tx.id}/undo">${csrfField(request)}<input type="hidden" name="next" value="/bank/transactions/${tx.id}"><button class="secondary">${t('dues.undo')}</button></form>` : '';
  const title = t('review_ui.movement_title', { date: tx.booking_date });
  return {
    title,
    body: html`<h1>${title}</h1>${refused ? errorMessages(request, refused.error) : ''}<p><a href="/bank/transactions">← ${t('bank.transactions')}</a> · <a href="/bank/review">${t('dues.review_title')}</a></p>
<div class="movement">${movementText(request, tx)}</div><h2>${t('review_ui.current')}</h2>${allocationText(request, tx)}${undo}
<h2>${t('review_ui.decide')}</h2>${decisionForm(request, tx, rows, { people, next, errors: refused?.error.fields, autofocus: true })}${candidateLinks(request, people)}
<form method="get" action="/bank/transactions/${tx.id}" class="filters"><label>${t('review_ui.shares_count')} <input type="number" name="shares" min="1" max="20" value="${rows.length}" size="3"></label><input type="hidden" name="q" value="${q}"><button class="secondary">${t('review_ui.prepare_shares')}</button></form>
<form method="get" action="/bank/transactions/${tx.id}" class="filters" role="search"><input type="hidden" name="shares" value="${count || ''}"><label>${t('dues.find_person')} <input type="search" name="q" value="${q}"></label><button class="secondary">${t('form.search')}</button></form>`,
  };
}

/** One movement's page (any movement: automatic, confirmed or to review), its decision form, the decision and undo. */
export async function movementPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: PageQuery }>('/bank/transactions/:id', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const tx = await movementWithAllocations(request.ctx.db, idParamOf(request));
    await sendPage(request, reply, await movementPage(request, tx, request.query));
  });
  app.post('/bank/transactions/:id/allocations', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const tx = await movementWithAllocations(request.ctx.db, idParamOf(request));
    const fields = formBody(request);
    try {
      const decision = decisionFromForm(fields, tx.amount_cents, tx.currency);
      await inTransaction(request.ctx.db, (trx) => decideAllocation(trx, requestActor(request), tx.id, decision));
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      // The same form again, with what was typed and why it was refused; nothing was written.
      await sendPage(request, reply, { ...(await movementPage(request, tx, {}, { fields, error })), status: 422 });
      return;
    }
    setFlash(request, reply, { kind: 'info', key: 'dues.decided' });
    await reply.redirect(fields.next === undefined ? '/bank/review' : safeLocalPath(fields.next), 303);
  });
  app.post('/bank/transactions/:id/undo', { config: { access: 'dues:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => undoLastDecision(trx, requestActor(request), idParamOf(request)));
    setFlash(request, reply, { kind: 'info', key: 'dues.undone' });
    const next = formBody(request).next;
    await reply.redirect(next === undefined ? '/bank/transactions' : safeLocalPath(next), 303);
  });
}
