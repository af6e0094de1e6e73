import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { notFound, ValidationError } from '../../core/errors.js';
import { fold } from '../../core/text.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { dataVersion, forgetEntity, recordChange } from '../audit/audit.service.js';
import * as repo from './people.repository.js';
import { contactInput, type PeopleQuery, peopleQuery, type PersonCreateInput, personCreateInput, type PersonData, personPatchInput } from './people.schema.js';

/** A person as the fronts see it. */
export interface Person extends Omit<PersonData, 'contacts'> {
  id: number;
  contacts: { id: number; display_name: string; role: string | null }[];
  organisations: { id: number; display_name: string; role: string | null }[];
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One line of the people list. */
export interface PersonSummary {
  id: number;
  kind: string;
  display_name: string;
  sort_name: string | null;
  city: string | null;
  emails: string[];
  tags: string[];
  deleted_at: string | null;
}

/** Days a deleted person can still be restored before the purge removes it. */
export const RESTORE_DAYS = 30;

function searchText(data: PersonData): string {
  return fold([data.display_name, data.sort_name, ...data.emails, ...data.tags, data.phone, data.city, data.notes].filter(Boolean).join(' '));
}

/** The stored columns of a person (with its sort key and search text), for the repository and bulk loaders. */
export function personColumns(data: PersonData) {
  return {
    kind: data.kind,
    display_name: data.display_name,
    sort_name: data.sort_name,
    sort_key: fold(data.sort_name || data.display_name),
    search_text: searchText(data),
    street: data.street,
    postal_code: data.postal_code,
    city: data.city,
    country: data.country,
    phone: data.phone,
    language: data.language,
    notes: data.notes,
    joined_on: data.joined_on,
    left_on: data.left_on,
    left_reason: data.left_reason,
  };
}

function checkRules(data: PersonData, selfId?: number): void {
  if (data.left_on && data.joined_on && data.left_on < data.joined_on) throw new ValidationError({ left_on: 'validation.left_before_joined' });
  if (data.contacts.length && data.kind !== 'organisation') throw new ValidationError({ contacts: 'people.contacts_only_organisations' });
  if (selfId !== undefined && data.contacts.some((c) => c.contact_id === selfId)) throw new ValidationError({ contacts: 'people.contact_self' });
}

async function checkContactsExist(db: Db, data: PersonData): Promise<void> {
  const ids = [...new Set(data.contacts.map((c) => c.contact_id))];
  if ((await repo.selectLiveIds(db, ids)).length !== ids.length) throw new ValidationError({ contacts: 'people.contact_unknown' });
}

async function writeRelations(db: Db, id: number, data: PersonData, fresh = false): Promise<void> {
  await repo.replaceEmails(db, id, [...new Set(data.emails)], fresh);
  await repo.replaceTags(db, id, [...new Set(data.tags)], fresh);
  if (data.contacts.length || !fresh) await repo.replaceContacts(db, id, data.contacts, fresh);
}

/** Creates a person from validated input, recording it in the audit log. */
export async function createPerson(db: Db, actor: Actor, input: PersonCreateInput | Record<string, unknown>): Promise<Person> {
  const data = validate(personCreateInput, input);
  checkRules(data);
  await checkContactsExist(db, data);
  const now = nowIso();
  const id = await repo.insertPerson(db, { ...personColumns(data), created_at: now, updated_at: now, deleted_at: null });
  await writeRelations(db, id, data, true);
  const person = await getPerson(db, id);
  await recordChange(db, actor, { action: 'person.create', entityType: 'person', entityId: id, after: snapshot(person) });
  return person;
}

/** Changes some fields of a person; the history keeps before and after. */
export async function updatePerson(db: Db, actor: Actor, id: number, input: unknown): Promise<Person> {
  const before = await getPerson(db, id);
  if (before.deleted_at) throw notFound();
  const patch = validate(personPatchInput, input);
  const current = { ...snapshot(before), contacts: before.contacts.map((c) => ({ contact_id: c.id, role: c.role })) };
  const data = validate(personCreateInput, { ...current, ...stripUndefined(patch) });
  checkRules(data, id);
  await checkContactsExist(db, data);
  await repo.updatePerson(db, id, { ...personColumns(data), updated_at: nowIso() });
  await writeRelations(db, id, data);
  const after = await getPerson(db, id);
  await recordChange(db, actor, { action: 'person.update', entityType: 'person', entityId: id, before: snapshot(before), after: snapshot(after) });
  return after;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The fields of a person kept in audit snapshots. */
function snapshot(person: Person): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, deleted_at: _d, organisations: _o, ...fields } = person;
  return { ...fields, contacts: person.contacts.map((c) => ({ contact_id: c.id, role: c.role })) };
}

/** One person with e-mails, tags, contacts and organisations; deleted ones too (their page offers restore). */
export async function getPerson(db: Db, id: number): Promise<Person> {
  const [person] = await getPeople(db, [id]);
  if (!person) throw notFound();
  return person;
}

/** Several people, fully loaded in five queries whatever their number (exports, batches). */
export async function getPeople(db: Db, ids: number[]): Promise<Person[]> {
  const [rows, emails, tags, contacts, organisations] = await Promise.all([
    repo.selectPeopleRows(db, ids),
    repo.selectEmails(db, ids),
    repo.selectTags(db, ids),
    repo.selectContacts(db, ids),
    repo.selectOrganisationsOf(db, ids),
  ]);
  const byId = new Map(rows.map((row) => {
    const { sort_key: _k, search_text: _s, ...fields } = row;
    const person: Person = { ...fields, language: fields.language as Person['language'], emails: [], tags: [], contacts: [], organisations: [] };
    return [row.id, person];
  }));
  for (const e of emails) byId.get(e.person_id)?.emails.push(e.email);
  for (const t of tags) byId.get(t.person_id)?.tags.push(t.tag);
  for (const { owner, ...c } of contacts) byId.get(owner)?.contacts.push(c);
  for (const { owner, ...o } of organisations) byId.get(owner)?.organisations.push(o);
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Adds (or re-roles) a contact person of an organisation. */
export async function addContact(db: Db, actor: Actor, organisationId: number, input: unknown): Promise<Person> {
  const { contact_id, role } = validate(contactInput, input);
  const org = await getLivePerson(db, organisationId);
  const contacts = org.contacts.filter((c) => c.id !== contact_id).map((c) => ({ contact_id: c.id, role: c.role }));
  return updatePerson(db, actor, organisationId, { contacts: [...contacts, { contact_id, role }] });
}

/** Removes a contact person from an organisation. */
export async function removeContact(db: Db, actor: Actor, organisationId: number, contactId: number): Promise<Person> {
  const org = await getLivePerson(db, organisationId);
  const contacts = org.contacts.filter((c) => c.id !== contactId).map((c) => ({ contact_id: c.id, role: c.role }));
  return updatePerson(db, actor, organisationId, { contacts });
}

/** A person who is not deleted, or a 404. */
export async function getLivePerson(db: Db, id: number): Promise<Person> {
  const person = await getPerson(db, id);
  if (person.deleted_at) throw notFound();
  return person;
}

/** A live person's display name, or null when unknown or in the trash (the `name` claim reads only this). */
export async function liveDisplayName(db: Db, id: number): Promise<string | null> {
  const row = await repo.selectPerson(db, id);
  return row && !row.deleted_at ? row.display_name : null;
}

// The whole list's count scans an index of every live person; it is kept per database until the data changes.
// The few seconds of life also bound how long another instance's change can go unseen (PostgreSQL ids may commit out of order).
const COUNT_TTL_MS = 5000;
const wholeCounts = new WeakMap<object, Map<boolean, { version: number; count: number; at: number }>>();

async function countAll(db: Db, filter: repo.PeopleFilter): Promise<number> {
  if (db.isTransaction) return repo.countPeople(db, filter);
  const version = await dataVersion(db);
  const byDeleted = wholeCounts.get(db) ?? new Map();
  wholeCounts.set(db, byDeleted);
  const cached = byDeleted.get(filter.deleted);
  if (cached && cached.version === version && Date.now() - cached.at < COUNT_TTL_MS) return cached.count;
  const count = await repo.countPeople(db, filter);
  byDeleted.set(filter.deleted, { version, count, at: Date.now() });
  return count;
}

/** Filtered counts stop here: "1000+ results" is enough to refine a search, and exact counts of big sets are slow. */
export const COUNT_CAP = 1000;

/** A page of people for the list, search box and filters; `exact` is false when the total was capped at COUNT_CAP. */
export async function listPeople(db: Db, query: Partial<Record<keyof PeopleQuery, unknown>>, options: { deleted?: boolean; currentYear: number }) {
  const q = validate(peopleQuery, query);
  const filter: repo.PeopleFilter = {
    words: fold(q.q).split(' ').filter(Boolean).slice(0, 8),
    status: q.status,
    year: q.year ?? options.currentYear,
    tag: q.tag,
    kind: q.kind,
    deleted: options.deleted ?? false,
  };
  const narrowed = repo.isNarrowed(filter);
  const total = narrowed ? await repo.countPeople(db, filter, COUNT_CAP) : await countAll(db, filter);
  const exact = !narrowed || total < COUNT_CAP;
  const rows = await repo.selectPeoplePage(db, filter, q.per_page, (q.page - 1) * q.per_page, !exact);
  const items = await summarise(db, rows);
  return { items, total, exact, page: q.page, perPage: q.per_page, year: filter.year, query: q };
}

async function summarise(db: Db, rows: Awaited<ReturnType<typeof repo.selectPeoplePage>>): Promise<PersonSummary[]> {
  const ids = rows.map((r) => r.id);
  const [emails, tags] = await Promise.all([repo.selectEmails(db, ids), repo.selectTags(db, ids)]);
  return rows.map((row) => ({
    ...row,
    emails: emails.filter((e) => e.person_id === row.id).map((e) => e.email),
    tags: tags.filter((t) => t.person_id === row.id).map((t) => t.tag),
  }));
}

/** Full records of every live person, batch by batch, in sort order (exports). */
export async function* eachPerson(db: Db, batchSize = 500): AsyncGenerator<Person[]> {
  let after: [string, number] | null = null;
  for (;;) {
    const batch = await repo.selectLiveIdBatch(db, after, batchSize);
    if (!batch.length) return;
    const last = batch[batch.length - 1];
    after = [last.sort_key, last.id];
    yield getPeople(db, batch.map((b) => b.id));
  }
}

/** Soft-deletes a person: hidden from lists, restorable for RESTORE_DAYS days. */
export async function deletePerson(db: Db, actor: Actor, id: number): Promise<void> {
  const person = await getPerson(db, id);
  if (person.deleted_at) throw notFound();
  const at = nowIso();
  await repo.updatePerson(db, id, { deleted_at: at });
  await recordChange(db, actor, { action: 'person.delete', entityType: 'person', entityId: id, before: { deleted_at: null }, after: { deleted_at: at } });
}

/** Brings back a deleted person before the purge. */
export async function restorePerson(db: Db, actor: Actor, id: number): Promise<Person> {
  const person = await getPerson(db, id);
  if (!person.deleted_at) throw notFound();
  await repo.updatePerson(db, id, { deleted_at: null });
  await recordChange(db, actor, { action: 'person.restore', entityType: 'person', entityId: id, before: { deleted_at: person.deleted_at }, after: { deleted_at: null } });
  return getPerson(db, id);
}

/** Removes for good the people deleted more than RESTORE_DAYS ago, and their personal data from the audit log. */
export async function purgeDeletedPeople(db: Db, actor: Actor, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - RESTORE_DAYS * 86_400_000).toISOString();
  const ids = await repo.selectDeletedBefore(db, cutoff);
  for (const id of ids) {
    await repo.hardDeletePerson(db, id);
    await forgetEntity(db, 'person', id);
    await recordChange(db, actor, { action: 'person.purge', entityType: 'person', entityId: id });
  }
  return ids.length;
}
