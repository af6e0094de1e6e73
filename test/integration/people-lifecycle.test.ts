import { expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { setMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson, deletePerson, getPerson, listPeople, purgeDeletedPeople, restorePerson, updatePerson } from '../../src/modules/people/people.service.js';
import { forEachDialect } from '../helpers/dialects.js';

const DAY = 86_400_000;

forEachDialect('people lifecycle', (open) => {
  it('keeps a deleted person restorable for 30 days, then purges it and its personal data from the audit log', async () => {
    const { db } = await open();
    const kept = await createPerson(db, SYSTEM, { display_name: 'Kept Person' });
    const gone = await createPerson(db, SYSTEM, { display_name: 'Gone Person', emails: ['gone@example.org'], notes: 'secret note' });
    await setMembership(db, SYSTEM, gone.id, 2026, { status: 'member', effective: false });
    await deletePerson(db, SYSTEM, gone.id);
    await deletePerson(db, SYSTEM, kept.id);
    await restorePerson(db, SYSTEM, kept.id);

    expect(await purgeDeletedPeople(db, SYSTEM, new Date(Date.now() + 29 * DAY))).toBe(0);
    expect((await getPerson(db, gone.id)).deleted_at).not.toBeNull();
    expect(await purgeDeletedPeople(db, SYSTEM, new Date(Date.now() + 31 * DAY))).toBe(1);
    await expect(getPerson(db, gone.id)).rejects.toMatchObject({ status: 404 });
    expect((await getPerson(db, kept.id)).deleted_at).toBeNull();

    const history = await historyOf(db, 'person', gone.id);
    expect(history[0].action).toBe('person.purge');
    expect(JSON.stringify(history)).not.toContain('gone@example.org');
    expect(JSON.stringify(history)).not.toContain('secret note');
    expect(history.map((h) => h.action)).toContain('membership.set');
  });

  it('links organisations with their contact persons and refuses contacts on individuals', async () => {
    const { db } = await open();
    const alice = await createPerson(db, SYSTEM, { display_name: 'Alice Martin' });
    const org = await createPerson(db, SYSTEM, { kind: 'organisation', display_name: 'Les Amis du Net asbl', contacts: [{ contact_id: alice.id, role: 'treasurer' }] });
    expect((await getPerson(db, org.id)).contacts).toEqual([{ id: alice.id, display_name: 'Alice Martin', role: 'treasurer' }]);
    expect((await getPerson(db, alice.id)).organisations.map((o) => o.display_name)).toEqual(['Les Amis du Net asbl']);
    await expect(updatePerson(db, SYSTEM, alice.id, { contacts: [{ contact_id: org.id, role: null }] })).rejects.toMatchObject({ fields: { contacts: 'people.contacts_only_organisations' } });
    await expect(createPerson(db, SYSTEM, { kind: 'organisation', display_name: 'X', contacts: [{ contact_id: 99999, role: null }] })).rejects.toMatchObject({ fields: { contacts: 'people.contact_unknown' } });
  });

  it('pages through a sorted list, by sort name when there is one', async () => {
    const { db } = await open();
    for (const [display_name, sort_name] of [['Zoé Adam', 'Adam, Zoé'], ['Émile Zola', null], ['bob', null], ['Ana É', 'É, Ana']]) {
      await createPerson(db, SYSTEM, { display_name: display_name as string, sort_name });
    }
    const first = await listPeople(db, { per_page: 2 }, { currentYear: 2026 });
    expect(first.total).toBe(4);
    expect(first.items.map((p) => p.display_name)).toEqual(['Zoé Adam', 'bob']);
    const second = await listPeople(db, { per_page: 2, page: 2 }, { currentYear: 2026 });
    expect(second.items.map((p) => p.display_name)).toEqual(['Ana É', 'Émile Zola']);
  });
});
