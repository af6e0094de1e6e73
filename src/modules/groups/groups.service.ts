import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { AppError, conflict, notFound, ValidationError } from '../../core/errors.js';
import { isRole } from '../../core/permissions.js';
import { validate } from '../../core/validate.js';
import { type Translate, translator } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { type AccountView, getAccount } from '../accounts/accounts.service.js';
import { recordChange } from '../audit/audit.service.js';
import { getLivePerson } from '../people/people.service.js';
import {
  type ComputedGroup, computedDescription, computedGroup, computedGroups, computedIds, computedLabel, currentStanding, isReservedName, ROLE_PREFIX,
  type Standing,
} from './groups.computed.js';
import * as repo from './groups.repository.js';
import { groupCreateInput, groupMemberInput, groupPatchInput } from './groups.schema.js';

/** A group as the fronts see it, static or computed. */
export interface GroupSummary {
  name: string;
  label: string;
  description: string | null;
  computed: boolean;
  member_count: number;
}

/** One member of a group: a person (static and person-based computed groups) or an account (role groups). */
export interface GroupMember {
  person_id: number | null;
  display_name: string | null;
  account_id: number | null;
  username: string | null;
  /** Who added the person, and when (static groups only). */
  added_by: string | null;
  added_at: string | null;
}

/** How a listing is read: the reader's language (labels of computed groups) and the moment (the current fiscal year). */
export interface GroupReading {
  t?: Translate;
  now?: Date;
}

type StaticRow = NonNullable<Awaited<ReturnType<typeof repo.selectGroupByName>>>;
type Resolved = { computed: ComputedGroup; row?: undefined } | { computed?: undefined; row: StaticRow };

const ENGLISH = translator('en');
const MEMBER_FIELDS = { person_id: null, display_name: null, account_id: null, username: null, added_by: null, added_at: null };

async function resolve(db: Db, name: string): Promise<Resolved> {
  const computed = computedGroup(name);
  if (computed) return { computed };
  const row = await repo.selectGroupByName(db, name);
  if (!row) throw notFound('groups.not_found');
  return { row };
}

async function resolveStatic(db: Db, name: string): Promise<StaticRow> {
  const group = await resolve(db, name);
  if (group.computed) throw new AppError(409, 'group_computed', 'groups.computed_readonly');
  return group.row;
}

function staticSummary(row: StaticRow, count: number): GroupSummary {
  return { name: row.name, label: row.label, description: row.description, computed: false, member_count: count };
}

async function computedCount(db: Db, group: ComputedGroup, standing: Standing): Promise<number> {
  if (group.kind === 'role') return (await repo.countRoleHolders(db)).get(group.role) ?? 0;
  return repo.countPeopleIn(db, computedIds(db, group, standing) as repo.PersonIds);
}

function computedSummary(t: Translate, group: ComputedGroup, standing: Standing, count: number): GroupSummary {
  return { name: group.name, label: computedLabel(t, group), description: computedDescription(t, group, standing), computed: true, member_count: count };
}

/** Every group, the computed ones first (members, effective-members, board, roles), then the static ones by name, with member counts. */
export async function listGroups(db: Db, reading: GroupReading = {}): Promise<GroupSummary[]> {
  const t = reading.t ?? ENGLISH;
  const standing = await currentStanding(db, reading.now);
  const [roles, counts, rows] = await Promise.all([repo.countRoleHolders(db), repo.countStaticMembers(db), repo.selectGroups(db)]);
  const computed: GroupSummary[] = [];
  for (const group of computedGroups()) {
    const count = group.kind === 'role' ? roles.get(group.role) ?? 0 : await computedCount(db, group, standing);
    computed.push(computedSummary(t, group, standing, count));
  }
  return [...computed, ...rows.map((row) => staticSummary(row, counts.get(row.id) ?? 0))];
}

/** One group (static or computed) with its member count; 404 for an unknown name. */
export async function getGroup(db: Db, name: string, reading: GroupReading = {}): Promise<GroupSummary> {
  const group = await resolve(db, name);
  if (group.row) return staticSummary(group.row, (await repo.countStaticMembers(db)).get(group.row.id) ?? 0);
  const standing = await currentStanding(db, reading.now);
  return computedSummary(reading.t ?? ENGLISH, group.computed, standing, await computedCount(db, group.computed, standing));
}

/** A page of a group's members, people in sort order (role groups: accounts by username); all of them without a page size. */
export async function listGroupMembers(db: Db, name: string, page: { limit?: number; offset?: number; now?: Date } = {}): Promise<GroupMember[]> {
  const limit = page.limit ?? 2 ** 31 - 1;
  const offset = page.offset ?? 0;
  const group = await resolve(db, name);
  if (group.row) return (await repo.selectStaticMembers(db, group.row.id, limit, offset)).map((m) => ({ ...MEMBER_FIELDS, ...m }));
  if (group.computed.kind === 'role') return (await repo.selectRoleHolders(db, group.computed.role, limit, offset)).map((m) => ({ ...MEMBER_FIELDS, ...m }));
  const ids = computedIds(db, group.computed, await currentStanding(db, page.now)) as repo.PersonIds;
  return (await repo.selectPeopleIn(db, ids, limit, offset)).map((m) => ({ ...MEMBER_FIELDS, ...m }));
}

function checkName(name: string): void {
  if (isReservedName(name)) throw new ValidationError({ name: 'groups.name_reserved' }, 'groups.name_reserved_named', { name });
}

/** Creates a static group; reserved (computed) and taken names are refused. */
export async function createGroup(db: Db, actor: Actor, input: unknown): Promise<GroupSummary> {
  const data = validate(groupCreateInput, input);
  checkName(data.name);
  if (await repo.selectGroupByName(db, data.name)) throw conflict('groups.name_taken');
  const now = nowIso();
  const id = await repo.insertGroup(db, { ...data, created_at: now, updated_at: now });
  await recordChange(db, actor, { action: 'group.create', entityType: 'group', entityId: id, after: data });
  return { ...data, computed: false, member_count: 0 };
}

/** Changes a static group's name, label or description; computed groups cannot be edited. */
export async function updateGroup(db: Db, actor: Actor, name: string, input: unknown): Promise<GroupSummary> {
  const row = await resolveStatic(db, name);
  const data = validate(groupPatchInput, input);
  const before = { name: row.name, label: row.label, description: row.description };
  const after = { name: data.name ?? row.name, label: data.label ?? row.label, description: data.description === undefined ? row.description : data.description };
  if (after.name !== row.name) {
    checkName(after.name);
    if (await repo.selectGroupByName(db, after.name)) throw conflict('groups.name_taken');
  }
  await repo.updateGroup(db, row.id, { ...after, updated_at: nowIso() });
  await recordChange(db, actor, { action: 'group.update', entityType: 'group', entityId: row.id, before, after });
  return getGroup(db, after.name);
}

/** Deletes a static group and its memberships (the audit log keeps who was in it). */
export async function deleteGroup(db: Db, actor: Actor, name: string): Promise<void> {
  const row = await resolveStatic(db, name);
  const members = await repo.selectMemberIds(db, row.id);
  await repo.deleteGroup(db, row.id);
  await recordChange(db, actor, { action: 'group.delete', entityType: 'group', entityId: row.id, before: { name: row.name, label: row.label, description: row.description, person_ids: members } });
}

/** Adds a live person to a static group, recording who added them and when. */
export async function addGroupMember(db: Db, actor: Actor, name: string, input: unknown): Promise<GroupMember> {
  const row = await resolveStatic(db, name);
  const { person_id: personId } = validate(groupMemberInput, input);
  const person = await getLivePerson(db, personId).catch(() => null);
  if (!person) throw new ValidationError({ person_id: 'groups.person_unknown' }, 'groups.person_unknown');
  if (await repo.selectMember(db, row.id, personId)) throw conflict('groups.already_member');
  const added = { added_by: actor.label, added_at: nowIso() };
  await repo.insertMember(db, { group_id: row.id, person_id: personId, ...added });
  await recordChange(db, actor, { action: 'group.member_add', entityType: 'group', entityId: row.id, after: { group: row.name, person_id: personId } });
  return { ...MEMBER_FIELDS, person_id: personId, display_name: person.display_name, ...added };
}

/** Removes a person from a static group; 404 when they are not in it. */
export async function removeGroupMember(db: Db, actor: Actor, name: string, personId: number): Promise<void> {
  const row = await resolveStatic(db, name);
  if ((await repo.deleteMember(db, row.id, personId)) === 0) throw notFound('groups.not_member');
  await recordChange(db, actor, { action: 'group.member_remove', entityType: 'group', entityId: row.id, before: { group: row.name, person_id: personId } });
}

/** Sorted names of every group (static and computed) an account belongs to, through its person and its roles; none when disabled. */
export async function groupNamesOfAccount(db: Db, accountId: number, now: Date = new Date()): Promise<string[]> {
  return groupNamesOfAccountView(db, await getAccount(db, accountId), now);
}

/** The same for an account already read (a login reads it once for every claim). */
export async function groupNamesOfAccountView(db: Db, account: Pick<AccountView, 'disabled' | 'roles' | 'personId'>, now: Date = new Date()): Promise<string[]> {
  if (account.disabled) return [];
  const names = account.roles.filter(isRole).map((role) => `${ROLE_PREFIX}${role}`);
  if (account.personId !== null) names.push(...(await groupNamesOfPerson(db, account.personId, now)));
  return [...new Set(names)].sort();
}

/** Names of the person-based groups (static, members, effective-members, board) a live person is in. */
export async function groupNamesOfPerson(db: Db, personId: number, now: Date = new Date()): Promise<string[]> {
  const standing = await currentStanding(db, now);
  const sets = computedGroups().flatMap((group) => {
    const ids = computedIds(db, group, standing);
    return ids ? [{ name: group.name, ids }] : [];
  });
  const [statics, computed] = await Promise.all([repo.selectStaticGroupNamesOfPerson(db, personId), repo.setsHoldingPerson(db, personId, sets)]);
  return [...statics, ...computed].sort();
}

/** True when the account is in at least one of the named groups (clients restricted to groups). */
export async function isAccountInAnyGroup(db: Db, accountId: number, names: readonly string[], now: Date = new Date()): Promise<boolean> {
  if (!names.length) return false;
  const mine = new Set(await groupNamesOfAccount(db, accountId, now));
  return names.some((name) => mine.has(name));
}
