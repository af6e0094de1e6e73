import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { csrfField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { minorDigits, typedToMinorUnits } from '../bank/parsers/money.js';
import { ALLOCATION_KINDS, type AllocationDecision } from './dues.schema.js';

type Kind = AllocationDecision['shares'][number]['kind'];

/** One share as the form shows it: text fields, so that a refused form comes back exactly as typed. */
export interface ShareRow { person: string; amount: string; kind: string; category: string; year: string }

/** The movement and its current allocations, as much of them as the form needs. */
export interface FormMovement {
  id: number;
  amount_cents: number;
  currency: string;
  allocations: { person: { id: number } | null; amount_cents: number; kind: string | null; category: string | null; fiscal_year: number | null; alternatives: { id: number }[] }[];
}

const MAX_SHARES = 20;

/** Writes integer minor units as the decimal text an amount field holds ("12.50"). */
export function amountText(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs}`;
}

/** Splits an amount into equal shares, the remainder cent on the first (how a split starts before the treasurer edits it). */
export function equalShares(amount: number, count: number): number[] {
  const each = Math.trunc(amount / count);
  return Array.from({ length: count }, (_, i) => (i === 0 ? amount - each * (count - 1) : each));
}

/** The form's rows as the movement is allocated now (the proposal), or split into `count` equal shares of its people. */
export function rowsOf(tx: FormMovement, count?: number): ShareRow[] {
  const first = tx.allocations[0];
  if (!count || count === tx.allocations.length) {
    return tx.allocations.map((a) => ({ person: a.person ? String(a.person.id) : '', amount: amountText(a.amount_cents, tx.currency), kind: a.kind ?? '', category: a.category ?? '', year: a.fiscal_year ? String(a.fiscal_year) : '' }));
  }
  const people = [...new Set(tx.allocations.flatMap((a) => [...(a.person ? [a.person.id] : []), ...a.alternatives.map((p) => p.id)]))];
  return equalShares(tx.amount_cents, Math.min(MAX_SHARES, Math.max(1, count))).map((amount, i) => ({
    person: people[i] ? String(people[i]) : '', amount: amountText(amount, tx.currency), kind: first?.kind ?? '', category: first?.category ?? '', year: first?.fiscal_year ? String(first.fiscal_year) : '',
  }));
}

/** The rows a submitted form holds (s0_person, s0_amount, ...), to show it again as typed. */
export function rowsFromFields(fields: Record<string, unknown>): ShareRow[] {
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  const rows: ShareRow[] = [];
  for (let i = 0; i < MAX_SHARES && `s${i}_amount` in fields; i++) {
    rows.push({ person: text(`s${i}_person`), amount: text(`s${i}_amount`), kind: text(`s${i}_kind`), category: text(`s${i}_category`), year: text(`s${i}_year`) });
  }
  return rows;
}

function amountOf(text: string, currency: string, field: string): number {
  try {
    return typedToMinorUnits(text, currency);
  } catch {
    throw new ValidationError({ [field]: 'review_ui.amount_invalid' }, 'review_ui.amount_invalid');
  }
}

function shareOf(row: ShareRow, i: number, currency: string): AllocationDecision['shares'][number] {
  if (!(ALLOCATION_KINDS as readonly string[]).includes(row.kind)) throw new ValidationError({ [`s${i}_kind`]: 'review_ui.kind_required' }, 'review_ui.kind_required');
  const year = row.year.trim();
  if (year && !/^\d{4}$/.test(year)) throw new ValidationError({ [`s${i}_year`]: 'validation.year' }, 'validation.year');
  return {
    person_id: /^\d+$/.test(row.person) ? Number(row.person) : null, amount_cents: amountOf(row.amount, currency, `s${i}_amount`),
    kind: row.kind as Kind, category: row.category.trim() || null, fiscal_year: year ? Number(year) : null,
  };
}

// The older form: checked people share the amount equally, all with one kind and category.
function decisionFromCheckboxes(fields: Record<string, unknown>, amount: number): AllocationDecision {
  const raw = fields.person_id;
  const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const kind = String(fields.kind ?? '') as Kind;
  const category = typeof fields.category === 'string' && fields.category.trim() ? fields.category.trim() : null;
  if (!ids.length) return { shares: [{ person_id: null, amount_cents: amount, kind, category }] };
  if (ids.length > MAX_SHARES) throw new ValidationError({ person_id: 'validation.too_long' });
  return { shares: equalShares(amount, ids.length).map((amount_cents, i) => ({ person_id: ids[i], amount_cents, kind, category })) };
}

/**
 * Reads the decision form as a decision: one share per row (person, amount, kind, category, fiscal year; rows left
 * empty are skipped). A form with checkboxes instead of rows splits the amount equally between the checked people.
 */
export function decisionFromForm(fields: Record<string, unknown>, amount: number, currency = 'EUR'): AllocationDecision {
  if (!('s0_amount' in fields)) return decisionFromCheckboxes(fields, amount);
  const rows = rowsFromFields(fields).map((row, i) => [row, i] as const).filter(([row]) => row.amount.trim() || row.person);
  if (!rows.length) throw new ValidationError({ s0_amount: 'dues.shares_must_add_up' }, 'dues.shares_must_add_up');
  return { shares: rows.map(([row, i]) => shareOf(row, i, currency)) };
}

/** What the form offers: the people to choose from, where it posts, where to go after, and whether to focus it. */
export interface FormOptions {
  /** `detail` (payment reference, city or e-mail) tells namesakes apart in the list. */
  people: { id: number; display_name: string; detail?: string }[];
  next: string;
  errors?: Record<string, string>;
  autofocus?: boolean;
}

function shareFieldset(request: FastifyRequest, tx: FormMovement, row: ShareRow, i: number, o: FormOptions): SafeHtml {
  const t = request.t;
  const id = (name: string) => `t${tx.id}-s${i}-${name}`;
  const invalid = (name: string) => (o.errors?.[`s${i}_${name}`] ? html` aria-invalid="true"` : '');
  const people = html`${o.people.map((p) => html`<option value="${p.id}"${String(p.id) === row.person ? html` selected` : ''}>${p.display_name} #${p.id}${p.detail ? ` · ${p.detail}` : ''}</option>`)}`;
  const kinds = html`${row.kind && (ALLOCATION_KINDS as readonly string[]).includes(row.kind) ? '' : html`<option value="" selected>${t('review_ui.choose_kind')}</option>`}${ALLOCATION_KINDS.map((k) => html`<option value="${k}"${row.kind === k ? html` selected` : ''}>${t(`dues.kind.${k}` as MessageKey)}</option>`)}`;
  return html`<fieldset class="filters"><legend>${t('review_ui.share', { n: i + 1 })}</legend>
<label for="${id('person')}">${t('review_ui.person')}</label> <select id="${id('person')}" name="s${i}_person"${i === 0 && o.autofocus ? html` autofocus` : ''}${invalid('person')}><option value="">${t('review_ui.nobody')}</option>${people}</select>
<label for="${id('amount')}">${t('bank.amount')} (${tx.currency})</label> <input id="${id('amount')}" name="s${i}_amount" value="${row.amount}" size="9" inputmode="decimal"${invalid('amount')}>
<label for="${id('kind')}">${t('dues.kind')}</label> <select id="${id('kind')}" name="s${i}_kind"${invalid('kind')}>${kinds}</select>
<label for="${id('category')}">${t('dues.category')}</label> <input id="${id('category')}" name="s${i}_category" value="${row.category}" size="12">
<label for="${id('year')}">${t('review_ui.fiscal_year')}</label> <input id="${id('year')}" name="s${i}_year" value="${row.year}" size="5" inputmode="numeric"${invalid('year')}></fieldset>`;
}

/** The decision form of one movement: a fieldset per share, pre-filled from the proposal (or from what was typed). */
export function decisionForm(request: FastifyRequest, tx: FormMovement, rows: ShareRow[], o: FormOptions): SafeHtml {
  const t = request.t;
  return html`<form method="post" action="/bank/transactions/${tx.id}/allocations">${csrfField(request)}<input type="hidden" name="next" value="${o.next}">
${rows.map((row, i) => shareFieldset(request, tx, row, i, o))}
<p class="muted">${t('review_ui.shares_hint')}</p><div class="actions"><button>${t('dues.confirm')}</button></div></form>`;
}
