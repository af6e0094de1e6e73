// Memberships derived in bulk after an import (applyDerivedMemberships): new years are added, a payment year whose
// date moved is updated, a year no payment covers any more is removed, manual records win, and each change is
// audited. Inside a transaction (an import: COPY on PostgreSQL) and outside one. Also the read it derives from: the
// dues of thousands of people at once.
import { expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { applyDerivedMemberships, getMembership, PAYMENT_SOURCE, setMembership } from '../../src/modules/memberships/memberships.service.js';
import { selectDuesOfPeople } from '../../src/modules/dues/dues.repository.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { insertMany } from '../../src/storage/bulk.js';
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

const NOW = '2026-01-05T10:00:00.000Z';

/** One movement per (person, date, kind, status), with its allocation: the dues of many people, and what is not dues. */
async function paymentsOf(db: Db, personIds: number[], made: { date: string; kind: string; status: 'auto' | 'confirmed' | 'to_review' }[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    const [accountId] = await insertMany(trx, 'bank_accounts', [{ iban: 'BE68539007547034', currency: 'EUR', created_at: NOW }]);
    const [importId] = await insertMany(trx, 'bank_imports', [{ filename: 'x', format: 'camt.053', sha256: 'x', account_id: accountId, imported_by: 'test', imported_at: NOW, summary_json: '{}' }]);
    const [statementId] = await insertMany(trx, 'bank_statements', [{ bank_account_id: accountId, import_id: importId, entries: 0 }]);
    const plan = personIds.flatMap((person) => made.map((m, k) => ({ person, ...m, identity: `${person}/${k}` })));
    const ids = await insertMany(trx, 'bank_transactions', plan.map((p) => ({
      bank_account_id: accountId, statement_id: statementId, import_id: importId, identity: p.identity, booking_date: p.date,
      amount_cents: 2500, currency: 'EUR', raw: '<Ntry/>', created_at: NOW,
    })));
    await insertMany(trx, 'allocations', plan.map((p, i) => ({
      transaction_id: ids[i], person_id: p.person, amount_cents: 2500, kind: p.kind, category: null, fiscal_year: 2026, status: p.status,
      matched_by: 'reference', confidence: 100, reason_json: '{}', created_at: NOW, decided_by: null,
    })));
  });
}

forEachDialect('dues of many people', (open) => {
  it('reads the dues of more people than one SQLite read takes (5,000), each person\'s in date order, and nothing else', async () => {
    const { db } = await open();
    const people = await insertMany(db, 'people', Array.from({ length: 6_001 }, (_, i) => ({
      kind: 'individual', display_name: `Payer ${i}`, sort_key: `payer ${i}`, search_text: `payer ${i}`, created_at: NOW, updated_at: NOW,
    })));
    await paymentsOf(db, people, [
      { date: '2026-03-01', kind: 'dues', status: 'auto' },
      { date: '2026-02-01', kind: 'dues', status: 'to_review' },
      { date: '2026-02-02', kind: 'donation', status: 'auto' },
      { date: '2026-01-10', kind: 'dues', status: 'confirmed' },
    ]);
    const rows = await selectDuesOfPeople(db, [...people.slice(1), 999_999]);
    const dates = new Map<number, string[]>();
    for (const row of rows) dates.set(row.person_id as number, [...(dates.get(row.person_id as number) ?? []), String(row.booking_date)]);
    expect(dates.size).toBe(6_000);
    expect(dates.has(people[0])).toBe(false);
    expect(new Set([...dates.values()].map((d) => d.join(' ')))).toEqual(new Set(['2026-01-10 2026-03-01']));
  });
});
