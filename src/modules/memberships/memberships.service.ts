import type { Actor } from '../../core/actor.js';
import { nowIso, today } from '../../core/clock.js';
import { notFound } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange, recordChanges } from '../audit/audit.service.js';
import { getPerson } from '../people/people.service.js';
import { fiscalYearOf, getSettings } from '../settings/settings.service.js';
import * as repo from './memberships.repository.js';
import { membershipInput, type MembershipStatus, yearParam } from './memberships.schema.js';

/** A person's membership for one fiscal year. */
export interface Membership {
  person_id: number;
  year: number;
  status: MembershipStatus;
  effective: boolean;
  changed_on: string;
  source: string;
  decision_ref: string | null;
  note: string | null;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.selectMembership>>>;

function toMembership(row: Row): Membership {
  const { updated_at: _u, effective, ...rest } = row;
  return { ...rest, effective: effective === 1 };
}

/** The fiscal year that contains today, by the collective's start month. */
export async function currentFiscalYear(db: Db, now: Date = new Date()): Promise<number> {
  const { fiscal_year_start_month } = await getSettings(db);
  return fiscalYearOf(today(now), fiscal_year_start_month);
}

/** A person's membership for a year, or null when none was recorded. */
export async function getMembership(db: Db, personId: number, year: unknown): Promise<Membership | null> {
  const y = validate(yearParam, year);
  await getPerson(db, personId);
  const row = await repo.selectMembership(db, personId, y);
  return row ? toMembership(row) : null;
}

/** Every recorded year of a person, newest first. */
export async function membershipsOf(db: Db, personId: number): Promise<Membership[]> {
  return (await repo.selectMembershipsOfPerson(db, personId)).map(toMembership);
}

/** Statuses for one year of several people (lists). */
export async function statusesForYear(db: Db, personIds: number[], year: number): Promise<Map<number, Membership>> {
  const rows = await repo.selectMembershipsForYear(db, personIds, year);
  return new Map(rows.map((row) => [row.person_id, toMembership(row)]));
}

/** Records a person's membership for a year (date and source of the change kept; an exclusion cites its decision). */
export async function setMembership(db: Db, actor: Actor, personId: number, year: unknown, input: unknown): Promise<Membership> {
  const y = validate(yearParam, year);
  const data = validate(membershipInput, input);
  const person = await getPerson(db, personId);
  if (person.deleted_at) throw notFound();
  const before = await repo.selectMembership(db, personId, y);
  await repo.upsertMembership(db, {
    person_id: personId,
    year: y,
    status: data.status,
    effective: data.effective ? 1 : 0,
    changed_on: data.changed_on ?? today(),
    source: data.source || 'manual',
    decision_ref: data.decision_ref,
    note: data.note,
    updated_at: nowIso(),
  });
  const after = (await repo.selectMembership(db, personId, y)) as Row;
  await recordChange(db, actor, {
    action: 'membership.set',
    entityType: 'person',
    entityId: personId,
    before: before ? toMembership(before) : null,
    after: toMembership(after),
  });
  return toMembership(after);
}

/** Number of people per status for a year. */
export async function membershipCounts(db: Db, year: number): Promise<Record<string, number>> {
  const rows = await repo.countByStatus(db, year);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The source recorded on memberships derived from payments; any other source is a manual decision that wins. */
export const PAYMENT_SOURCE = 'payment';

/** What payments say of one person's year, for bulk derivation. */
export interface DerivedYear {
  personId: number;
  year: number;
  member: boolean;
  date: string | null;
}

// Rows per multi-row upsert (SQLite takes 32,766 parameters a statement).
const UPSERT_ROWS = 2_000;

/**
 * Applies many derived years at once (an import touching thousands of people): reads the current rows of thousands
 * of people at a time, inserts the new rows in bulk (COPY on PostgreSQL), updates the others in multi-row statements,
 * and records it all in the audit log in one go; manual records are left alone. This runs after the last movement is
 * written, while nothing else can: one round trip per 500 people and an upsert per new row took about a second.
 * Returns the number of memberships added, changed or removed.
 */
export async function applyDerivedMemberships(db: Db, actor: Actor, derived: DerivedYear[]): Promise<number> {
  const now = nowIso();
  const current = await currentRowsOf(db, derived);
  const added: Parameters<typeof repo.insertMemberships>[1] = [];
  const changed: Parameters<typeof repo.upsertMemberships>[1] = [];
  const removed: DerivedYear[] = [];
  const audits: Parameters<typeof recordChanges>[2] = [];
  for (const d of derived) {
    const before = current.get(`${d.personId}/${d.year}`);
    if (before && before.source !== PAYMENT_SOURCE) continue;
    if (!d.member) {
      if (!before) continue;
      removed.push(d);
      audits.push({ action: 'membership.derived', entityType: 'person', entityId: d.personId, before: toMembership(before), after: null });
      continue;
    }
    if (before?.status === 'member' && before.changed_on === d.date) continue;
    const row = { person_id: d.personId, year: d.year, status: 'member' as const, effective: before?.effective ?? 0, changed_on: d.date ?? today(), source: PAYMENT_SOURCE, decision_ref: null, note: null, updated_at: now };
    (before ? changed : added).push(row);
    audits.push({ action: 'membership.derived', entityType: 'person', entityId: d.personId, before: before ? toMembership(before) : null, after: toMembership(row) });
  }
  for (const d of removed) await repo.deleteMembership(db, d.personId, d.year);
  const inserted = repo.insertMemberships(db, added);
  const audited = recordChanges(db, actor, audits); // built while the server writes the memberships
  await Promise.all([inserted, audited]);
  for (let i = 0; i < changed.length; i += UPSERT_ROWS) await repo.upsertMemberships(db, changed.slice(i, i + UPSERT_ROWS));
  return audits.length;
}

/** Every membership row of some years (the dues overview of a year reads it and the year before). */
export async function membershipsOfYears(db: Db, years: number[]): Promise<Membership[]> {
  return (await repo.selectMembershipsOfYears(db, years)).map(toMembership);
}

/** People and years whose membership was derived from payments (a dues policy change re-derives them). */
export function derivedMembershipYears(db: Db): Promise<{ person_id: number; year: number }[]> {
  return repo.selectYearsWithSource(db, PAYMENT_SOURCE);
}

/** Live people who joined between two dates (their joining date, else the day they were registered): newcomers expected to pay. */
export async function newcomersBetween(db: Db, from: string, to: string): Promise<number[]> {
  return (await repo.selectJoinedBetween(db, from, to)).map((r) => r.id);
}

// The membership rows of the derived people and years, by `person/year`.
async function currentRowsOf(db: Db, derived: DerivedYear[]): Promise<Map<string, Row>> {
  const people = [...new Set(derived.map((d) => d.personId))];
  const years = [...new Set(derived.map((d) => d.year))];
  const current = new Map<string, Row>();
  for (const row of await repo.selectMembershipsOf(db, people, years)) current.set(`${row.person_id}/${row.year}`, row);
  return current;
}
