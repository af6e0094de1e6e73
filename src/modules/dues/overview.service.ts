import type { Db } from '../../storage/database.js';
import { today } from '../../core/clock.js';
import { getPeople } from '../people/people.service.js';
import { fiscalYearBounds, getSettings } from '../settings/settings.service.js';
import * as repo from './dues.repository.js';
import { getDuesPolicy, graceUntil } from './dues.service.js';

/** One person's line in the year overview. */
export interface DuesLine {
  person_id: number;
  display_name: string;
  status: 'paid' | 'not_paid' | 'lapsed';
  amount_cents: number;
  /** Currency of the dues paid (the collective's account currency; EUR when nothing was paid). */
  currency: string;
  payments: { transaction_id: number; date: string; amount_cents: number }[];
}

/** The treasurer's view of a fiscal year: who paid, who has not yet, who lapsed, and the totals per kind and category. */
export async function duesOverview(db: Db, year: number) {
  const [{ fiscal_year_start_month: startMonth }, policy] = await Promise.all([getSettings(db), getDuesPolicy(db)]);
  const bounds = fiscalYearBounds(year, startMonth);
  const graceOver = today() > graceUntil(year, startMonth, policy);
  const [dues, lastYear, allocations] = await Promise.all([repo.selectDuesForYear(db, year), repo.selectDuesForYear(db, year - 1), repo.selectAllocationsBetween(db, bounds.start, bounds.end)]);
  const lines = new Map<number, DuesLine>();
  for (const d of dues) {
    if (!d.person_id) continue;
    const line = lines.get(d.person_id) ?? { person_id: d.person_id, display_name: '', status: 'paid' as const, amount_cents: 0, currency: d.currency, payments: [] };
    line.amount_cents += d.amount_cents;
    line.payments.push({ transaction_id: d.transaction_id, date: d.booking_date, amount_cents: d.amount_cents });
    lines.set(d.person_id, line);
  }
  for (const d of lastYear) {
    if (d.person_id && !lines.has(d.person_id)) lines.set(d.person_id, { person_id: d.person_id, display_name: '', status: graceOver ? 'lapsed' : 'not_paid', amount_cents: 0, currency: d.currency, payments: [] });
  }
  const people = new Map((await getPeople(db, [...lines.keys()])).filter((p) => !p.deleted_at).map((p) => [p.id, p.display_name]));
  const result = [...lines.values()].filter((l) => people.has(l.person_id)).map((l) => ({ ...l, display_name: people.get(l.person_id) as string }));
  result.sort((a, b) => a.display_name.localeCompare(b.display_name));
  return { year, bounds, lines: result, totals: totalsOf(allocations) };
}

function totalsOf(allocations: Awaited<ReturnType<typeof repo.selectAllocationsBetween>>) {
  const totals = new Map<string, { kind: string; category: string | null; currency: string; amount_cents: number; count: number }>();
  for (const a of allocations) {
    if (a.status === 'to_review') continue;
    const key = `${a.kind}|${a.category ?? ''}|${a.currency}`;
    const t = totals.get(key) ?? { kind: a.kind ?? 'other', category: a.category, currency: a.currency, amount_cents: 0, count: 0 };
    t.amount_cents += a.amount_cents;
    t.count++;
    totals.set(key, t);
  }
  return [...totals.values()].sort((a, b) => a.kind.localeCompare(b.kind) || (a.category ?? '').localeCompare(b.category ?? ''));
}
