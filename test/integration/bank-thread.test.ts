// Large statement files are parsed in a worker thread (parsers/threaded.ts): the same events, the same refusals,
// and through the import the same all-or-nothing result as the parse in the import's own thread.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { parseStatementFile } from '../../src/modules/bank/parsers/index.js';
import { parseInThread, runningParseThreads, THREAD_MIN_BYTES } from '../../src/modules/bank/parsers/threaded.js';
import { StatementError, type StatementEvent } from '../../src/modules/bank/parsers/types.js';
import { importAndAllocate } from '../../src/modules/dues/review.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { camt054, type Credit } from '../fixtures/camt054.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';
import { CORPUS as CORPUS_DIR, corpusFile, haveCorpus } from '../helpers/statements.js';
import { shown } from '../helpers/refusals.js';

const HAVE_CORPUS = haveCorpus('bank parse thread');
const CORPUS = ['coda-ontvangen-2012.txt', 'coda-v2.3-multi.txt', 'test-camt053.xml', 'test-camt053-txdtls.xml', 'test-camt054.xml', 'test_ofx.ofx', 'test_ofx_iban.ofx', 'debit_credit.csv'];

async function threadEvents(bytes: Buffer | { path: string }): Promise<StatementEvent[]> {
  const events: StatementEvent[] = [];
  for await (const event of parseInThread(bytes)) events.push(event);
  return events;
}

async function threadFailure(bytes: Buffer): Promise<unknown> {
  return threadEvents(bytes).then(() => null, (error: unknown) => error);
}

function inlineFailure(bytes: Buffer): unknown {
  try {
    [...parseStatementFile(bytes)];
    return null;
  } catch (error) {
    return error;
  }
}

/** The XML of the entry with this AcctSvcrRef, as its raw record keeps it: no whitespace between tags. */
function entryXml(bytes: Buffer, id: string): string {
  const text = bytes.toString('utf8');
  const at = text.indexOf(`<AcctSvcrRef>${id}</AcctSvcrRef>`);
  return text.slice(text.lastIndexOf('<Ntry>', at), text.indexOf('</Ntry>', at) + '</Ntry>'.length).replace(/>\s+</g, '><');
}

/** A notification of `count` credits, a third of them carrying a person's reference. */
function bigNotification(count: number, refs: string[]): Buffer {
  const credits: Credit[] = [];
  for (let i = 0; i < count; i++) {
    const ref = i % 3 === 0 ? refs[i % refs.length] : undefined;
    credits.push({ id: `BIG-${i}`, amount: `${10 + (i % 40)}.00`, name: `Payer number ${i}`, iban: 'BE71096123456769', text: `payment ${i} with a longer communication for size, Zoé 🐝 \\ &amp; ok`, ...(ref ? { ref } : {}) });
  }
  return camt054(credits);
}

describe.skipIf(!HAVE_CORPUS)('statement parse thread', () => {
  it('yields the very events of the parse in this thread, for every format of the corpus', async () => {
    for (const name of CORPUS) {
      const bytes = corpusFile(name);
      expect(await threadEvents(bytes), name).toEqual([...parseStatementFile(bytes)]);
    }
  });

  it('reads a file given by its path (chunk by chunk for camt) into the very same events', async () => {
    for (const name of CORPUS) {
      const path = join(CORPUS_DIR, name);
      expect(await threadEvents({ path }), name).toEqual([...parseStatementFile(corpusFile(name))]);
    }
  });

  it('refuses broken and hostile files with the same message, naming the same place', async () => {
    const camt = corpusFile('test-camt053.xml');
    const broken = [
      camt.subarray(0, Math.floor(camt.length * 0.6)),
      Buffer.from(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><Document>&e;</Document>`),
      corpusFile('test_ofx_wrong.ofx'),
      Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]),
    ];
    for (const bytes of broken) {
      const inline = inlineFailure(bytes) as StatementError;
      expect(inline).toBeInstanceOf(StatementError);
      const threaded = await threadFailure(bytes);
      expect(threaded).toBeInstanceOf(StatementError);
      expect(threaded).toMatchObject({ key: inline.key, where: inline.where, detail: inline.detail });
      expect(shown(threaded as StatementError, 'fr')).toBe(shown(inline, 'fr'));
    }
    expect(shown(inlineFailure(corpusFile('test_ofx_wrong.ofx')) as StatementError, 'nl')).toBe('Het OFX-bestand mist verplichte elementen (regel 21 <STMTRS>): <CURDEF>, <BANKACCTFROM>');
  });

  it('stops its thread when the reader stops early', async () => {
    const bytes = bigNotification(3000, ['+++000/0000/00097+++']);
    let read = 0;
    for await (const event of parseInThread(bytes)) if (event.type === 'entry' && ++read === 10) break;
    expect(read).toBe(10);
    expect(runningParseThreads()).toBe(0);
  });

  it('refuses a file read whole that outgrows the thread, asking to split it, and ends the thread', async () => {
    const movement = (i: number) => `D${String((i % 28) + 1).padStart(2, '0')}/03/2025\nT${(i % 90) + 10}.00\nPPayer number ${i}\nMcotisation ${i}\n^\n`;
    const qif = Buffer.from(`!Type:Bank\n${Array.from({ length: 300_000 }, (_, i) => movement(i)).join('')}`);
    const failure = await threadFailure(qif);
    expect(failure).toBeInstanceOf(StatementError);
    expect((failure as StatementError).key).toBe('bank.too_large_to_read');
    expect(runningParseThreads()).toBe(0);
  });
});

forEachDialect('import of a large file through the parse thread', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it('imports, matches and deduplicates as the small files do; a broken copy changes nothing', async () => {
    const people = await Promise.all(['Alice Martin', 'Bob Lenoir', 'Chloé Dubois'].map((name) => createPerson(t.ctx.db, SYSTEM, { display_name: name })));
    const bytes = bigNotification(5000, people.map((p) => personReference(p.id)));
    expect(bytes.length).toBeGreaterThanOrEqual(THREAD_MIN_BYTES);

    const first = await importAndAllocate(t.ctx.db, SYSTEM, bytes, { filename: 'big.xml' });
    expect(first).toMatchObject({ added: 5000, duplicates: 0 });
    expect(first.automatic).toBeGreaterThanOrEqual(1667);
    const again = await importAndAllocate(t.ctx.db, SYSTEM, bytes, { filename: 'big.xml' });
    expect(again).toMatchObject({ added: 0, duplicates: 5000 });
    // Each movement keeps its entry's XML (the bytes from the parse thread, stored as text), whitespace between tags removed.
    const stored = await t.ctx.db.selectFrom('bank_transactions').select(['identity', 'raw']).where('identity', 'in', ['BIG-0', 'BIG-4321']).orderBy('identity').execute();
    expect(stored.map((m) => m.raw)).toEqual(['BIG-0', 'BIG-4321'].map((id) => entryXml(bytes, id)));
    expect(stored[0].raw).toContain('Zoé 🐝 \\ &amp; ok');

    const other = bigNotification(6000, ['x']).toString('utf8').replaceAll('BIG-', 'OTHER-');
    const cut = Buffer.from(other.slice(0, Math.floor(other.length * 0.8)));
    expect(cut.length).toBeGreaterThanOrEqual(THREAD_MIN_BYTES);
    const refused = await importAndAllocate(t.ctx.db, SYSTEM, cut, { filename: 'cut.xml' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 422, code: 'bank_unreadable' });
    const count = await t.ctx.db.selectFrom('bank_transactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5000);
  });

  it('stops the parse thread, started with the import, when the import fails before reading the file', async () => {
    const bytes = bigNotification(5000, ['+++000/0000/00097+++']);
    expect(bytes.length).toBeGreaterThanOrEqual(THREAD_MIN_BYTES);
    await sql`alter table bank_imports rename to bank_imports_away`.execute(t.ctx.db);
    const failed = await importAndAllocate(t.ctx.db, SYSTEM, bytes, { filename: 'big.xml' }).catch((error: unknown) => error);
    expect(String(failed)).toMatch(/bank_imports/);
    expect(runningParseThreads()).toBe(0);
  });

  it('imports a file given by its path, large or small, as the same bytes would be', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruche-thread-'));
    try {
      const big = join(dir, 'big.xml');
      writeFileSync(big, bigNotification(5000, ['+++000/0000/00097+++']).toString('utf8').replaceAll('BIG-', 'PATH-'));
      const small = join(dir, 'small.xml');
      writeFileSync(small, camt054([{ id: 'SMALL-1', amount: '12.00', name: 'Someone Small' }]));
      expect(await importAndAllocate(t.ctx.db, SYSTEM, { path: big }, { filename: 'big.xml' })).toMatchObject({ added: 5000, duplicates: 0 });
      expect(await importAndAllocate(t.ctx.db, SYSTEM, { path: small }, { filename: 'small.xml' })).toMatchObject({ added: 1, duplicates: 0 });
      expect(await importAndAllocate(t.ctx.db, SYSTEM, { path: big }, { filename: 'big.xml' })).toMatchObject({ added: 0, duplicates: 5000 });
      const imports = await t.ctx.db.selectFrom('bank_imports').select('sha256').orderBy('id').execute();
      expect(imports[0].sha256).toBe(imports[2].sha256);
      expect(imports[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
