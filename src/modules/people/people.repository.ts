import { type Insertable, sql, type Updateable } from 'kysely';
import { escapeLike } from '../../core/text.js';
import { type Db, isSqlite } from '../../storage/database.js';
import type { PeopleTable } from './people.table.js';

/** Inserts a person row; returns its id. */
export async function insertPerson(db: Db, row: Insertable<PeopleTable>): Promise<number> {
  const { id } = await db.insertInto('people').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Updates a person row. */
export async function updatePerson(db: Db, id: number, changes: Updateable<PeopleTable>): Promise<void> {
  await db.updateTable('people').set(changes).where('id', '=', id).execute();
}

/** One person row, deleted or not. */
export async function selectPerson(db: Db, id: number) {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Replaces a person's e-mail addresses, keeping their order (`fresh`: a new person has none to delete); an address kept keeps its verification, a new one has none. */
export async function replaceEmails(db: Db, personId: number, emails: string[], fresh = false): Promise<void> {
  const verified = new Map<string, string | null>();
  if (!fresh) {
    const old = await db.selectFrom('person_emails').select(['email', 'verified_at']).where('person_id', '=', personId).execute();
    for (const row of old) verified.set(row.email, row.verified_at);
    await db.deleteFrom('person_emails').where('person_id', '=', personId).execute();
  }
  if (emails.length) {
    await db.insertInto('person_emails')
      .values(emails.map((email, position) => ({ person_id: personId, email, position, verified_at: verified.get(email) ?? null })))
      .execute();
  }
}

/** Replaces a person's tags. */
export async function replaceTags(db: Db, personId: number, tags: string[], fresh = false): Promise<void> {
  if (!fresh) await db.deleteFrom('person_tags').where('person_id', '=', personId).execute();
  if (tags.length) await db.insertInto('person_tags').values(tags.map((tag) => ({ person_id: personId, tag }))).execute();
}

/** Replaces an organisation's contact persons. */
export async function replaceContacts(db: Db, organisationId: number, contacts: { contact_id: number; role: string | null }[], fresh = false): Promise<void> {
  if (!fresh) await db.deleteFrom('person_contacts').where('organisation_id', '=', organisationId).execute();
  if (contacts.length) {
    await db.insertInto('person_contacts').values(contacts.map((c) => ({ organisation_id: organisationId, ...c }))).execute();
  }
}

/** E-mails of several people, in order. */
export async function selectEmails(db: Db, personIds: number[]) {
  if (!personIds.length) return [];
  return db.selectFrom('person_emails').select(['person_id', 'email']).where('person_id', 'in', personIds).orderBy('person_id').orderBy('position').execute();
}

/** Tags of several people. */
export async function selectTags(db: Db, personIds: number[]) {
  if (!personIds.length) return [];
  return db.selectFrom('person_tags').select(['person_id', 'tag']).where('person_id', 'in', personIds).orderBy('tag').execute();
}

/** Contact persons of several organisations, with names. */
export async function selectContacts(db: Db, organisationIds: number[]) {
  if (!organisationIds.length) return [];
  return db
    .selectFrom('person_contacts')
    .innerJoin('people', 'people.id', 'person_contacts.contact_id')
    .select(['person_contacts.organisation_id as owner', 'people.id', 'people.display_name', 'person_contacts.role'])
    .where('person_contacts.organisation_id', 'in', organisationIds)
    .where('people.deleted_at', 'is', null)
    .orderBy('people.sort_key')
    .execute();
}

/** Organisations several people are contacts of, with names. */
export async function selectOrganisationsOf(db: Db, contactIds: number[]) {
  if (!contactIds.length) return [];
  return db
    .selectFrom('person_contacts')
    .innerJoin('people', 'people.id', 'person_contacts.organisation_id')
    .select(['person_contacts.contact_id as owner', 'people.id', 'people.display_name', 'person_contacts.role'])
    .where('person_contacts.contact_id', 'in', contactIds)
    .where('people.deleted_at', 'is', null)
    .orderBy('people.sort_key')
    .execute();
}

/** Ids of live people among the given ones. */
export async function selectLiveIds(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('people').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute();
  return rows.map((r) => r.id);
}

/** Filters of a people listing, already normalised by the service. */
export interface PeopleFilter {
  words: string[];
  status?: string;
  year: number;
  tag?: string;
  kind?: string;
  deleted: boolean;
}

// SQLite's trigram index answers words of three letters or more; shorter ones (and PostgreSQL, whose pg_trgm
// index serves LIKE directly) use LIKE on the folded text.
function trigramMatch(words: string[]): string {
  return words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
}

// Words the SQLite trigram index (live people only) can answer.
function trigramWords(db: Db, filter: PeopleFilter): string[] {
  return isSqlite(db) && !filter.deleted ? filter.words.filter((w) => [...w].length >= 3) : [];
}

/**
 * Filters are written as `id in (set)` so the planner can look the few matches up by id and sort them. When
 * `dense` (many matches), SQLite had better walk the sorted index and stop after a page: tags and statuses are
 * then tested per row with EXISTS, and the search set is kept from driving the query with `+id`.
 */
function filtered(db: Db, filter: PeopleFilter, dense = false) {
  const sqlite = isSqlite(db);
  const walk = sqlite && dense;
  let query = db.selectFrom('people').where('people.deleted_at', filter.deleted ? 'is not' : 'is', null);
  const indexed = trigramWords(db, filter);
  if (indexed.length) {
    const id = walk ? sql`+people.id` : sql`people.id`;
    query = query.where(sql<boolean>`${id} in (select rowid from people_search where people_search match ${trigramMatch(indexed)})`);
  }
  for (const word of filter.words.filter((w) => !indexed.includes(w))) {
    query = query.where(sql<boolean>`people.search_text like ${`%${escapeLike(word)}%`} escape '\\'`);
  }
  if (filter.kind) query = query.where('people.kind', '=', filter.kind as 'individual');
  if (filter.tag) {
    const tags = sql`select person_id from person_tags where tag = ${filter.tag}`;
    query = query.where(walk ? sql<boolean>`exists (${tags} and person_id = people.id)` : sql<boolean>`people.id in (${tags})`);
  }
  if (filter.status === 'none') {
    query = query.where(sql<boolean>`not exists (select 1 from memberships where year = ${filter.year} and person_id = people.id)`);
  } else if (filter.status) {
    const members = sql`select person_id from memberships where year = ${filter.year} and status = ${filter.status}`;
    query = query.where(walk ? sql<boolean>`exists (${members} and person_id = people.id)` : sql<boolean>`people.id in (${members})`);
  }
  return query;
}

// A count driven by the one set that narrows the list, read in index order and stopped at the cap.
function drivingSet(db: Db, filter: PeopleFilter) {
  const indexed = trigramWords(db, filter);
  const only = (n: number) => filter.words.length + (filter.kind ? 1 : 0) + (filter.tag ? 1 : 0) + (filter.status ? 1 : 0) === n;
  if (indexed.length && indexed.length === filter.words.length && only(indexed.length)) {
    return sql`select rowid from people_search where people_search match ${trigramMatch(indexed)}`;
  }
  if (filter.tag && only(1)) {
    return sql`select t.person_id from person_tags t join people p on p.id = t.person_id and p.deleted_at is ${sql.raw(filter.deleted ? 'not null' : 'null')} where t.tag = ${filter.tag}`;
  }
  if (filter.status && filter.status !== 'none' && only(1)) {
    return sql`select m.person_id from memberships m join people p on p.id = m.person_id and p.deleted_at is ${sql.raw(filter.deleted ? 'not null' : 'null')} where m.year = ${filter.year} and m.status = ${filter.status}`;
  }
  return null;
}

/** True when the filter narrows the list (then counts are capped, see countPeople). */
export function isNarrowed(filter: PeopleFilter): boolean {
  return filter.words.length > 0 || !!filter.kind || !!filter.tag || !!filter.status;
}

/** One page of people matching a filter, ordered by sort key; `dense` when the filter matches many people. */
export async function selectPeoplePage(db: Db, filter: PeopleFilter, limit: number, offset: number, dense = false) {
  return filtered(db, filter, dense)
    .select(['people.id', 'people.kind', 'people.display_name', 'people.sort_name', 'people.city', 'people.deleted_at'])
    .orderBy('people.sort_key')
    .orderBy('people.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Number of people matching a filter, counting no further than `cap` when given (exact counts of big sets are slow). */
export async function countPeople(db: Db, filter: PeopleFilter, cap?: number): Promise<number> {
  if (cap === undefined) {
    const row = await filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const driving = drivingSet(db, filter);
  if (driving) {
    const row = await sql<{ n: number }>`select count(*) as n from (${driving} limit ${cap}) as matches`.execute(db);
    return Number(row.rows[0].n);
  }
  const matches = filtered(db, filter).select(sql<number>`1`.as('one')).limit(cap);
  const row = await db.selectFrom(matches.as('matches')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Streams every live person's id in sort order, in batches (exports). */
export async function selectLiveIdBatch(db: Db, afterKey: [string, number] | null, limit: number) {
  let query = db.selectFrom('people').select(['id', 'sort_key']).where('deleted_at', 'is', null);
  if (afterKey) {
    const [key, id] = afterKey;
    query = query.where((eb) => eb.or([eb('sort_key', '>', key), eb.and([eb('sort_key', '=', key), eb('id', '>', id)])]));
  }
  return query.orderBy('sort_key').orderBy('id').limit(limit).execute();
}

/** Full rows of several people. */
export async function selectPeopleRows(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db.selectFrom('people').selectAll().where('id', 'in', ids).execute();
}

/** Ids of people deleted before a moment (due for purge). */
export async function selectDeletedBefore(db: Db, before: string): Promise<number[]> {
  const rows = await db.selectFrom('people').select('id').where('deleted_at', 'is not', null).where('deleted_at', '<', before).execute();
  return rows.map((r) => r.id);
}

/** Removes a person row for good (e-mails, tags, memberships cascade). */
export async function hardDeletePerson(db: Db, id: number): Promise<void> {
  await db.deleteFrom('person_contacts').where((eb) => eb.or([eb('organisation_id', '=', id), eb('contact_id', '=', id)])).execute();
  await db.deleteFrom('person_emails').where('person_id', '=', id).execute();
  await db.deleteFrom('person_tags').where('person_id', '=', id).execute();
  await db.deleteFrom('memberships').where('person_id', '=', id).execute();
  await db.updateTable('accounts').set({ person_id: null }).where('person_id', '=', id).execute();
  await db.deleteFrom('people').where('id', '=', id).execute();
}
