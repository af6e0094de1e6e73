// Memberships derived in bulk after an import (applyDerivedMemberships): new years are added, a payment year whose
// date moved is updated, a year no payment covers any more is removed, manual records win, and each change is
// audited. Inside a transaction (an import: COPY on PostgreSQL) and outside one.
import { expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { applyDerivedMemberships, getMembership, PAYMENT_SOURCE, setMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { type Db, inTransaction } from '../../src/storage/database.js';
import { forEachDialect } from '../helpers/dialects.js';

async function fourPeople(db: Db) {
  const ids: number[] = [];
  for (const name of ['New Payer', 'Earlier Payer', 'Refunded Payer', 'Exempted Member']) ids.push((await createPerson(db, SYSTEM, { display_name: name })).id);
  const [fresh, earlier, refunded, exempted] = ids;
  await setMembership(db, SYSTEM, earlier, 2026, { status: 'member', changed_on: '2026-05-10', source: PAYMENT_SOURCE });
  await setMembership(db, SYSTEM, refunded, 2026, { status: 'member', changed_on: '2026-02-01', source: PAYMENT_SOURCE });
  await setMembership(db, SYSTEM, exempted, 2026, { status: 'member', changed_on: '2026-01-01', note: 'exempted by the board' });
  return { fresh, earlier, refunded, exempted };
}

forEachDialect('memberships derived in bulk', (open) => {
  for (const where of ['inside a transaction', 'outside a transaction']) {
    it(`adds, updates and removes payment years, keeps manual ones, and audits each change (${where})`, async () => {
      const { db } = await open();
      const p = await fourPeople(db);
      const derived = [
        { personId: p.fresh, year: 2026, member: true, date: '2026-03-02' },
        { personId: p.earlier, year: 2026, member: true, date: '2026-01-15' },
        { personId: p.refunded, year: 2026, member: false, date: null },
        { personId: p.exempted, year: 2026, member: false, date: null },
      ];
      if (where === 'inside a transaction') await inTransaction(db, (trx) => applyDerivedMemberships(trx, SYSTEM, derived));
      else await applyDerivedMemberships(db, SYSTEM, derived);

      expect(await getMembership(db, p.fresh, 2026)).toMatchObject({ status: 'member', source: PAYMENT_SOURCE, changed_on: '2026-03-02' });
      expect(await getMembership(db, p.earlier, 2026)).toMatchObject({ status: 'member', source: PAYMENT_SOURCE, changed_on: '2026-01-15' });
      expect(await getMembership(db, p.refunded, 2026)).toBeNull();
      expect(await getMembership(db, p.exempted, 2026)).toMatchObject({ status: 'member', changed_on: '2026-01-01', note: 'exempted by the board' });
      const derivedChanges = async (id: number) => (await historyOf(db, 'person', id)).filter((e) => e.action === 'membership.derived');
      expect((await derivedChanges(p.fresh)).map((e) => [e.before, (e.after as { changed_on: string }).changed_on])).toEqual([[null, '2026-03-02']]);
      expect((await derivedChanges(p.earlier)).map((e) => (e.before as { changed_on: string }).changed_on)).toEqual(['2026-05-10']);
      expect((await derivedChanges(p.refunded)).map((e) => e.after)).toEqual([null]);
      expect(await derivedChanges(p.exempted)).toEqual([]);
    });
  }

  it('changes nothing when the derivation says what is already recorded', async () => {
    const { db } = await open();
    const p = await fourPeople(db);
    await applyDerivedMemberships(db, SYSTEM, [{ personId: p.earlier, year: 2026, member: true, date: '2026-05-10' }]);
    expect(await getMembership(db, p.earlier, 2026)).toMatchObject({ changed_on: '2026-05-10' });
    expect((await historyOf(db, 'person', p.earlier)).filter((e) => e.action === 'membership.derived')).toEqual([]);
  });
});
