import type { Actor } from '../../core/actor.js';
import { ValidationError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { applyDerivedMemberships, type DerivedYear, derivedMembershipYears } from '../memberships/memberships.service.js';
import { fiscalYearBounds, fiscalYearOf, getModuleSetting, getSettings, onFiscalYearStartChange, saveModuleSetting } from '../settings/settings.service.js';
import { bankAccounts } from '../bank/accounts.service.js';
import { typedToMinorUnits } from '../bank/parsers/money.js';
import * as repo from './dues.repository.js';
import { type DuesPolicy, duesPolicyInput } from './dues.schema.js';

const POLICY_KEY = 'dues_policy';
const DEFAULT_POLICY: DuesPolicy = { mode: 'any', minimum_cents: 0, grace_days: 0, early_weeks: 0 };
const DAY = 86_400_000;

/** The collective's dues policy (defaults: one dues payment of any amount makes a member for its fiscal year). */
export function getDuesPolicy(db: Db): Promise<DuesPolicy> {
  return getModuleSetting(db, POLICY_KEY, DEFAULT_POLICY);
}

/**
 * Validates and saves the dues policy, gives the matcher's dues the fiscal year their date counts for under it (the
 * treasurer's keep the year they chose), then re-derives the memberships it can change (every year with dues, and
 * every year already derived from payments), audited; `changed` counts the memberships added, changed or removed.
 */
export async function updateDuesPolicy(db: Db, actor: Actor, input: unknown): Promise<DuesPolicy & { changed: number; moved: number }> {
  const { minimum, minimum_cents, ...rest } = validate(duesPolicyInput, input);
  const next: DuesPolicy = { ...rest, minimum_cents: minimum === undefined ? minimum_cents ?? 0 : await minimumCents(db, minimum) };
  const before = await getDuesPolicy(db);
  await saveModuleSetting(db, actor, POLICY_KEY, next, before);
  const moved = next.early_weeks === before.early_weeks ? 0 : await redateAutomaticDues(db, next);
  if (moved) await recordChange(db, actor, { action: 'dues.years_recomputed', entityType: 'settings', entityId: POLICY_KEY, before: { early_weeks: before.early_weeks }, after: { early_weeks: next.early_weeks, moved } });
  return { ...next, changed: await rederiveAllMemberships(db, actor), moved };
}

/** The currency the dues policy's minimum is in: the collective's (first) bank account's, or EUR before any account. */
export async function duesCurrency(db: Db): Promise<string> {
  return (await bankAccounts(db))[0]?.currency ?? 'EUR';
}

// The minimum as typed ("20,50"), in minor units of the collective's currency.
async function minimumCents(db: Db, typed: string): Promise<number> {
  try {
    const cents = typedToMinorUnits(typed, await duesCurrency(db));
    if (cents >= 0 && cents <= 100_000_000) return cents;
  } catch {
    // refused below, naming the field
  }
  throw new ValidationError({ minimum: 'review_ui.amount_invalid' }, 'review_ui.amount_invalid');
}

// Re-derives every membership dues may have changed: every year with dues, and every year already derived from
// payments (memberships of the years moved dues left are among those, so they are re-derived too).
async function rederiveAllMemberships(db: Db, actor: Actor): Promise<number> {
  const touched: TouchedYears = new Map();
  for (const d of await repo.selectDuesYears(db)) touch(touched, d.person_id as number, d.fiscal_year as number);
  for (const m of await derivedMembershipYears(db)) touch(touched, m.person_id, m.year);
  return deriveMemberships(db, actor, touched);
}

/**
 * After the fiscal year's start month changed (settings already saved, same transaction): moves the matcher's dues
 * to the fiscal year they now fall in under the policy, audited, and re-derives memberships; returns how many changed.
 */
async function followFiscalYearStart(db: Db, actor: Actor, change: { before: number; after: number }): Promise<number> {
  const moved = await redateAutomaticDues(db, await getDuesPolicy(db));
  await recordChange(db, actor, { action: 'dues.years_recomputed', entityType: 'settings', entityId: 'collective', before: { fiscal_year_start_month: change.before }, after: { fiscal_year_start_month: change.after, moved } });
  return rederiveAllMemberships(db, actor);
}

// Settings cannot import the dues module (the dues import settings), so the dues register for start month changes.
onFiscalYearStartChange(followFiscalYearStart);

/** Moves the matcher's dues allocations (status auto) to the fiscal year they count for now (`yearOfDues`); one statement per year. */
async function redateAutomaticDues(db: Db, policy: DuesPolicy): Promise<number> {
  const { fiscal_year_start_month: startMonth } = await getSettings(db);
  const moves = new Map<number, number[]>();
  for (const a of await repo.selectAutoDues(db)) {
    const year = yearOfDues(a.booking_date, a.communication, policy, startMonth);
    if (year !== a.fiscal_year) moves.set(year, [...(moves.get(year) ?? []), a.id]);
  }
  let moved = 0;
  for (const [year, ids] of moves) moved += await repo.updateAllocationsYear(db, ids, year);
  return moved;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The last day the previous fiscal year's members still count: the end of the year before `year`, plus the policy's grace days. */
export function graceUntil(year: number, startMonth: number, policy: Pick<DuesPolicy, 'grace_days'>): string {
  const previousEnd = fiscalYearBounds(year - 1, startMonth).end;
  return new Date(Date.parse(`${previousEnd}T00:00:00Z`) + policy.grace_days * 86_400_000).toISOString().slice(0, 10);
}

/** The fiscal year a dues payment counts for: the one its text names next to the policy's year, else the policy's (`duesYearOf`). */
export function yearOfDues(date: string, text: string | null, policy: DuesPolicy, startMonth: number): number {
  return yearWritten(text, duesYearOf(date, policy, startMonth));
}

// A year as the payer writes it ("cotisation 2027"), not part of a date (12/03/2026) or of a span (2026-2027).
const WRITTEN_YEAR = /(?<![\d/.-])20\d\d(?![\d/-]|\.\d)/g;

/** The fiscal year a dues payment is for: the one its text names, when it names exactly one next to the policy's year; else the policy's. */
export function yearWritten(text: string | null, policyYear: number): number {
  if (!text || !text.includes('20')) return policyYear;
  let named: number | null = null;
  for (const [written] of text.matchAll(WRITTEN_YEAR)) {
    const year = Number(written);
    if (named !== null && year !== named) return policyYear;
    named = year;
  }
  return named !== null && Math.abs(named - policyYear) <= 1 ? named : policyYear;
}

/** The fiscal year a dues payment counts for: its own, or the next one when paid in the year's last `early_weeks` weeks. */
export function duesYearOf(date: string, policy: DuesPolicy, startMonth: number): number {
  const year = fiscalYearOf(date, startMonth);
  if (policy.early_weeks > 0) {
    const { end } = fiscalYearBounds(year, startMonth);
    if (date > addDays(end, -7 * policy.early_weeks)) return year + 1;
  }
  return year;
}

/** Fiscal years a payment keeps someone a member for under the policy (rolling: every year its 12 months touch). */
export function yearsCovered(date: string, duesYear: number, policy: DuesPolicy, startMonth: number): number[] {
  if (policy.mode !== 'rolling') return [duesYear];
  const last = fiscalYearOf(addDays(date, 364), startMonth);
  const years: number[] = [];
  for (let y = duesYear; y <= Math.max(duesYear, last); y++) years.push(y);
  return years;
}

/** Whether a person's dues make them a member of a year, and since when, under the policy. */
export function memberFromPayments(payments: { amount_cents: number; fiscal_year: number | null; booking_date: string }[], year: number, policy: DuesPolicy, startMonth: number) {
  const counted = payments.filter((p) => p.fiscal_year !== null && yearsCovered(p.booking_date, p.fiscal_year, policy, startMonth).includes(year));
  if (!counted.length) return { member: false, date: null };
  if (policy.mode === 'minimum') {
    let total = 0;
    for (const p of counted) {
      total += p.amount_cents;
      if (total >= policy.minimum_cents) return { member: true, date: p.booking_date };
    }
    return { member: false, date: null };
  }
  return { member: true, date: counted[0].booking_date };
}

/** People and the fiscal years whose membership their dues may have changed. */
export type TouchedYears = Map<number, Set<number>>;

/** Adds a person's year to a set of touched years. */
export function touch(touched: TouchedYears, personId: number, year: number): void {
  touched.set(personId, (touched.get(personId) ?? new Set()).add(year));
}

/** Re-derives memberships from dues for the touched people and years, in bulk (manual records win and are kept); returns how many changed. */
export async function deriveMemberships(db: Db, actor: Actor, touched: TouchedYears): Promise<number> {
  if (!touched.size) return 0;
  const policy = await getDuesPolicy(db);
  const { fiscal_year_start_month: startMonth } = await getSettings(db);
  const ids = [...touched.keys()];
  const derived: DerivedYear[] = [];
  const payments = new Map<number, Awaited<ReturnType<typeof repo.selectDuesOfPeople>>>();
  for (const p of await repo.selectDuesOfPeople(db, ids)) {
    const list = payments.get(p.person_id as number);
    if (list) list.push(p);
    else payments.set(p.person_id as number, [p]);
  }
  for (const personId of ids) {
    const years = touched.get(personId) as Set<number>;
    const latest = Math.max(...years);
    // A rolling policy may also cover the next year: it is derived when the payments make a member of it.
    for (const year of new Set([...years].flatMap((y) => [y, y + 1]))) {
      const paid = memberFromPayments(payments.get(personId) ?? [], year, policy, startMonth);
      if (paid.member || year <= latest) derived.push({ personId, year, ...paid });
    }
  }
  return applyDerivedMemberships(db, actor, derived);
}
