import type { Actor } from '../../core/actor.js';
import { nowIso, today } from '../../core/clock.js';
import { notFound } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
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

/**
 * Applies what the payments say of a person's year: member (from `date`) or not. A manual record (exemption,
 * exclusion, resignation...) overrides the payments and is left alone; returns what happened.
 */
export async function applyDerivedMembership(db: Db, actor: Actor, personId: number, year: number, paid: { member: boolean; date: string | null }): Promise<'member' | 'cleared' | 'manual' | 'unchanged'> {
  const before = await repo.selectMembership(db, personId, year);
  if (before && before.source !== PAYMENT_SOURCE) return 'manual';
  if (!paid.member) {
    if (!before) return 'unchanged';
    await repo.deleteMembership(db, personId, year);
    await recordChange(db, actor, { action: 'membership.derived', entityType: 'person', entityId: personId, before: toMembership(before), after: null });
    return 'cleared';
  }
  if (before?.status === 'member' && before.changed_on === paid.date) return 'unchanged';
  const changedOn = paid.date ?? today();
  await repo.upsertMembership(db, {
    person_id: personId, year, status: 'member', effective: before?.effective ?? 0, changed_on: changedOn,
    source: PAYMENT_SOURCE, decision_ref: null, note: null, updated_at: nowIso(),
  });
  const after = await repo.selectMembership(db, personId, year);
  await recordChange(db, actor, { action: 'membership.derived', entityType: 'person', entityId: personId, before: before ? toMembership(before) : null, after: after ? toMembership(after) : null });
  return 'member';
}
