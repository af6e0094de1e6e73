import { type Insertable, sql, type Updateable } from 'kysely';
import { escapeLike } from '../../core/text.js';
import type { Db } from '../../storage/database.js';
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

/** Replaces a person's e-mail addresses, keeping their order (`fresh`: a new person has none to delete). */
export async function replaceEmails(db: Db, personId: number, emails: string[], fresh = false): Promise<void> {
  if (!fresh) await db.deleteFrom('person_emails').where('person_id', '=', personId).execute();
  if (emails.length) {
    await db.insertInto('person_emails').values(emails.map((email, position) => ({ person_id: personId, email, position }))).execute();
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

function filtered(db: Db, filter: PeopleFilter) {
  let query = db.selectFrom('people').where('people.deleted_at', filter.deleted ? 'is not' : 'is', null);
  for (const word of filter.words) {
    query = query.where(sql<boolean>`people.search_text like ${`%${escapeLike(word)}%`} escape '\\'`);
  }
  if (filter.kind) query = query.where('people.kind', '=', filter.kind as 'individual');
  if (filter.tag) {
    const tag = filter.tag;
    query = query.where((eb) => eb.exists(eb.selectFrom('person_tags').select('person_tags.person_id')
      .whereRef('person_tags.person_id', '=', 'people.id').where('person_tags.tag', '=', tag)));
  }
  if (filter.status === 'none') {
    const year = filter.year;
    query = query.where((eb) => eb.not(eb.exists(eb.selectFrom('memberships').select('memberships.person_id')
      .whereRef('memberships.person_id', '=', 'people.id').where('memberships.year', '=', year))));
  } else if (filter.status) {
    const { year, status } = filter;
    query = query.where((eb) => eb.exists(eb.selectFrom('memberships').select('memberships.person_id')
      .whereRef('memberships.person_id', '=', 'people.id').where('memberships.year', '=', year)
      .where('memberships.status', '=', status as 'member')));
  }
  return query;
}

/** One page of people matching a filter, ordered by sort key. */
export async function selectPeoplePage(db: Db, filter: PeopleFilter, limit: number, offset: number) {
  return filtered(db, filter)
    .select(['people.id', 'people.kind', 'people.display_name', 'people.sort_name', 'people.city', 'people.deleted_at'])
    .orderBy('people.sort_key')
    .orderBy('people.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Number of people matching a filter. */
export async function countPeople(db: Db, filter: PeopleFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
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
