// Groups that follow the data: members from dues and memberships (grace period included), effective members, the
// board tag, roles, and the names an account's single sign-on would carry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { today } from '../../src/core/clock.js';
import { createAccount, setDisabled } from '../../src/modules/accounts/accounts.service.js';
import { decideAllocation } from '../../src/modules/dues/allocation.service.js';
import { updateDuesPolicy } from '../../src/modules/dues/dues.service.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { importAndAllocate, reviewQueue } from '../../src/modules/dues/review.service.js';
import { addGroupMember, createGroup, getGroup, groupNamesOfAccount, isAccountInAnyGroup, listGroupMembers, listGroups } from '../../src/modules/groups/groups.service.js';
import { setMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson, deletePerson, purgeDeletedPeople, restorePerson, updatePerson } from '../../src/modules/people/people.service.js';
import { updateSettings } from '../../src/modules/settings/settings.service.js';
import type { Db } from '../../src/storage/database.js';
import { camt054 } from '../fixtures/camt054.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

const at = (date: string) => new Date(`${date}T12:00:00Z`);

async function memberNames(db: Db, group: string, now?: Date): Promise<string[]> {
  return (await listGroupMembers(db, group, { now })).map((m) => m.display_name as string).sort();
}

async function accountFor(db: Db, personId: number | null, roles: string[], username: string) {
  return createAccount(db, SYSTEM, { username, password: PASSWORD, roles, ...(personId ? { person_id: personId } : {}) });
}

forEachDialect('computed groups', (open) => {
  let t: TestApp;
  let db: Db;
  beforeEach(async () => {
    t = await startTestApp(await open());
    db = t.ctx.db;
  });
  afterEach(() => t.close());

  it('puts a person in members as soon as a dues payment is matched automatically or confirmed', async () => {
    const alice = await createPerson(db, SYSTEM, { display_name: 'Alice Martin' });
    const bob = await createPerson(db, SYSTEM, { display_name: 'Bob Lenoir' });
    const account = await accountFor(db, alice.id, ['member'], 'alice');
    expect(await groupNamesOfAccount(db, account.id)).toEqual(['role-member']);
    expect(await memberNames(db, 'members')).toEqual([]);

    const file = camt054([
      { id: 'P1', amount: '25.00', ref: personReference(alice.id), name: 'MARTIN ALICE', date: today() },
      { id: 'P2', amount: '30.00', name: 'Famille Lenoir', iban: 'BE62510007547061', date: today() },
    ]);
    expect(await importAndAllocate(db, SYSTEM, file, { filename: 'n.xml' })).toMatchObject({ automatic: 1, toReview: 1 });
    expect(await groupNamesOfAccount(db, account.id)).toEqual(['members', 'role-member']);
    expect(await isAccountInAnyGroup(db, account.id, ['members', 'wiki'])).toBe(true);
    expect(await memberNames(db, 'members')).toEqual(['Alice Martin']);

    const [item] = (await reviewQueue(db)).items;
    await decideAllocation(db, SYSTEM, item.id, { shares: [{ person_id: bob.id, amount_cents: 3000, kind: 'dues', category: null }] });
    expect(await memberNames(db, 'members')).toEqual(['Alice Martin', 'Bob Lenoir']);
    expect((await getGroup(db, 'members')).member_count).toBe(2);
  });

  it('keeps last year\'s members during the grace period, unless this year says otherwise', async () => {
    await updateDuesPolicy(db, SYSTEM, { mode: 'any', grace_days: 31 });
    const renewed = await createPerson(db, SYSTEM, { display_name: 'Renewed' });
    const late = await createPerson(db, SYSTEM, { display_name: 'Late' });
    const pending = await createPerson(db, SYSTEM, { display_name: 'Pending' });
    const lapsed = await createPerson(db, SYSTEM, { display_name: 'Lapsed' });
    const left = await createPerson(db, SYSTEM, { display_name: 'Left', left_on: '2026-01-10' });
    for (const p of [renewed, late, pending, lapsed, left]) await setMembership(db, SYSTEM, p.id, 2025, { status: 'member', effective: true });
    await setMembership(db, SYSTEM, renewed.id, 2026, { status: 'member', effective: false });
    await setMembership(db, SYSTEM, pending.id, 2026, { status: 'pending', effective: false });
    await setMembership(db, SYSTEM, lapsed.id, 2026, { status: 'lapsed', effective: false });

    expect(await memberNames(db, 'members', at('2026-01-05'))).toEqual(['Late', 'Left', 'Pending', 'Renewed']);
    expect(await memberNames(db, 'members', at('2026-01-20'))).toEqual(['Late', 'Pending', 'Renewed']);
    expect(await memberNames(db, 'members', at('2026-01-31'))).toEqual(['Late', 'Pending', 'Renewed']);
    expect(await memberNames(db, 'members', at('2026-02-01'))).toEqual(['Renewed']);
    // Effective by the latest record: last year's flag while only last year counts, this year's once recorded.
    expect(await memberNames(db, 'effective-members', at('2026-01-20'))).toEqual(['Late']);
    expect(await memberNames(db, 'effective-members', at('2026-02-01'))).toEqual([]);
    expect((await getGroup(db, 'members', { now: at('2026-01-20') })).description).toContain('Until 2026-01-31 (grace period), the members of 2025');

    await updateDuesPolicy(db, SYSTEM, { mode: 'any', grace_days: 0 });
    expect(await memberNames(db, 'members', at('2026-01-01'))).toEqual(['Renewed']);
  });

  it('follows a fiscal year that starts in September, and its grace period', async () => {
    await updateSettings(db, SYSTEM, { collective_name: 'Ruche', fiscal_year_start_month: 9 });
    await updateDuesPolicy(db, SYSTEM, { mode: 'any', grace_days: 30 });
    const old = await createPerson(db, SYSTEM, { display_name: 'Paid for 2025-2026' });
    const fresh = await createPerson(db, SYSTEM, { display_name: 'Paid for 2026-2027' });
    await setMembership(db, SYSTEM, old.id, 2025, { status: 'member', effective: false });
    await setMembership(db, SYSTEM, fresh.id, 2026, { status: 'member', effective: false });
    expect(await memberNames(db, 'members', at('2026-08-31'))).toEqual(['Paid for 2025-2026']);
    expect(await memberNames(db, 'members', at('2026-09-30'))).toEqual(['Paid for 2025-2026', 'Paid for 2026-2027']);
    expect(await memberNames(db, 'members', at('2026-10-01'))).toEqual(['Paid for 2026-2027']);
    expect((await getGroup(db, 'members', { now: at('2026-10-01') })).description).toContain('2026-2027');
  });

  it('restricts effective-members to effective members', async () => {
    const voter = await createPerson(db, SYSTEM, { display_name: 'Voter' });
    const adherent = await createPerson(db, SYSTEM, { display_name: 'Adherent' });
    const year = Number(today().slice(0, 4));
    await setMembership(db, SYSTEM, voter.id, year, { status: 'member', effective: true });
    await setMembership(db, SYSTEM, adherent.id, year, { status: 'member', effective: false });
    expect(await memberNames(db, 'members')).toEqual(['Adherent', 'Voter']);
    expect(await memberNames(db, 'effective-members')).toEqual(['Voter']);
    await setMembership(db, SYSTEM, voter.id, year, { status: 'resigned', effective: true });
    expect(await memberNames(db, 'effective-members')).toEqual([]);
  });

  it('puts people tagged board in board, and takes them out with the tag or when deleted', async () => {
    const chair = await createPerson(db, SYSTEM, { display_name: 'Chair', tags: ['board', 'vpn'] });
    await createPerson(db, SYSTEM, { display_name: 'Not board', tags: ['vpn'] });
    expect(await memberNames(db, 'board')).toEqual(['Chair']);
    await updatePerson(db, SYSTEM, chair.id, { tags: ['vpn'] });
    expect(await memberNames(db, 'board')).toEqual([]);
    await updatePerson(db, SYSTEM, chair.id, { tags: ['Board'] });
    expect(await memberNames(db, 'board')).toEqual(['Chair']);
    await deletePerson(db, SYSTEM, chair.id);
    expect(await memberNames(db, 'board')).toEqual([]);
  });

  it('has one group per role, holding the enabled accounts with that role', async () => {
    const tina = await createPerson(db, SYSTEM, { display_name: 'Tina Treasurer' });
    const treasurer = await accountFor(db, tina.id, ['treasurer', 'inviter'], 'tina');
    await accountFor(db, null, ['admin'], 'root');
    const members = await listGroupMembers(db, 'role-treasurer');
    expect(members).toEqual([{ account_id: treasurer.id, username: 'tina', person_id: tina.id, display_name: 'Tina Treasurer', added_by: null, added_at: null }]);
    expect((await listGroupMembers(db, 'role-admin')).map((m) => m.username)).toEqual(['root']);
    const groups = await listGroups(db);
    expect(groups.filter((g) => g.computed).map((g) => g.name)).toEqual(['members', 'effective-members', 'board', 'role-admin', 'role-treasurer', 'role-secretary', 'role-member', 'role-inviter']);
    expect(groups.find((g) => g.name === 'role-treasurer')).toMatchObject({ member_count: 1, label: 'Role: Treasurer' });
    await setDisabled(db, SYSTEM, treasurer.id, true);
    expect(await listGroupMembers(db, 'role-treasurer')).toEqual([]);
    expect(await groupNamesOfAccount(db, treasurer.id)).toEqual([]);
  });

  it('names every group of an account: through its person (static, members, board) and its roles', async () => {
    const dana = await createPerson(db, SYSTEM, { display_name: 'Dana', tags: ['board'] });
    const other = await createPerson(db, SYSTEM, { display_name: 'Other' });
    await setMembership(db, SYSTEM, dana.id, Number(today().slice(0, 4)), { status: 'member', effective: true });
    const account = await accountFor(db, dana.id, ['secretary', 'inviter'], 'dana');
    const loner = await accountFor(db, null, ['member'], 'loner');
    await createGroup(db, SYSTEM, { name: 'wiki-editors', label: 'Wiki editors' });
    await createGroup(db, SYSTEM, { name: 'ops', label: 'Operations' });
    await createGroup(db, SYSTEM, { name: 'zzz', label: 'Someone else' });
    await addGroupMember(db, SYSTEM, 'wiki-editors', { person_id: dana.id });
    await addGroupMember(db, SYSTEM, 'ops', { person_id: dana.id });
    await addGroupMember(db, SYSTEM, 'zzz', { person_id: other.id });
    expect(await groupNamesOfAccount(db, account.id)).toEqual(['board', 'effective-members', 'members', 'ops', 'role-inviter', 'role-secretary', 'wiki-editors']);
    expect(await groupNamesOfAccount(db, loner.id)).toEqual(['role-member']);
    expect(await isAccountInAnyGroup(db, loner.id, ['members', 'ops'])).toBe(false);
    expect(await isAccountInAnyGroup(db, account.id, ['zzz', 'ops'])).toBe(true);
    expect(await isAccountInAnyGroup(db, account.id, [])).toBe(false);
    await expect(groupNamesOfAccount(db, 999_999)).rejects.toMatchObject({ status: 404 });
    await deletePerson(db, SYSTEM, dana.id);
    expect(await groupNamesOfAccount(db, account.id)).toEqual(['role-inviter', 'role-secretary']);
    expect((await getGroup(db, 'ops')).member_count).toBe(0);
    await restorePerson(db, SYSTEM, dana.id);
    expect(await groupNamesOfAccount(db, account.id)).toContain('ops');
  });

  it('forgets a purged person\'s group memberships', async () => {
    const gone = await createPerson(db, SYSTEM, { display_name: 'Gone' });
    await createGroup(db, SYSTEM, { name: 'ops', label: 'Operations' });
    await addGroupMember(db, SYSTEM, 'ops', { person_id: gone.id });
    await deletePerson(db, SYSTEM, gone.id);
    expect(await purgeDeletedPeople(db, SYSTEM, new Date(Date.now() + 31 * 86_400_000))).toBe(1);
    expect(await db.selectFrom('group_members').selectAll().execute()).toEqual([]);
  });
});

describe('computed group names', () => {
  it('are reserved', async () => {
    const { isReservedName } = await import('../../src/modules/groups/groups.computed.js');
    for (const name of ['members', 'effective-members', 'board', 'role-admin', 'role-anything']) expect(isReservedName(name), name).toBe(true);
    for (const name of ['member', 'boards', 'wiki', 'roles']) expect(isReservedName(name), name).toBe(false);
  });
});
