// The database itself keeps every bank movement tied to an existing statement; on PostgreSQL (one composite key,
// migration 0012) also to that statement's own account and import.
import { Migrator, sql } from 'kysely';
import { expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { importStatementFile } from '../../src/modules/bank/import.service.js';
import { inTransaction, type Storage } from '../../src/storage/database.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { camt054 } from '../fixtures/camt054.js';
import { forEachDialect } from '../helpers/dialects.js';

const now = '2026-01-05T10:00:00.000Z';

async function accountAndImport(db: Storage['db'], iban: string) {
  const account = await db.insertInto('bank_accounts').values({ iban, currency: 'EUR', created_at: now }).returning('id').executeTakeFirstOrThrow();
  const upload = await db.insertInto('bank_imports')
    .values({ filename: `${iban}.xml`, format: 'camt.053', sha256: iban, account_id: account.id, imported_by: 'test', imported_at: now, summary_json: '{}' })
    .returning('id').executeTakeFirstOrThrow();
  const statement = await db.insertInto('bank_statements').values({ bank_account_id: account.id, import_id: upload.id, entries: 1 })
    .returning('id').executeTakeFirstOrThrow();
  return { accountId: account.id, importId: upload.id, statementId: statement.id };
}

function movement(accountId: number, importId: number, statementId: number, identity: string) {
  return {
    bank_account_id: accountId, statement_id: statementId, import_id: importId, identity, booking_date: '2026-01-05',
    amount_cents: 2500, currency: 'EUR', raw: '<Ntry/>', created_at: now,
  };
}

async function movementsIn(db: Storage['db']): Promise<number> {
  const row = await db.selectFrom('bank_transactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

forEachDialect('bank movements and their statements', (open) => {
  it('stores a movement of an existing statement, and refuses one whose statement does not exist', async () => {
    const { db } = await open();
    const a = await accountAndImport(db, 'BE68539007547034');
    await db.insertInto('bank_transactions').values(movement(a.accountId, a.importId, a.statementId, 'one')).execute();
    await expect(db.insertInto('bank_transactions').values(movement(a.accountId, a.importId, a.statementId + 99, 'two')).execute())
      .rejects.toThrow(/foreign key/i);
    expect(await movementsIn(db)).toBe(1);
  });
});

forEachDialect('bank movements under their statement\'s account and import', (open) => {
  it('refuses a movement filed under another account or import than its statement', async () => {
    const { db } = await open();
    const a = await accountAndImport(db, 'BE68539007547034');
    const b = await accountAndImport(db, 'BE71096123456769');
    await expect(db.insertInto('bank_transactions').values(movement(b.accountId, a.importId, a.statementId, 'x')).execute())
      .rejects.toThrow(/bank_transactions_statement/);
    await expect(db.insertInto('bank_transactions').values(movement(a.accountId, b.importId, a.statementId, 'y')).execute())
      .rejects.toThrow(/bank_transactions_statement/);
    expect(await movementsIn(db)).toBe(0);
  });

  it('undoes and redoes migration 0012: the three single keys come back, then the composite one again', async () => {
    const { db } = await open();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
    expect((await migrator.migrateTo('0011_oidc_client_quota')).error).toBeUndefined();
    expect(await movementKeys(db)).toEqual([
      'bank_transactions_bank_account_id_fkey', 'bank_transactions_import_id_fkey', 'bank_transactions_statement_id_fkey',
    ]);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await movementKeys(db)).toEqual(['bank_transactions_statement']);
  });
}, ['postgres']);

forEachDialect('key checks of an import', (open) => {
  it('finds each movement\'s statement by its index, even where the connection planned that check against a one-row table', async () => {
    const { db } = await open();
    const a = await accountAndImport(db, 'BE68539007547034');
    await sql`analyze bank_statements`.execute(db); // as autovacuum does: the table is known to be tiny
    // Outside an import, on the connection the import takes next: from the sixth check on, PostgreSQL keeps one plan,
    // made for a table of one row (a scan of it), that a large import would otherwise run for each of its movements.
    const early = await inTransaction(db, async (trx) => {
      await trx.insertInto('bank_transactions').values(Array.from({ length: 10 }, (_, i) => movement(a.accountId, a.importId, a.statementId, `early ${i}`))).execute();
      return statementScans(trx);
    });
    expect(early.seq).toBeGreaterThanOrEqual(10);
    let scans = { pid: 0, seq: -1, index: -1 };
    const file = camt054(Array.from({ length: 300 }, (_, i) => ({ id: `K${i}`, amount: '5.00', name: `Payer ${i}` })));
    const summary = await importStatementFile(db, SYSTEM, file, { filename: 'k.xml', onDone: async (trx) => void (scans = await statementScans(trx)) });
    expect(summary.added).toBe(300);
    expect(scans.pid).toBe(early.pid);
    expect(scans.index).toBeGreaterThanOrEqual(300);
    expect(scans.seq).toBeLessThan(50); // the import's own few reads of its statement
  });
}, ['postgres']);

forEachDialect('indexes of bank movements', (open) => {
  it('has no index on the counterparty IBAN (migration 0013), and gets it back when that migration is undone', async () => {
    const storage = await open();
    const migrator = new Migrator({ db: storage.db, provider: { getMigrations: async () => MIGRATIONS } });
    expect(await indexesOf(storage, 'bank_transactions')).toEqual(['bank_transactions_date']);
    expect((await migrator.migrateTo('0012_bank_statement_key')).error).toBeUndefined();
    expect(await indexesOf(storage, 'bank_transactions')).toEqual(['bank_transactions_date', 'bank_transactions_iban']);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await indexesOf(storage, 'bank_transactions')).toEqual(['bank_transactions_date']);
  });
});

forEachDialect('the review queue\'s index', (open) => {
  it('holds only allocations to review (migration 0014), is used for the queue, and becomes the full index again when undone', async () => {
    const storage = await open();
    const migrator = new Migrator({ db: storage.db, provider: { getMigrations: async () => MIGRATIONS } });
    expect(await indexesOf(storage, 'allocations')).toEqual(['allocations_person_year', 'allocations_to_review', 'allocations_transaction']);
    expect(await reviewQueuePlan(storage)).toContain('allocations_to_review');
    expect((await migrator.migrateTo('0013_bank_iban_index')).error).toBeUndefined();
    expect(await indexesOf(storage, 'allocations')).toEqual(['allocations_person_year', 'allocations_status', 'allocations_transaction']);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await indexesOf(storage, 'allocations')).toEqual(['allocations_person_year', 'allocations_to_review', 'allocations_transaction']);
  });
});

/** The plan of the review queue's query, with its status bound as dues.repository binds it (sequential scans discouraged). */
async function reviewQueuePlan({ db, dialect }: Storage): Promise<string> {
  const query = sql`select transaction_id from allocations where status = ${'to_review'} group by transaction_id order by transaction_id limit 50`;
  if (dialect === 'postgres') {
    await sql`set enable_seqscan = off`.execute(db);
    const { rows } = await sql<Record<string, string>>`explain ${query}`.execute(db);
    await sql`reset enable_seqscan`.execute(db);
    return rows.map((row) => Object.values(row).join(' ')).join('\n');
  }
  const { rows } = await sql<{ detail: string }>`explain query plan ${query}`.execute(db);
  return rows.map((row) => row.detail).join('\n');
}

/** The names of the plain indexes of a table (primary and unique keys left out), in the test's schema. */
async function indexesOf({ db, dialect }: Storage, table: string): Promise<string[]> {
  const query = dialect === 'postgres'
    ? sql<{ name: string }>`select i.indexname as name from pg_indexes i join pg_class c on c.relname = i.indexname
      join pg_index x on x.indexrelid = c.oid where i.tablename = ${table} and i.schemaname = current_schema()
      and c.relnamespace = current_schema()::regnamespace and not x.indisunique order by i.indexname`
    : sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null order by name`;
  return (await query.execute(db)).rows.map((row) => row.name);
}

/** Scans of bank_statements in the current transaction (each key check of a movement is one), and its connection. */
async function statementScans(db: Storage['db']): Promise<{ pid: number; seq: number; index: number }> {
  const { rows } = await sql<{ pid: number; seq: string; index: string }>`select pg_backend_pid() as pid, seq_scan as seq,
    idx_scan as index from pg_stat_xact_all_tables where relid = 'bank_statements'::regclass`.execute(db);
  return { pid: rows[0].pid, seq: Number(rows[0].seq), index: Number(rows[0].index) };
}

/** The names of the foreign keys of bank_transactions in the test's schema. */
async function movementKeys(db: Storage['db']): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select conname as name from pg_constraint
    where conrelid = 'bank_transactions'::regclass and contype = 'f' order by conname`.execute(db);
  return rows.map((row) => row.name);
}
