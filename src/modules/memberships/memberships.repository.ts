import { type Insertable, sql } from 'kysely';
import { insertRows } from '../../storage/bulk.js';
import { type Db, idIn, readForIds } from '../../storage/database.js';
import type { MembershipsTable } from './memberships.table.js';

/** One person's membership row for a year. */
export async function selectMembership(db: Db, personId: number, year: number) {
  return db.selectFrom('memberships').selectAll().where('person_id', '=', personId).where('year', '=', year).executeTakeFirst();
}

/** Every membership row of a person, newest year first. */
export async function selectMembershipsOfPerson(db: Db, personId: number) {
  return db.selectFrom('memberships').selectAll().where('person_id', '=', personId).orderBy('year', 'desc').execute();
}

/** Membership rows for a year of several people. */
export async function selectMembershipsForYear(db: Db, personIds: number[], year: number) {
  if (!personIds.length) return [];
  return db.selectFrom('memberships').selectAll().where('year', '=', year).where('person_id', 'in', personIds).execute();
}

/** Inserts or replaces a person's membership for a year. */
export async function upsertMembership(db: Db, row: Insertable<MembershipsTable>): Promise<void> {
  const { person_id: _p, year: _y, ...changes } = row;
  await db
    .insertInto('memberships')
    .values(row)
    .onConflict((oc) => oc.columns(['person_id', 'year']).doUpdateSet(changes))
    .execute();
}

/** Counts of people per status for a year (reports and the dashboard). */
export async function countByStatus(db: Db, year: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('people', 'people.id', 'memberships.person_id')
    .select(['memberships.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('memberships.year', '=', year)
    .where('people.deleted_at', 'is', null)
    .groupBy('memberships.status')
    .execute();
}

/** Removes a person's membership row for a year. */
export async function deleteMembership(db: Db, personId: number, year: number): Promise<void> {
  await db.deleteFrom('memberships').where('person_id', '=', personId).where('year', '=', year).execute();
}

/** Membership rows of several people for the given years (bulk derivation). */
export async function selectMembershipsOf(db: Db, personIds: number[], years: number[]) {
  if (!years.length) return [];
  return readForIds(db, personIds, (ids) => db.selectFrom('memberships').selectAll().where(idIn(db, 'person_id', ids)).where('year', 'in', years).execute());
}

/** Inserts many new membership rows (COPY on PostgreSQL): a bulk derivation's people who had none for the year. */
export async function insertMemberships(db: Db, rows: Insertable<MembershipsTable>[]): Promise<void> {
  await insertRows(db, 'memberships', rows);
}

/** Inserts or replaces many membership rows in one statement. */
export async function upsertMemberships(db: Db, rows: Insertable<MembershipsTable>[]): Promise<void> {
  if (!rows.length) return;
  await db.insertInto('memberships').values(rows).onConflict((oc) => oc.columns(['person_id', 'year']).doUpdateSet((eb) => ({
    status: eb.ref('excluded.status'), effective: eb.ref('excluded.effective'), changed_on: eb.ref('excluded.changed_on'),
    source: eb.ref('excluded.source'), decision_ref: eb.ref('excluded.decision_ref'), note: eb.ref('excluded.note'), updated_at: eb.ref('excluded.updated_at'),
  }))).execute();
}

/** Every membership row of some years. */
export async function selectMembershipsOfYears(db: Db, years: number[]) {
  if (!years.length) return [];
  return db.selectFrom('memberships').selectAll().where('year', 'in', years).execute();
}

/** People and years of the membership rows recorded by one source. */
export async function selectYearsWithSource(db: Db, source: string) {
  return db.selectFrom('memberships').select(['person_id', 'year']).where('source', '=', source).execute();
}

/** Live people whose joining date (else registration day) is between two dates, inclusive. */
export async function selectJoinedBetween(db: Db, from: string, to: string) {
  const joined = sql<string>`coalesce(cast(${sql.ref('joined_on')} as text), substr(${sql.ref('created_at')}, 1, 10))`;
  return db.selectFrom('people').select('id').where('deleted_at', 'is', null).where(joined, '>=', from).where(joined, '<=', to).execute();
}
