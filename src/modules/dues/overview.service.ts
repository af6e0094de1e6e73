import type { Db } from '../../storage/database.js';
import { today } from '../../core/clock.js';
import type { MessageKey } from '../../i18n/index.js';
import { type Membership, membershipsOfYears, newcomersBetween, PAYMENT_SOURCE } from '../memberships/memberships.service.js';
import { getPeople } from '../people/people.service.js';
import { fiscalYearBounds, getSettings } from '../settings/settings.service.js';
import * as repo from './dues.repository.js';
import { formatBelgianReference } from '../bank/references.js';
import type { DuesPolicy } from './dues.schema.js';
import { personReference } from './payment-reference.js';
import { getDuesPolicy, graceUntil, memberFromPayments, yearsCovered } from './dues.service.js';

/** A person's standing for a fiscal year, in the order the overview lists them. */
export const DUES_STATUSES = ['paid', 'below_minimum', 'exempt', 'not_paid', 'lapsed', 'excluded', 'resigned'] as const;
export type DuesStatus = (typeof DUES_STATUSES)[number];

/** How each status is written, in the page, the exports and the CLI. */
export const DUES_STATUS_LABELS: Record<DuesStatus, MessageKey> = {
  paid: 'dues.paid', below_minimum: 'overview.below_minimum', exempt: 'overview.exempt', not_paid: 'dues.not_paid',
  lapsed: 'dues.lapsed', excluded: 'overview.excluded', resigned: 'overview.resigned',
};

/** One person's line in the year overview. */
export interface DuesLine {
  person_id: number;
  display_name: string;
  /** The person's payment reference (+++900/0000/04257+++): with the id, it tells two namesakes apart. */
  payment_reference: string;
  status: DuesStatus;
  amount_cents: number;
  /** Currency of the dues paid (the collective's account currency; EUR when nothing was paid). */
  currency: string;
  payments: { transaction_id: number; date: string; amount_cents: number }[];
}

type Payment = Awaited<ReturnType<typeof repo.selectDuesForYear>>[number] & { fiscal_year: number };

interface YearFacts {
  year: number;
  policy: DuesPolicy;
  startMonth: number;
  /** True once the year and its grace period are over. */
  over: boolean;
  end: string;
  current: Map<number, Membership>;
  previous: Map<number, Membership>;
  newcomers: Set<number>;
}

// Statuses: a membership recorded by hand wins (member: paid when the payments make a member, else exempt; excluded,
// resigned, lapsed as recorded); otherwise a membership derived from payments, or payments that make a member under
// the policy, is paid; payments counted for the year that do not (e.g. under the minimum) are below_minimum; people
// expected to pay (a member the year before, a pending record, or a newcomer who joined in the year or the one before,
// and not left by the year's end) are not_paid while the year or its grace period runs, lapsed once both are over.
function statusOf(f: YearFacts, personId: number, payments: Payment[], leftOn: string | null): DuesStatus | null {
  const record = f.current.get(personId);
  const paysFor = memberFromPayments(payments, f.year, f.policy, f.startMonth).member;
  if (record && record.source !== PAYMENT_SOURCE && record.status !== 'pending') {
    if (record.status === 'member') return paysFor ? 'paid' : 'exempt';
    return record.status;
  }
  if (paysFor || (record?.status === 'member' && record.source === PAYMENT_SOURCE)) return 'paid';
  if (payments.length) return 'below_minimum';
  const before = f.previous.get(personId);
  const expected = before?.status === 'member' || record?.status === 'pending'
    || (f.newcomers.has(personId) && (!before || before.status === 'pending'));
  if (!expected || (leftOn && leftOn <= f.end)) return null;
  return f.over ? 'lapsed' : 'not_paid';
}

async function yearFacts(db: Db, year: number) {
  const [{ fiscal_year_start_month: startMonth }, policy] = await Promise.all([getSettings(db), getDuesPolicy(db)]);
  const bounds = fiscalYearBounds(year, startMonth);
  const [records, newcomers] = await Promise.all([membershipsOfYears(db, [year - 1, year]), newcomersBetween(db, fiscalYearBounds(year - 1, startMonth).start, bounds.end)]);
  const facts: YearFacts = {
    year, policy, startMonth, end: bounds.end, over: today() > graceUntil(year + 1, startMonth, policy),
    current: new Map(records.filter((m) => m.year === year).map((m) => [m.person_id, m])),
    previous: new Map(records.filter((m) => m.year === year - 1).map((m) => [m.person_id, m])),
    newcomers: new Set(newcomers),
  };
  return { facts, bounds };
}

type YearDues = Awaited<ReturnType<typeof repo.selectDuesForYear>>;

// Dues counted for the year, by person: its own year's, and the year before's that a rolling policy stretches into it.
function paymentsByPerson(f: YearFacts, own: YearDues, before: YearDues): Map<number, Payment[]> {
  const counted = [...before.map((d) => ({ ...d, fiscal_year: f.year - 1 })), ...own.map((d) => ({ ...d, fiscal_year: f.year }))]
    .filter((d) => d.person_id && yearsCovered(d.booking_date, d.fiscal_year, f.policy, f.startMonth).includes(f.year));
  counted.sort((a, b) => a.booking_date.localeCompare(b.booking_date));
  const byPerson = new Map<number, Payment[]>();
  for (const d of counted) byPerson.set(d.person_id as number, [...(byPerson.get(d.person_id as number) ?? []), d]);
  return byPerson;
}

/**
 * The treasurer's view of a fiscal year, from the memberships (manual ones winning) and the dues: one status per
 * person (see statusOf), the dues counted for the year, and the totals per kind and category of the year's movements.
 */
export async function duesOverview(db: Db, year: number) {
  const { facts, bounds } = await yearFacts(db, year);
  const [own, before, allocations] = await Promise.all([repo.selectDuesForYear(db, year), repo.selectDuesForYear(db, year - 1), repo.selectAllocationsBetween(db, bounds.start, bounds.end)]);
  const payments = paymentsByPerson(facts, own, before);
  const ids = [...new Set([...facts.current.keys(), ...facts.previous.keys(), ...facts.newcomers, ...payments.keys()])];
  const lines: DuesLine[] = [];
  for (const person of await getPeople(db, ids)) {
    if (person.deleted_at) continue;
    const paid = payments.get(person.id) ?? [];
    const status = statusOf(facts, person.id, paid, person.left_on ?? null);
    if (!status) continue;
    lines.push({
      person_id: person.id, display_name: person.display_name, payment_reference: formatBelgianReference(personReference(person.id)), status, amount_cents: paid.reduce((sum, p) => sum + p.amount_cents, 0),
      currency: paid[0]?.currency ?? 'EUR', payments: paid.map((p) => ({ transaction_id: p.transaction_id, date: p.booking_date, amount_cents: p.amount_cents })),
    });
  }
  lines.sort((a, b) => a.display_name.localeCompare(b.display_name) || a.person_id - b.person_id);
  return { year, bounds, lines, totals: totalsOf(own, allocations) };
}

type Counted = { kind: string | null; category: string | null; currency: string; amount_cents: number; status: string };

// Totals per kind and category. Dues count by their fiscal year, as the lines above do (a payment in the last weeks
// of the year before, under the policy, is in this year's total; one counted for the next year is not); donations,
// other income and expenses have no fiscal year of their own and count by booking date within the year's bounds.
function totalsOf(dues: YearDues, allocations: Awaited<ReturnType<typeof repo.selectAllocationsBetween>>) {
  const totals = new Map<string, { kind: string; category: string | null; currency: string; amount_cents: number; count: number }>();
  const counted: Counted[] = [...dues.map((d) => ({ ...d, kind: 'dues' })), ...allocations.filter((a) => a.kind !== 'dues')];
  for (const a of counted) {
    if (a.status === 'to_review') continue;
    const key = `${a.kind}|${a.category ?? ''}|${a.currency}`;
    const t = totals.get(key) ?? { kind: a.kind ?? 'other', category: a.category, currency: a.currency, amount_cents: 0, count: 0 };
    t.amount_cents += a.amount_cents;
    t.count++;
    totals.set(key, t);
  }
  return [...totals.values()].sort((a, b) => a.kind.localeCompare(b.kind) || (a.category ?? '').localeCompare(b.category ?? ''));
}
