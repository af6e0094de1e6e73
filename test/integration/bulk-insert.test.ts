import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { expect, it } from 'vitest';
import { insertMany } from '../../src/storage/bulk.js';
import { inTransaction, migrateToLatest, openSqlite } from '../../src/storage/database.js';
import type { Database } from '../../src/storage/schema.js';
import { forEachDialect } from '../helpers/dialects.js';

// Audit rows: a table without foreign keys, with text that needs escaping (quotes, JSON, accents, newlines, tabs,
// backslashes, carriage returns, a line that would end COPY's data).
const label = (tag: string, i: number) => `bulk "${tag}" é\n\t\\N \\.\r\n\\.\n${i}`;
const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({
  at: `2026-11-21T10:00:${String(i % 60).padStart(2, '0')}.000Z`, actor_account_id: null, actor_label: label(tag, i),
  action: 'bulk.test', entity_type: 'test', entity_id: `${tag}-${i}`, before_json: null, after_json: JSON.stringify({ i, text: "l'été \\ \"x\"" }),
}));

async function readBack(db: Kysely<Database>, ids: number[]) {
  const found = await db.selectFrom('audit_log').select(['id', 'entity_id', 'actor_label', 'after_json']).where('id', 'in', ids).execute();
  return new Map(found.map((r) => [r.id, r]));
}

forEachDialect('bulk inserts', (open) => {
  it('inserts thousands of rows in a transaction and returns their ids in the rows\' order, text intact', async () => {
    const { db } = await open();
    const ids = await inTransaction(db, (trx) => insertMany(trx, 'audit_log', rows(6_001, 'a')));
    expect(ids).toHaveLength(6_001);
    const byId = await readBack(db, ids.slice(0, 50).concat(ids.slice(-50)));
    for (const [k, id] of [...ids.slice(0, 50).entries(), ...ids.slice(-50).map((id, j) => [6_001 - 50 + j, id] as const)]) {
      expect(byId.get(id)).toMatchObject({ entity_id: `a-${k}`, actor_label: label('a', k) });
      expect(JSON.parse(byId.get(id)?.after_json ?? '{}')).toEqual({ i: k, text: "l'été \\ \"x\"" });
    }
  });

  it('inserts outside a transaction too', async () => {
    const { db } = await open();
    const ids = await insertMany(db, 'audit_log', rows(120, 'o'));
    const byId = await readBack(db, ids);
    expect(ids.map((id) => byId.get(id)?.actor_label)).toEqual(Array.from({ length: 120 }, (_, i) => label('o', i)));
  });

  it('keeps two transactions\' rows apart when they insert at the same time, and refuses a batch with a bad row', async () => {
    const { db } = await open();
    const bad = [...rows(300, 'bad'), { ...rows(1, 'bad')[0], entity_type: null as unknown as string }];
    const [good, failed] = await Promise.allSettled([
      inTransaction(db, (trx) => insertMany(trx, 'audit_log', rows(3_000, 'good'))),
      inTransaction(db, (trx) => insertMany(trx, 'audit_log', bad)),
    ]);
    expect(failed.status).toBe('rejected');
    expect(good.status).toBe('fulfilled');
    const ids = good.status === 'fulfilled' ? good.value : [];
    const byId = await readBack(db, ids);
    expect(ids.map((id) => byId.get(id)?.entity_id)).toEqual(Array.from({ length: 3_000 }, (_, i) => `good-${i}`));
    expect(await db.selectFrom('audit_log').select('id').where('entity_id', 'like', 'bad-%').execute()).toEqual([]);
  });

  it('rolls back with the transaction that made them', async () => {
    const { db } = await open();
    await expect(inTransaction(db, async (trx) => {
      await insertMany(trx, 'audit_log', rows(10, 'gone'));
      throw new Error('stop');
    })).rejects.toThrow('stop');
    const left = await db.selectFrom('audit_log').select('id').where('entity_id', 'like', 'gone-%').execute();
    expect(left).toEqual([]);
  });
});

it('inserts through Kysely when the SQLite handle is not known (a Kysely built elsewhere)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruche-bulk-'));
  const storage = openSqlite(join(dir, 'ruche.sqlite'));
  try {
    await migrateToLatest(storage.db);
    const other = new Kysely<Database>({ dialect: new SqliteDialect({ database: storage.sqlite as NonNullable<typeof storage.sqlite> }) });
    const ids = await insertMany(other, 'audit_log', rows(2_500, 'k'));
    const byId = await readBack(storage.db, ids);
    expect(ids.map((id) => byId.get(id)?.entity_id)).toEqual(Array.from({ length: 2_500 }, (_, i) => `k-${i}`));
    expect(await insertMany(other, 'audit_log', [])).toEqual([]);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Statements of one account and import: bigint amounts and dates, which PostgreSQL's COPY takes in binary form.
async function statementParent(db: Kysely<Database>) {
  const account = await db.insertInto('bank_accounts').values({ iban: 'BE68539007547034', currency: 'EUR', created_at: '2026-11-22T10:00:00.000Z' }).returning('id').executeTakeFirstOrThrow();
  const imported = await db.insertInto('bank_imports').values({ filename: 'f', format: 'camt', sha256: 'x', account_id: account.id, imported_by: 't', imported_at: '2026-11-22T10:00:00.000Z', summary_json: '{}' }).returning('id').executeTakeFirstOrThrow();
  return { bank_account_id: account.id, import_id: imported.id, entries: 0 };
}

const AMOUNTS = [-1, 0, 2 ** 40 + 5, -(2 ** 40) - 7, Number.MAX_SAFE_INTEGER, null];
const DATES = ['1999-12-31', '2000-01-01', '2024-02-29', '1970-01-01', '2100-12-31', null];

forEachDialect('bulk inserts of numbers, dates and bytes', (open) => {
  for (const where of ['inside a transaction', 'outside a transaction'] as const) {
    it(`keeps big and negative amounts, dates on either side of 2000 and nulls, ${where}`, async () => {
      const { db } = await open();
      const parent = await statementParent(db);
      const rows = AMOUNTS.map((amount, i) => ({ ...parent, statement_ref: `s${i}`, opening_cents: amount, opening_date: DATES[i], closing_cents: i, closing_date: DATES[DATES.length - 2 - i] ?? null }));
      const ids = where === 'inside a transaction' ? await inTransaction(db, (trx) => insertMany(trx, 'bank_statements', rows)) : await insertMany(db, 'bank_statements', rows);
      const stored = await db.selectFrom('bank_statements').select(['id', 'statement_ref', 'opening_cents', 'opening_date', 'closing_date']).where('id', 'in', ids).orderBy('id').execute();
      expect(stored.map((s) => s.statement_ref)).toEqual(rows.map((r) => r.statement_ref));
      expect(stored.map((s) => (s.opening_cents === null ? null : Number(s.opening_cents)))).toEqual(AMOUNTS);
      expect(stored.map((s) => s.opening_date)).toEqual(DATES);
      expect(stored.map((s) => s.closing_date)).toEqual(rows.map((r) => r.closing_date));
    });
  }

  it('takes a text column\'s UTF-8 bytes and stores them as text', async () => {
    const { db } = await open();
    const text = 'raw <Nm>Zoé 🐝 Łódź</Nm>\t\\N\n';
    const bytes = new Uint8Array(new TextEncoder().encode(`xx${text}yy`).buffer, 2, Buffer.byteLength(text));
    for (const insert of [(rows: never[]) => inTransaction(db, (trx) => insertMany(trx, 'audit_log', rows)), (rows: never[]) => insertMany(db, 'audit_log', rows)]) {
      const [row] = rows(1, 'bytes');
      const [id] = await insert([{ ...row, after_json: bytes }] as never[]);
      const stored = await db.selectFrom('audit_log').select('after_json').where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored.after_json).toBe(text);
    }
  });
});

forEachDialect('bulk inserts through COPY', (open) => {
  it('refuses a value its column\'s type cannot hold, naming the column, and writes nothing', async () => {
    const { db } = await open();
    const parent = await statementParent(db);
    const good = { ...parent, statement_ref: 'good', opening_cents: 100, opening_date: '2024-01-31' };
    for (const [bad, message] of [
      [{ opening_cents: 1.5 }, /opening_cents is not an integer/],
      [{ opening_cents: 2 ** 53 }, /opening_cents is not an integer in range/],
      [{ entries: 2 ** 31 }, /entries is not an integer in range/],
      [{ opening_date: '2023-02-29' }, /opening_date is not a date/],
      [{ opening_date: '2024-1-5' }, /opening_date is not a date/],
      [{ opening_date: 'not a date' }, /opening_date is not a date/],
    ] as const) {
      await expect(inTransaction(db, (trx) => insertMany(trx, 'bank_statements', [good, { ...good, statement_ref: 'bad', ...bad }]))).rejects.toThrow(message);
    }
    expect(await db.selectFrom('bank_statements').select('id').execute()).toEqual([]);
  });
}, ['postgres']);
