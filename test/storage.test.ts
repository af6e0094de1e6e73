import { expect, it } from 'vitest';
import { insertMany } from '../src/storage/bulk.js';
import { inTransaction, migrateToLatest, pendingMigrations, type Storage } from '../src/storage/database.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { forEachDialect } from './helpers/dialects.js';

const now = '2024-03-01T10:00:00.000Z';

function person(name: string) {
  return {
    kind: 'individual' as const,
    display_name: name,
    sort_key: name.toLowerCase(),
    search_text: name.toLowerCase(),
    joined_on: '2024-02-29',
    created_at: now,
    updated_at: now,
  };
}

function account(username: string) {
  return { username, password_hash: 'x', disabled: 0, created_at: now };
}

forEachDialect('storage', (open: () => Promise<Storage>) => {
  it('applies every migration, and none is pending after', async () => {
    const { db } = await open();
    expect(await pendingMigrations(db)).toEqual([]);
    expect(await migrateToLatest(db)).toEqual([]);
    const names = await db.selectFrom('kysely_migration' as never).select('name' as never).execute();
    expect(names.length).toBe(Object.keys(MIGRATIONS).length);
  });

  it('gives back dates as YYYY-MM-DD strings and text columns as written', async () => {
    const { db } = await open();
    const { id } = await db.insertInto('people').values(person('Zoé Dupont')).returning('id').executeTakeFirstOrThrow();
    const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.joined_on).toBe('2024-02-29');
    expect(row.left_on).toBeNull();
    expect(row).toMatchObject({ created_at: now, updated_at: now, sort_key: 'zoé dupont', search_text: 'zoé dupont' });
  });

  it('raises a unique violation on a second account with the same username', async () => {
    const { db } = await open();
    await db.insertInto('accounts').values(account('alice')).execute();
    await expect(db.insertInto('accounts').values(account('alice')).execute()).rejects.toThrow(/unique/i);
    const count = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('isolates each database it opens', async () => {
    const first = await open();
    const second = await open();
    await first.db.insertInto('accounts').values(account('bob')).execute();
    expect(await second.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
  });

  // Inside a transaction PostgreSQL takes bulk rows through COPY's binary format (lengths, no escaping); outside one, as JSON.
  for (const where of ['inside a transaction', 'outside a transaction'] as const) {
    it(`keeps every character of bulk-inserted rows, ${where}`, async () => {
      const { db } = await open();
      const names = ['tab\there', 'new\nline', 'carriage\rreturn', 'back\\slash \\N', '\\N', 'Łódź 🐝 Ærø', '', 'x'.repeat(70_000), 'ᚠé🐝'.repeat(30_000)];
      const rows = names.map((name) => ({ ...person(name), notes: null, sort_key: `${name.length}` }));
      const ids = where === 'inside a transaction' ? await inTransaction(db, (trx) => insertMany(trx, 'people', rows)) : await insertMany(db, 'people', rows);
      const stored = await db.selectFrom('people').select(['id', 'display_name', 'notes', 'sort_key']).where('id', 'in', ids).orderBy('id').execute();
      expect(stored.map((row) => row.display_name)).toEqual(names);
      expect(stored.map((row) => row.id)).toEqual(ids);
      expect(stored.every((row) => row.notes === null)).toBe(true);
      expect(stored.map((row) => row.sort_key)).toEqual(names.map((name) => `${name.length}`));
    });
  }
});
