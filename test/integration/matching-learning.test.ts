// What the matcher learns and how it weighs it, through real imports of small statement files: a member's valid
// reference beats a categorisation rule; an undo forgets the IBAN its decision learned and puts the proposal back as
// it was; a payer paying for someone else is remembered for next year; each person's usual amounts are a hint.
import { expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { decideAllocation } from '../../src/modules/dues/allocation.service.js';
import { addPersonIban } from '../../src/modules/dues/person-payments.service.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { importAndAllocate, reviewQueue, undoLastDecision } from '../../src/modules/dues/review.service.js';
import { addRule } from '../../src/modules/dues/rules.service.js';
import { getMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import type { Db } from '../../src/storage/database.js';
import { type Credit, camt054 } from '../fixtures/camt054.js';
import { startTestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

const MARIE_IBAN = 'BE62510007547061';
const SHARED_IBAN = 'BE71096123456769';
const SOPHIE_IBAN = 'BE40123456572063';
const PEETERS_IBAN = 'BE43068999999501';
const DUPONT_IBAN = MARIE_IBAN;

let files = 0;
function importCredits(db: Db, credits: Credit[]) {
  return importAndAllocate(db, SYSTEM, camt054(credits), { filename: `f${++files}.xml` });
}

/** The allocations of the movement with this bank reference. */
async function allocationsOf(db: Db, identity: string) {
  return db.selectFrom('allocations').innerJoin('bank_transactions', 'bank_transactions.id', 'allocations.transaction_id')
    .select(['allocations.person_id', 'allocations.kind', 'allocations.category', 'allocations.status', 'allocations.matched_by', 'allocations.confidence', 'allocations.reason_json', 'allocations.decided_by', 'allocations.fiscal_year'])
    .where('bank_transactions.identity', 'like', `%${identity}%`).orderBy('allocations.id').execute();
}

async function ibansOf(db: Db) {
  return (await db.selectFrom('person_ibans').select(['person_id', 'iban', 'source']).orderBy('person_id').orderBy('iban').execute());
}

async function transactionId(db: Db, identity: string): Promise<number> {
  return (await db.selectFrom('bank_transactions').select('id').where('identity', 'like', `%${identity}%`).executeTakeFirstOrThrow()).id;
}

/** The IBANs learned and forgotten in a person's history, newest first. */
async function ibanHistory(db: Db, personId: number) {
  return (await historyOf(db, 'person', personId)).filter((e) => e.action.startsWith('person.iban_')).map((e) => [e.action, e.after ?? e.before]);
}

forEachDialect('matching and learning through imports', (open) => {
  it("a member's valid reference beats a categorisation rule; the rule still categorises the rest and never takes a proposal from a person", async () => {
    const { db } = await open();
    const ann = await createPerson(db, SYSTEM, { display_name: 'Ann Smith' });
    await addRule(db, SYSTEM, { pattern: 'ovh', kind: 'expense', category: 'datacentre' });
    const result = await importCredits(db, [
      { id: 'R1', amount: '25.00', ref: personReference(ann.id), name: 'ANN SMITH', text: 'cotisation, merci pour le VPS OVH' },
      { id: 'R2', amount: '-40.00', name: 'OVH SAS', text: 'facture VPS' },
      { id: 'R3', amount: '12.00', name: 'OVH SAS', text: 'avoir' },
    ]);
    expect(result).toMatchObject({ added: 3, automatic: 3, toReview: 0 });
    expect(await allocationsOf(db, 'R1')).toMatchObject([{ person_id: ann.id, kind: 'dues', status: 'auto', matched_by: 'reference', fiscal_year: 2026 }]);
    expect(await getMembership(db, ann.id, 2026)).toMatchObject({ status: 'member', source: 'payment' });
    expect(await allocationsOf(db, 'R2')).toMatchObject([{ person_id: null, kind: 'expense', category: 'datacentre', status: 'auto', matched_by: 'rule' }]);
    expect(await allocationsOf(db, 'R3')).toMatchObject([{ person_id: null, kind: 'expense', category: 'datacentre', status: 'auto', matched_by: 'rule' }]);

    // A gift from Ann mentioning the hoster waits for review as Ann's; a new rule on the same word leaves it to her.
    await importCredits(db, [{ id: 'R4', amount: '50.00', ref: personReference(ann.id), name: 'ANN SMITH', text: 'don pour le serveur Hetzner' }]);
    const added = await addRule(db, SYSTEM, { pattern: 'hetzner', kind: 'expense', category: 'datacentre' });
    expect(added.applied).toBe(0);
    expect(await allocationsOf(db, 'R4')).toMatchObject([{ person_id: ann.id, kind: 'donation', status: 'to_review' }]);
  });

  it('undo forgets the IBAN its decision learned and restores the proposal with its reason and alternatives', async () => {
    const { db } = await open();
    const people: number[] = [];
    for (const name of ['Anne Lenoir', 'Bruno Lenoir', 'Claire Lenoir']) people.push((await createPerson(db, SYSTEM, { display_name: name })).id);
    const [a, b, c] = people;
    await importCredits(db, [{ id: 'U1', amount: '30.00', name: 'Famille Lenoir', iban: SHARED_IBAN, text: 'cotisation' }]);
    const proposed = await allocationsOf(db, 'U1');
    expect(proposed).toMatchObject([{ person_id: null, status: 'to_review', decided_by: null }]);
    expect(JSON.parse(proposed[0].reason_json)).toMatchObject({ key: 'dues.reason.household', alternatives: [a, b, c] });
    const id = await transactionId(db, 'U1');

    await decideAllocation(db, SYSTEM, id, { shares: [{ person_id: a, amount_cents: 3000, kind: 'dues', category: null }] });
    expect(await ibansOf(db)).toEqual([{ person_id: a, iban: SHARED_IBAN, source: 'learned' }]);
    await undoLastDecision(db, SYSTEM, id);
    expect(await ibansOf(db)).toEqual([]);
    expect((await ibanHistory(db, a)).reverse()).toEqual([['person.iban_learned', { iban: SHARED_IBAN, source: 'learned' }], ['person.iban_forgotten', { iban: SHARED_IBAN, source: 'learned' }]]);
    expect(await allocationsOf(db, 'U1')).toEqual(proposed);
    expect(await getMembership(db, a, 2026)).toBeNull();
    const [item] = (await reviewQueue(db)).items;
    expect(item.allocations[0].alternatives.map((p) => p.display_name)).toEqual(['Anne Lenoir', 'Bruno Lenoir', 'Claire Lenoir']);

    await decideAllocation(db, SYSTEM, id, { shares: [{ person_id: b, amount_cents: 3000, kind: 'dues', category: null }] });
    await importCredits(db, [{ id: 'U2', amount: '30.00', name: 'Compte commun', iban: SHARED_IBAN, text: 'cotisation' }]);
    expect(await allocationsOf(db, 'U2')).toMatchObject([{ person_id: b, status: 'auto', matched_by: 'iban' }]);
  });

  it('undo still works from a decision recorded before decisions kept their details', async () => {
    const { db } = await open();
    const anne = (await createPerson(db, SYSTEM, { display_name: 'Anne Lenoir' })).id;
    await importCredits(db, [{ id: 'O1', amount: '30.00', name: 'Famille Lenoir', iban: SHARED_IBAN, text: 'cotisation' }]);
    const id = await transactionId(db, 'O1');
    await decideAllocation(db, SYSTEM, id, { shares: [{ person_id: anne, amount_cents: 3000, kind: 'dues', category: null }] });
    const old = (snapshot: object) => JSON.stringify({ allocations: [{ amount_cents: 3000, category: null, ...snapshot }] });
    await db.updateTable('audit_log').where('action', '=', 'allocation.decide').set({
      before_json: old({ person_id: null, kind: null, fiscal_year: null, status: 'to_review' }),
      after_json: old({ person_id: anne, kind: 'dues', fiscal_year: 2026, status: 'confirmed' }),
    }).execute();
    await undoLastDecision(db, SYSTEM, id);
    expect(await allocationsOf(db, 'O1')).toMatchObject([{ person_id: null, status: 'to_review', matched_by: 'treasurer' }]);
    expect(await getMembership(db, anne, 2026)).toBeNull();
    expect(await ibansOf(db)).toEqual([{ person_id: anne, iban: SHARED_IBAN, source: 'learned' }]);
  });

  it('undo keeps a learned IBAN that another confirmed payment of the same person still justifies', async () => {
    const { db } = await open();
    const anne = (await createPerson(db, SYSTEM, { display_name: 'Anne Lenoir' })).id;
    await createPerson(db, SYSTEM, { display_name: 'Bruno Lenoir' });
    await importCredits(db, [
      { id: 'K1', amount: '30.00', name: 'Famille Lenoir', iban: SHARED_IBAN, text: 'cotisation', date: '2025-02-03' },
      { id: 'K2', amount: '30.00', name: 'Famille Lenoir', iban: SHARED_IBAN, text: 'cotisation' },
    ]);
    const [first, second] = [await transactionId(db, 'K1'), await transactionId(db, 'K2')];
    await decideAllocation(db, SYSTEM, second, { shares: [{ person_id: anne, amount_cents: 3000, kind: 'dues', category: null }] });
    await decideAllocation(db, SYSTEM, first, { shares: [{ person_id: anne, amount_cents: 3000, kind: 'dues', category: null }] });
    await undoLastDecision(db, SYSTEM, second);
    expect(await ibansOf(db)).toEqual([{ person_id: anne, iban: SHARED_IBAN, source: 'learned' }]);
  });

  it('remembers a payer who paid for someone unknown to the register as a payer only: next year proposed, and trusted once a treasurer confirms it', async () => {
    const { db } = await open();
    const jean = (await createPerson(db, SYSTEM, { display_name: 'Jean Peeters' })).id;
    const ann = (await createPerson(db, SYSTEM, { display_name: 'Ann Smith' })).id;
    const first = await importCredits(db, [
      { id: 'Y1', amount: '25.00', name: 'Marie Dubois', iban: MARIE_IBAN, text: 'cotisation Jean Peeters', date: '2026-02-03' },
      { id: 'Y2', amount: '25.00', name: 'ANN SMITH', iban: SHARED_IBAN, ref: personReference(ann), date: '2026-02-03' },
    ]);
    expect(first).toMatchObject({ automatic: 2, toReview: 0 });
    // Only the payer who paid for someone else is learned, not every automatic match.
    expect(await ibansOf(db)).toEqual([{ person_id: jean, iban: MARIE_IBAN, source: 'payer' }]);
    expect(await ibanHistory(db, jean)).toEqual([['person.iban_learned', { iban: MARIE_IBAN, source: 'payer' }]]);

    const next = await importCredits(db, [{ id: 'Y3', amount: '25.00', name: 'Marie Dubois', iban: MARIE_IBAN, text: 'cotisation 2027', date: '2027-02-03' }]);
    expect(next).toMatchObject({ automatic: 0, toReview: 1 });
    const [y3] = await allocationsOf(db, 'Y3');
    expect(y3).toMatchObject({ person_id: jean, status: 'to_review', matched_by: 'iban', fiscal_year: 2027 });
    expect(JSON.parse(y3.reason_json)).toMatchObject({ key: 'dues.reason.iban_payer' });
    expect(await getMembership(db, jean, 2027)).toBeNull();

    // The treasurer confirms: the payer becomes a learned IBAN, trusted from then on.
    await decideAllocation(db, SYSTEM, await transactionId(db, 'Y3'), { shares: [{ person_id: jean, amount_cents: 2500, kind: 'dues', category: null }] });
    expect(await ibansOf(db)).toEqual([{ person_id: jean, iban: MARIE_IBAN, source: 'learned' }]);
    expect(await getMembership(db, jean, 2027)).toMatchObject({ status: 'member' });
    expect(await importCredits(db, [{ id: 'Y4', amount: '25.00', name: 'Marie Dubois', iban: MARIE_IBAN, text: 'cotisation 2028', date: '2028-02-03' }])).toMatchObject({ automatic: 1, toReview: 0 });
    expect(await allocationsOf(db, 'Y4')).toMatchObject([{ person_id: jean, status: 'auto', matched_by: 'iban', fiscal_year: 2028 }]);
  });

  it('when the payer is a person of the register, next year their neutral transfer waits for review proposing the one they paid for', async () => {
    const { db } = await open();
    const jean = (await createPerson(db, SYSTEM, { display_name: 'Jean Peeters' })).id;
    const marie = (await createPerson(db, SYSTEM, { display_name: 'Marie Dubois' })).id;
    await importCredits(db, [{ id: 'Z1', amount: '25.00', name: 'Marie Dubois', iban: MARIE_IBAN, text: 'cotisation Jean Peeters', date: '2026-02-03' }]);
    expect(await allocationsOf(db, 'Z1')).toMatchObject([{ person_id: jean, status: 'auto' }]);

    const next = await importCredits(db, [{ id: 'Z2', amount: '25.00', name: 'Marie Dubois', iban: MARIE_IBAN, text: 'cotisation 2027', date: '2027-02-03' }]);
    expect(next).toMatchObject({ automatic: 0, toReview: 1 });
    const [item] = (await reviewQueue(db)).items;
    expect(item.allocations).toMatchObject([{ person_id: jean, status: 'to_review' }]);
    expect(item.allocations[0].alternatives.map((p) => p.id)).toEqual([marie]);
    expect(await getMembership(db, marie, 2027)).toBeNull();
  });

  it('remembers a parent with the same surname as paying for the child: next year their neutral transfer is not automatically theirs', async () => {
    const { db } = await open();
    const emma = (await createPerson(db, SYSTEM, { display_name: 'Emma Lambert' })).id;
    const jan = (await createPerson(db, SYSTEM, { display_name: 'Jan Lambert' })).id;
    const first = await importCredits(db, [
      { id: 'L1', amount: '25.00', name: 'Jan Lambert', iban: SHARED_IBAN, text: 'cotisation Emma Lambert', date: '2026-02-03' },
      // Emma from an account of her own, by her initial: she paid for herself, nothing to remember.
      { id: 'L2', amount: '25.00', name: 'Mme E. Lambert', iban: MARIE_IBAN, text: 'cotisation Emma Lambert', date: '2026-02-04' },
    ]);
    expect(first).toMatchObject({ automatic: 2, toReview: 0 });
    expect(await allocationsOf(db, 'L1')).toMatchObject([{ person_id: emma, status: 'auto' }]);
    expect(await ibansOf(db)).toEqual([{ person_id: emma, iban: SHARED_IBAN, source: 'payer' }]);

    const next = await importCredits(db, [{ id: 'L3', amount: '25.00', name: 'Jan Lambert', iban: SHARED_IBAN, text: 'cotisation', date: '2027-02-03' }]);
    expect(next).toMatchObject({ automatic: 0, toReview: 1 });
    const [item] = (await reviewQueue(db)).items;
    expect(item.allocations).toMatchObject([{ person_id: emma, status: 'to_review' }]);
    expect(item.allocations[0].alternatives.map((p) => p.id)).toEqual([jan]);
    expect(await getMembership(db, jan, 2027)).toBeNull();
  });

  it('a payer seen paying for someone is not trusted for their own later payment, even by their initial, and the person page says so', async () => {
    const storage = await open();
    const { db } = storage;
    const alice = (await createPerson(db, SYSTEM, { display_name: 'Alice Martin' })).id;
    const sophie = (await createPerson(db, SYSTEM, { display_name: 'Sophie Lambert' })).id;
    await importCredits(db, [{ id: 'S1', amount: '25.00', name: 'SOPHIE LAMBERT', iban: SOPHIE_IBAN, ref: personReference(alice), date: '2026-02-03' }]);
    expect(await allocationsOf(db, 'S1')).toMatchObject([{ person_id: alice, status: 'auto', matched_by: 'reference' }]);
    expect(await ibansOf(db)).toEqual([{ person_id: alice, iban: SOPHIE_IBAN, source: 'payer' }]);

    const next = await importCredits(db, [{ id: 'S2', amount: '25.00', name: 'LAMBERT S', iban: SOPHIE_IBAN, text: 'lidgeld', date: '2026-03-03' }]);
    expect(next).toMatchObject({ automatic: 0, toReview: 1 });
    const [item] = (await reviewQueue(db)).items;
    expect(item.allocations).toMatchObject([{ person_id: alice, status: 'to_review' }]);
    expect(item.allocations[0].alternatives.map((p) => p.id)).toEqual([sophie]);

    const t = await startTestApp(storage);
    try {
      const browser = await t.loginAs(['treasurer']);
      const page = await browser.get(`/people/${alice}/payments`);
      expect(page.body).toContain('seen paying for this person (not confirmed: only proposed)');
      expect(page.body).not.toContain('learned from a confirmed payment');
    } finally {
      await t.close();
    }
  });

  it('a known IBAN does not beat a communication naming someone else, homonyms or several people', async () => {
    const { db } = await open();
    const luc = (await createPerson(db, SYSTEM, { display_name: 'Luc Peeters' })).id;
    const jean = (await createPerson(db, SYSTEM, { display_name: 'Jean Dupont' })).id;
    const namesake = (await createPerson(db, SYSTEM, { display_name: 'Jean Dupont' })).id;
    await addPersonIban(db, SYSTEM, luc, PEETERS_IBAN);
    await addPersonIban(db, SYSTEM, jean, DUPONT_IBAN);
    const result = await importCredits(db, [
      { id: 'P1', amount: '25.00', name: 'PEETERS ANNE', iban: PEETERS_IBAN, text: 'cotisation Emma Peeters' },
      { id: 'P2', amount: '50.00', name: 'PEETERS ANNE', iban: PEETERS_IBAN, text: 'cotisation Luc et Emma Peeters' },
      { id: 'P3', amount: '25.00', name: 'DUPONT JEAN', iban: DUPONT_IBAN, text: 'cotisation pour mon fils Jean Dupont, Namur' },
      { id: 'P4', amount: '25.00', name: 'PEETERS ANNE', iban: PEETERS_IBAN, text: 'lidgeld 2026' },
      { id: 'P5', amount: '25.00', name: 'DUPONT JEAN', iban: DUPONT_IBAN, text: 'cotisation' },
    ]);
    expect(result).toMatchObject({ automatic: 2, toReview: 3 });
    const [p1] = await allocationsOf(db, 'P1');
    expect(p1).toMatchObject({ person_id: luc, status: 'to_review' });
    expect(JSON.parse(p1.reason_json)).toMatchObject({ key: 'dues.reason.someone_else_named' });
    expect(await allocationsOf(db, 'P2')).toMatchObject([{ person_id: luc, status: 'to_review' }]);
    const [p3] = await allocationsOf(db, 'P3');
    expect(p3).toMatchObject({ person_id: null, status: 'to_review' });
    expect(JSON.parse(p3.reason_json)).toMatchObject({ key: 'dues.reason.homonyms', alternatives: [jean, namesake] });
    expect(await allocationsOf(db, 'P4')).toMatchObject([{ person_id: luc, status: 'auto', matched_by: 'iban' }]);
    expect(await allocationsOf(db, 'P5')).toMatchObject([{ person_id: jean, status: 'auto', matched_by: 'iban' }]);
    expect(await getMembership(db, namesake, 2026)).toBeNull();
  });

  it("puts first, among namesakes, the one whose usual dues amount the credit has", async () => {
    const { db } = await open();
    const first = (await createPerson(db, SYSTEM, { display_name: 'Jean Dupont' })).id;
    const second = (await createPerson(db, SYSTEM, { display_name: 'Jean Dupont' })).id;
    await importCredits(db, [
      { id: 'H1', amount: '20.00', name: 'J DUPONT', ref: personReference(first), date: '2026-02-03' },
      { id: 'H2', amount: '30.00', name: 'J DUPONT', ref: personReference(second), date: '2026-02-03' },
    ]);
    await importCredits(db, [{ id: 'H3', amount: '30.00', name: 'Compte Tiers', text: 'cotisation Jean Dupont', date: '2027-02-03' }]);
    const [item] = (await reviewQueue(db)).items;
    expect(item.allocations).toMatchObject([{ person_id: null, status: 'to_review' }]);
    expect(item.allocations[0].alternatives.map((p) => p.id)).toEqual([second, first]);
  });
});
