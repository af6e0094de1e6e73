import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect, type RawBuilder, sql, SqliteAdapter, SqliteDialect, type Transaction } from 'kysely';
import { createRequire } from 'node:module';
import type Pg from 'pg';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';
import { type SerialClient, serialClientOf, serialPool } from './pg-serial.js';
import { withStatementCache } from './statement-cache.js';

/** Either the database itself or a transaction: services take this first so transactions compose. */
export type Db = Kysely<Database> | Transaction<Database>;

export type Dialect = 'sqlite' | 'postgres';

/** An open database with its dialect and, for SQLite, the native handle used by backups. */
export interface Storage {
  db: Kysely<Database>;
  dialect: Dialect;
  sqlite?: SqliteDatabase.Database;
  sqlitePath?: string;
  close(): Promise<void>;
}

// The PostgreSQL driver is loaded only when a postgres:// URL asks for it: SQLite installs stay lighter in memory.
let pgModule: typeof Pg | undefined;
function loadPg(): typeof Pg {
  if (pgModule) return pgModule;
  pgModule = createRequire(import.meta.url)('pg') as typeof Pg;
  // DATE columns come back as 'YYYY-MM-DD' strings, never as JS Dates shifted by the time zone.
  pgModule.types.setTypeParser(1082, (value: string) => value);
  // COUNT(*) and other bigint results fit in a JS number for our sizes.
  pgModule.types.setTypeParser(20, (value: string) => Number(value));
  return pgModule;
}

/** Opens SQLite (in the data folder) or PostgreSQL (when the URL says so). */
export function openStorage(options: { databaseUrl: string; dataDir: string; searchPath?: string }): Storage {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.searchPath);
  mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(join(options.dataDir, 'ruche.sqlite'));
}

/** Opens a SQLite file in WAL mode with foreign keys on. */
export function openSqlite(path: string): Storage {
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // 8 MB of page cache (the default is 16 MB): the hot indexes fit, and the server stays small on small boards.
  sqlite.pragma('cache_size = -8000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  NATIVE_SQLITE.set(db, sqlite);
  return { db, dialect: 'sqlite', sqlite, sqlitePath: path, close: () => db.destroy() };
}

function openPostgres(url: string, searchPath?: string): Storage {
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: 10,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: serialPool(pool) as unknown as Pg.Pool }) });
  const clients = new Map<number, Pg.PoolClient>();
  pool.on('connect', (client) => clients.set(backendPidOf(client), client));
  pool.on('remove', (client) => clients.delete(backendPidOf(client)));
  PG_CLIENTS.set(db, clients);
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

function backendPidOf(client: Pg.PoolClient): number {
  return (client as unknown as { processID: number }).processID;
}

/** True when the database (or transaction) is SQLite; repositories use it where the dialects' SQL must differ. */
export function isSqlite(db: Db): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * `column` is one of many ids (thousands, in bulk work): a list on SQLite, one array parameter on PostgreSQL (a list
 * of that size there is a parameter each, parsed and planned every time).
 */
export function idIn(db: Db, column: string, ids: number[]): RawBuilder<boolean> {
  if (isSqlite(db)) return sql<boolean>`${sql.ref(column)} in (${sql.join(ids)})`;
  // The array's text written here: pg would escape each element with a regular expression.
  const array = `{${ids.join(',')}}`;
  return sql<boolean>`${sql.ref(column)} = any(${array}::int[])`;
}

// SQLite binds each id of idIn as a parameter (at most 32,766 in a statement).
const SQLITE_IDS_PER_READ = 5_000;

/**
 * The rows a read finds for many ids (thousands, in bulk work), in the ids' slices' order: one query on PostgreSQL, its
 * ids as one array (each query may scan a table: four reads of 5,000 people's dues took 0.8-0.95 s at the end of a
 * bench import, one 0.47-0.49 s), and a few thousand ids a query on SQLite.
 */
export async function readForIds<T>(db: Db, ids: number[], read: (ids: number[]) => Promise<T[]>): Promise<T[]> {
  if (!ids.length) return [];
  if (!isSqlite(db)) return read(ids);
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += SQLITE_IDS_PER_READ) for (const row of await read(ids.slice(i, i + SQLITE_IDS_PER_READ))) rows.push(row);
  return rows;
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: new StaticProvider() });
}

/** Applies pending migrations; returns the names applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied, so the server can refuse to start on an old schema. */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Runs a unit of work in one transaction: it all lands or nothing does. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => {
    const native = NATIVE_SQLITE.get(db);
    if (native) NATIVE_SQLITE.set(trx, native);
    const clients = PG_CLIENTS.get(db);
    if (clients) PG_CLIENTS.set(trx, clients);
    return work(trx);
  });
}

// The better-sqlite3 handle behind a Kysely instance or one of its transactions (SQLite has a single connection, so
// statements on the handle run inside the transaction that holds it): bulk inserts reuse prepared statements with it.
const NATIVE_SQLITE = new WeakMap<Db, SqliteDatabase.Database>();

/** The native SQLite handle of a database or of a transaction opened by inTransaction, if any (storage/bulk.ts). */
export function nativeSqliteOf(db: Db): SqliteDatabase.Database | undefined {
  return NATIVE_SQLITE.get(db);
}

// PostgreSQL: an open pool's connections by their server process id. A transaction finds the client of its own
// connection by asking pg_backend_pid(), so that bulk inserts can stream COPY on it (storage/bulk.ts).
const PG_CLIENTS = new WeakMap<Db, Map<number, Pg.PoolClient>>();
const TRANSACTION_CLIENTS = new WeakMap<Db, Promise<SerialClient | undefined>>();

/** The serial client under a PostgreSQL transaction opened by inTransaction, if any (COPY in storage/bulk.ts). */
export function pgClientOf(db: Db): Promise<SerialClient | undefined> {
  const clients = PG_CLIENTS.get(db);
  if (!clients || !db.isTransaction) return Promise.resolve(undefined);
  let client = TRANSACTION_CLIENTS.get(db);
  if (!client) {
    client = sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db).then(({ rows }) => {
      const raw = clients.get(Number(rows[0].pid));
      return raw ? serialClientOf(raw) : undefined;
    });
    TRANSACTION_CLIENTS.set(db, client);
  }
  return client;
}
