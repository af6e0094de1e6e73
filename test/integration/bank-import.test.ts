import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { getMembership } from '../../src/modules/memberships/memberships.service.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { IMPORT_BATCH, importStatementFile } from '../../src/modules/bank/import.service.js';
import { PREPARE_LEAD } from '../../src/modules/bank/statement-writer.js';
import { importAndAllocate, reviewQueue, undoLastDecision } from '../../src/modules/dues/review.service.js';
import { decideAllocation } from '../../src/modules/dues/allocation.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import type { Db } from '../../src/storage/database.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';
import { camt054 } from '../fixtures/camt054.js';
import { corpusFile, haveCorpus } from '../helpers/statements.js';

const FILES = ['coda-ontvangen-2012.txt', 'coda-v2.3-single.txt', 'coda-v2.3-multi.txt', 'test-camt053.xml', 'test-camt053-txdtls.xml', 'test-camt053-no-ntry.xml', 'test-camt054.xml', 'test_ofx.ofx', 'test_ofx_iban.ofx'];
const HAVE_CORPUS = haveCorpus('bank import');

/** How many movements the database holds. */
async function movementCount(db: Db): Promise<number> {
  return Number((await db.selectFrom('bank_transactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** Removes every import with its statements and movements (a test imports the same file again). */
async function clearImports(db: Db): Promise<void> {
  await db.deleteFrom('bank_transactions').execute();
  await db.deleteFrom('bank_statements').execute();
  await db.deleteFrom('bank_imports').execute();
}

forEachDialect('bank import and dues', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it.skipIf(!HAVE_CORPUS)('imports every real statement file once: the second import adds nothing', async () => {
    for (const name of FILES) {
      const bytes = corpusFile(name);
      const first = await importAndAllocate(t.ctx.db, SYSTEM, bytes, { filename: name });
      const again = await importAndAllocate(t.ctx.db, SYSTEM, bytes, { filename: name });
      expect(again.added, name).toBe(0);
      expect(again.duplicates, name).toBe(first.added + first.duplicates);
    }
  });

  it('matches a payment carrying a person\'s reference, makes them a member, and leaves the unknown to review', async () => {
    const alice = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Alice Martin' });
    const ref = personReference(alice.id);
    const file = camt054([
      { id: 'A1', amount: '25.00', ref, name: 'MARTIN ALICE', iban: 'BE71096123456769' },
      { id: 'A2', amount: '10.00', name: 'Someone Unknown', text: 'gift' },
    ]);
    const dry = await importAndAllocate(t.ctx.db, SYSTEM, file, { filename: 'n.xml', dryRun: true });
    expect(dry).toMatchObject({ added: 2, automatic: 1, toReview: 1, dryRun: true });
    expect(await getMembership(t.ctx.db, alice.id, 2026)).toBeNull();

    const done = await importAndAllocate(t.ctx.db, SYSTEM, file, { filename: 'n.xml' });
    expect(done).toMatchObject({ added: 2, automatic: 1, toReview: 1 });
    expect(await getMembership(t.ctx.db, alice.id, 2026)).toMatchObject({ status: 'member', source: 'payment', changed_on: '2026-02-03' });
    const queue = await reviewQueue(t.ctx.db);
    expect(queue.total).toBe(1);
    expect(queue.items[0].counterparty_name).toBe('Someone Unknown');
  });

  it('records the treasurer\'s decision, learns the IBAN, derives membership, and undoes it', async () => {
    const bob = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Bob Lenoir' });
    await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'B1', amount: '30.00', name: 'Famille Lenoir', iban: 'BE62510007547061' }]), { filename: 'b.xml' });
    const [item] = (await reviewQueue(t.ctx.db)).items;
    await decideAllocation(t.ctx.db, SYSTEM, item.id, { shares: [{ person_id: bob.id, amount_cents: 3000, kind: 'dues', category: null }] });
    expect(await getMembership(t.ctx.db, bob.id, 2026)).toMatchObject({ status: 'member', source: 'payment' });
    expect((await reviewQueue(t.ctx.db)).total).toBe(0);

    const next = await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'B2', amount: '30.00', name: 'Famille Lenoir', iban: 'BE62510007547061' }]), { filename: 'b2.xml' });
    expect(next.automatic).toBe(1);

    await undoLastDecision(t.ctx.db, SYSTEM, item.id);
    expect((await reviewQueue(t.ctx.db)).total).toBe(1);
    await expect(decideAllocation(t.ctx.db, SYSTEM, item.id, { shares: [{ person_id: bob.id, amount_cents: 2000, kind: 'dues', category: null }] })).rejects.toMatchObject({ status: 422 });
  });

  it('does not make a member of someone whose transfer is a donation: it waits for review as a donation', async () => {
    const eve = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Eve Janssens' });
    const result = await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'G1', amount: '50.00', ref: personReference(eve.id), name: 'EVE JANSSENS', text: 'don pour le nouveau serveur' }]), { filename: 'g.xml' });
    expect(result).toMatchObject({ automatic: 0, toReview: 1 });
    const [item] = (await reviewQueue(t.ctx.db)).items;
    expect(item.allocations).toMatchObject([{ person_id: eve.id, kind: 'donation', status: 'to_review' }]);
    await decideAllocation(t.ctx.db, SYSTEM, item.id, { shares: [{ person_id: eve.id, amount_cents: 5000, kind: 'donation', category: null }] });
    expect(await getMembership(t.ctx.db, eve.id, 2026)).toBeNull();
  });

  it('refuses hostile or broken files with a clear message and writes nothing', async () => {
    const hostile = Buffer.from('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Document><BkToCstmrStmt>&lol2;</BkToCstmrStmt></Document>');
    await expect(importAndAllocate(t.ctx.db, SYSTEM, hostile, { filename: 'x.xml' })).rejects.toMatchObject({ status: 422 });
    await expect(importAndAllocate(t.ctx.db, SYSTEM, Buffer.from([0, 1, 2, 3, 255, 0, 7]), { filename: 'junk' })).rejects.toMatchObject({ status: 422 });
    const cut = camt054([{ id: 'C1', amount: '5.00', name: 'X' }]).subarray(0, 400);
    await expect(importAndAllocate(t.ctx.db, SYSTEM, cut, { filename: 'cut.xml', format: 'camt.054' })).rejects.toMatchObject({ status: 422 });
    expect(await movementCount(t.ctx.db)).toBe(0);
  });

  it('gives each batch its ids in order with what was prepared for it, and a failure in a later batch undoes the whole import', async () => {
    const credits = Array.from({ length: 1200 }, (_, i) => ({ id: `P${i}`, amount: `${1 + (i % 50)}.00`, name: `Payer ${i}` }));
    const file = camt054(credits);
    const seen: { identity: string; id: number }[] = [];
    let prepared = 0;
    const summary = await importStatementFile<string>(t.ctx.db, SYSTEM, file, {
      filename: 'many.xml',
      prepare: async (_db, movements) => {
        prepared += movements.length;
        return movements.map((m) => `prepared ${m.identity}`);
      },
      onAdded: async (_db, movements, ids, made) => {
        movements.forEach((m, i) => {
          expect(made[i]).toBe(`prepared ${m.identity}`);
          seen.push({ identity: m.identity, id: ids[i] });
        });
      },
    });
    expect(summary.added).toBe(1200);
    expect(prepared).toBe(1200);
    expect(seen).toHaveLength(1200);
    const stored = await t.ctx.db.selectFrom('bank_transactions').select(['id', 'identity']).execute();
    expect(new Map(stored.map((r) => [r.id, r.identity]))).toEqual(new Map(seen.map((s) => [s.id, s.identity])));

    await clearImports(t.ctx.db);
    let batches = 0;
    const failing = importStatementFile(t.ctx.db, SYSTEM, file, {
      filename: 'many.xml',
      onAdded: async () => {
        if (++batches === 2) throw new Error('matching broke on the second batch');
      },
    });
    await expect(failing).rejects.toThrow('matching broke on the second batch');
    expect(await movementCount(t.ctx.db)).toBe(0);
    expect(await t.ctx.db.selectFrom('bank_imports').selectAll().execute()).toEqual([]);
  });

  it('writes movements while their batch is prepared, reads a few batches ahead at most, and a failed preparation undoes the import', async () => {
    const file = camt054(Array.from({ length: 7200 }, (_, i) => ({ id: `L${i}`, amount: `${1 + (i % 30)}.00`, name: `Payer ${i}` })));
    const lead = PREPARE_LEAD * IMPORT_BATCH;
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    const stopWaiting = setTimeout(release, 5000); // the assertions below say what went wrong if it comes to this
    let holding = true;
    let readWhileHeld = 0;
    let writtenWhileHeld = -1;
    const sizes: number[] = [];
    const paired: boolean[] = [];
    const summary = await importStatementFile<string>(t.ctx.db, SYSTEM, file, {
      filename: 'lead.xml',
      onProgress: (read) => {
        if (!holding) return;
        readWhileHeld = read;
        if (read >= lead) setTimeout(release, 100); // time enough to read on, were nothing holding the import back
      },
      prepare: async (db, movements) => {
        sizes.push(movements.length);
        if (sizes.length === 2) { // in the first batch (the first call, with no movements, starts the import)
          await held;
          holding = false;
          writtenWhileHeld = await movementCount(db);
        }
        return movements.map((m) => `prepared ${m.identity}`);
      },
      onAdded: async (_db, movements, _ids, made) => {
        paired.push(movements.every((m, i) => made[i] === `prepared ${m.identity}`));
      },
    }).finally(() => clearTimeout(stopWaiting));
    expect(summary.added).toBe(7200);
    expect(sizes[0]).toBe(0);
    expect(sizes.reduce((a, b) => a + b)).toBe(7200);
    expect(readWhileHeld).toBe(lead);
    expect(writtenWhileHeld).toBeGreaterThanOrEqual(lead); // those batches' movements were in before the first was prepared
    expect(paired).toEqual(Array(8).fill(true));
    expect(await movementCount(t.ctx.db)).toBe(7200);

    await clearImports(t.ctx.db);
    let prepared = 0;
    const failing = importStatementFile(t.ctx.db, SYSTEM, file, {
      filename: 'lead.xml',
      prepare: async (_db, movements) => {
        prepared += movements.length;
        if (prepared > 2 * IMPORT_BATCH) throw new Error('matching broke on the third batch');
        return movements.map(() => null);
      },
    });
    await expect(failing).rejects.toThrow('matching broke on the third batch');
    expect(await movementCount(t.ctx.db)).toBe(0);
    expect(await t.ctx.db.selectFrom('bank_imports').selectAll().execute()).toEqual([]);
  });

  it('skips a movement repeated in a later batch of the same file, and a re-import prepares only what it checked first', async () => {
    // The last 300 repeat movements of the batch just before them, which may still be being written.
    const credits = Array.from({ length: 1300 }, (_, i) => ({ id: `R${i < 1000 ? i : i - 1000 + 400}`, amount: `${1 + (i % 40)}.00`, name: `Payer ${i}` }));
    const file = camt054(credits);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const first = await importAndAllocate(t.ctx.db, SYSTEM, file, { filename: 'repeats.xml' }).finally(() => process.off('warning', onWarning));
    expect(warnings).toEqual([]); // pg warns when a query is sent while another runs: the writes overlap, in our own queue
    expect(first).toMatchObject({ added: 1000, duplicates: 300 });
    expect(first.automatic + first.toReview).toBe(1000);
    let prepared = 0;
    const again = await importStatementFile(t.ctx.db, SYSTEM, file, {
      filename: 'repeats.xml',
      prepare: async (_db, movements) => {
        prepared += movements.length;
        return movements.map(() => null);
      },
    });
    expect(again).toMatchObject({ added: 0, duplicates: 1300 });
    expect(prepared).toBe(IMPORT_BATCH); // the first batch, before the import saw that the file was known
    expect(await movementCount(t.ctx.db)).toBe(1000);
  });

  it('skips movements repeated batches later, and keeps the new ones among them', async () => {
    // Batch 4 repeats 100 movements of batch 1 and 100 of batch 3 (the one just before it), and brings 200 new ones.
    const id = (i: number) => (i < 3000 ? `T${i}` : i < 3100 ? `T${i - 3000 + 10}` : i < 3200 ? `T${i - 3100 + 2500}` : `T${i + 2000}`);
    const credits = Array.from({ length: 3400 }, (_, i) => ({ id: id(i), amount: `${1 + (i % 40)}.00`, name: `Payer ${i}` }));
    const first = await importAndAllocate(t.ctx.db, SYSTEM, camt054(credits), { filename: 'later.xml' });
    expect(first).toMatchObject({ added: 3200, duplicates: 200 });
    const stored = await t.ctx.db.selectFrom('bank_transactions').select('identity').execute();
    expect(new Set(stored.map((m) => m.identity))).toEqual(new Set(Array.from({ length: 3400 }, (_, i) => id(i))));
    expect(stored).toHaveLength(3200);
  });

  it('recognises on a re-import movements whose bank references hold quotes, backslashes, commas, braces or emoji', async () => {
    const odd = ['Q"1', 'B\\2', 'C,3', '{D4}', 'E 5 NULL', 'Łódź🐝6', "F'7", 'G&amp;8'];
    const file = camt054(odd.map((id, i) => ({ id, amount: `${10 + i}.00`, name: `Payer ${i}` })));
    expect(await importAndAllocate(t.ctx.db, SYSTEM, file, { filename: 'odd.xml' })).toMatchObject({ added: odd.length, duplicates: 0 });
    expect(await importAndAllocate(t.ctx.db, SYSTEM, file, { filename: 'odd.xml' })).toMatchObject({ added: 0, duplicates: odd.length });
    const stored = await t.ctx.db.selectFrom('bank_transactions').select('identity').orderBy('id').execute();
    expect(stored.map((row) => row.identity)).toEqual(odd.map((id) => id.replace('&amp;', '&')));
  });

  it('refuses a file with binary data past its start in the same words on both databases, and writes nothing', async () => {
    await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'B1', amount: '5.00', name: 'X' }]), { filename: 'first.xml' });
    const { id: accountId } = await t.ctx.db.selectFrom('bank_accounts').select('id').executeTakeFirstOrThrow();
    const records = Array.from({ length: 4000 }, (_, i) => `D31/01/2026\nT10.00\nPPayer ${i}\n^\n`);
    records[3000] = 'D31/01/2026\nT10.00\nPPay\u0000er\n^\n';
    const qif = Buffer.from(`!Type:Bank\n${records.join('')}`, 'utf8');
    await expect(importAndAllocate(t.ctx.db, SYSTEM, qif, { filename: 'broken.qif', accountId })).rejects.toMatchObject({ status: 422, key: 'bank.binary_inside', params: { where: '3001' } });
    expect(await movementCount(t.ctx.db)).toBe(1);
  });

  it('imports through the API with a token, and a secretary without dues:manage is refused', async () => {
    const token = await t.tokenFor(['treasurer']);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports?dry_run=1', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, payload: camt054([{ id: 'D1', amount: '12.50', name: 'Y' }]) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ format: 'camt.054', added: 1, dryRun: true });
    const secretary = await t.tokenFor(['secretary']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/bank/transactions', headers: { authorization: `Bearer ${secretary}` } })).statusCode).toBe(403);
  });
});
