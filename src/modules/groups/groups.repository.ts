import type { Insertable, SelectQueryBuilder, Updateable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';
import type { GroupMembersTable, GroupsTable } from './groups.table.js';

/** A query yielding the ids of the people in a group (static or computed), before live-people filtering. */
export type PersonIds = SelectQueryBuilder<Database, any, { person_id: number }>;

/** Which memberships make someone a member now: the current fiscal year, and the previous one during its grace period. */
export interface StandingRule {
  year: number;
  /** True while the previous year's grace period runs: its members still count until they renew or lapse. */
  inGrace: boolean;
  /** Today's date: people whose `left_on` is today or earlier are out. */
  today: string;
  effectiveOnly: boolean;
}

/** Inserts a static group and returns its id. */
export async function insertGroup(db: Db, row: Insertable<GroupsTable>): Promise<number> {
  const { id } = await db.insertInto('groups').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Changes a static group's columns. */
export async function updateGroup(db: Db, id: number, changes: Updateable<GroupsTable>): Promise<void> {
  await db.updateTable('groups').set(changes).where('id', '=', id).execute();
}

/** Removes a static group (its members cascade). */
export async function deleteGroup(db: Db, id: number): Promise<void> {
  await db.deleteFrom('group_members').where('group_id', '=', id).execute();
  await db.deleteFrom('groups').where('id', '=', id).execute();
}

/** One static group by name. */
export async function selectGroupByName(db: Db, name: string) {
  return db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Every static group, by name. */
export async function selectGroups(db: Db) {
  return db.selectFrom('groups').selectAll().orderBy('name').execute();
}

/** Number of live people in each static group. */
export async function countStaticMembers(db: Db): Promise<Map<number, number>> {
  const rows = await db.selectFrom('group_members').innerJoin('people', 'people.id', 'group_members.person_id')
    .select(['group_members.group_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('people.deleted_at', 'is', null).groupBy('group_members.group_id').execute();
  return new Map(rows.map((r) => [r.group_id, Number(r.n)]));
}

/** Adds a person to a static group. */
export async function insertMember(db: Db, row: Insertable<GroupMembersTable>): Promise<void> {
  await db.insertInto('group_members').values(row).execute();
}

/** Removes a person from a static group; returns the number of rows removed. */
export async function deleteMember(db: Db, groupId: number, personId: number): Promise<number> {
  const result = await db.deleteFrom('group_members').where('group_id', '=', groupId).where('person_id', '=', personId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One membership row of a static group. */
export async function selectMember(db: Db, groupId: number, personId: number) {
  return db.selectFrom('group_members').selectAll().where('group_id', '=', groupId).where('person_id', '=', personId).executeTakeFirst();
}

/** Ids of every person recorded in a static group (audit snapshot before a delete). */
export async function selectMemberIds(db: Db, groupId: number): Promise<number[]> {
  const rows = await db.selectFrom('group_members').select('person_id').where('group_id', '=', groupId).orderBy('person_id').execute();
  return rows.map((r) => r.person_id);
}

/** Live people of a static group with who added them and when, in sort order. */
export async function selectStaticMembers(db: Db, groupId: number, limit: number, offset: number) {
  return db.selectFrom('group_members').innerJoin('people', 'people.id', 'group_members.person_id')
    .select(['people.id as person_id', 'people.display_name', 'group_members.added_by', 'group_members.added_at'])
    .where('group_members.group_id', '=', groupId).where('people.deleted_at', 'is', null)
    .orderBy('people.sort_key').orderBy('people.id').limit(limit).offset(offset).execute();
}

/** Names of the static groups a live person is in. */
export async function selectStaticGroupNamesOfPerson(db: Db, personId: number): Promise<string[]> {
  const rows = await db.selectFrom('group_members').innerJoin('groups', 'groups.id', 'group_members.group_id')
    .innerJoin('people', 'people.id', 'group_members.person_id')
    .select('groups.name').where('group_members.person_id', '=', personId).where('people.deleted_at', 'is', null).execute();
  return rows.map((r) => r.name);
}

/** People carrying a tag. */
export function taggedIds(db: Db, tag: string): PersonIds {
  return db.selectFrom('person_tags').select('person_tags.person_id').where('person_tags.tag', '=', tag);
}

/**
 * People in good standing under the rule: a `member` record for the year, or, during the grace period, a `member`
 * record for the previous year and nothing (or `pending`) for this one; not left; effective by the latest record.
 */
export function standingIds(db: Db, rule: StandingRule): PersonIds {
  return db.selectFrom('people as p')
    .leftJoin('memberships as cur', (j) => j.onRef('cur.person_id', '=', 'p.id').on('cur.year', '=', rule.year))
    .leftJoin('memberships as prev', (j) => j.onRef('prev.person_id', '=', 'p.id').on('prev.year', '=', rule.year - 1))
    .select('p.id as person_id')
    .where((eb) => {
      const standing = [eb('cur.status', '=', 'member')];
      if (rule.inGrace) standing.push(eb.and([eb('prev.status', '=', 'member'), eb.or([eb('cur.status', 'is', null), eb('cur.status', '=', 'pending')])]));
      const conditions = [eb.or(standing), eb.or([eb('p.left_on', 'is', null), eb('p.left_on', '>', rule.today)])];
      if (rule.effectiveOnly) conditions.push(eb(eb.fn.coalesce('cur.effective', 'prev.effective'), '=', 1));
      return eb.and(conditions);
    });
}

/** A page of the live people among the ids, in sort order. */
export async function selectPeopleIn(db: Db, ids: PersonIds, limit: number, offset: number) {
  return db.selectFrom('people').select(['people.id as person_id', 'people.display_name'])
    .where('people.id', 'in', ids).where('people.deleted_at', 'is', null)
    .orderBy('people.sort_key').orderBy('people.id').limit(limit).offset(offset).execute();
}

/** Number of live people among the ids. */
export async function countPeopleIn(db: Db, ids: PersonIds): Promise<number> {
  const row = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('people.id', 'in', ids).where('people.deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Which of the named id sets hold a live person, asked in one statement (a login evaluates them all). */
export async function setsHoldingPerson(db: Db, personId: number, sets: { name: string; ids: PersonIds }[]): Promise<string[]> {
  if (!sets.length) return [];
  const row = await db.selectFrom('people')
    .select((eb) => sets.map((set, i) => eb('people.id', 'in', set.ids).as(`in${i}`)))
    .where('people.id', '=', personId).where('people.deleted_at', 'is', null).executeTakeFirst() as Record<string, unknown> | undefined;
  return row ? sets.filter((_, i) => Boolean(row[`in${i}`])).map((set) => set.name) : [];
}

/** A page of the enabled accounts holding a role, with their live person if any, by username. */
export async function selectRoleHolders(db: Db, role: string, limit: number, offset: number) {
  return db.selectFrom('account_roles').innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .leftJoin('people', (j) => j.onRef('people.id', '=', 'accounts.person_id').on('people.deleted_at', 'is', null))
    .select(['accounts.id as account_id', 'accounts.username', 'people.id as person_id', 'people.display_name'])
    .where('account_roles.role', '=', role).where('accounts.disabled', '=', 0)
    .orderBy('accounts.username').limit(limit).offset(offset).execute();
}

/** Number of enabled accounts per role. */
export async function countRoleHolders(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('account_roles').innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .select(['account_roles.role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('accounts.disabled', '=', 0).groupBy('account_roles.role').execute();
  return new Map(rows.map((r) => [r.role, Number(r.n)]));
}
