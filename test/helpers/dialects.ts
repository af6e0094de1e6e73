// Runs a block of tests once per SQL dialect, each `open()` giving a fresh, migrated, isolated database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject, onTestFinished } from 'vitest';
import { type Dialect, migrateToLatest, openStorage, type Storage } from '../../src/storage/database.js';
import { unavailable } from './require.js';

/** The SQL dialects every storage-touching test runs on. */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

type Cleanup = () => Promise<void>;

/** The PostgreSQL URL for tests: TEST_DATABASE_URL, else the throwaway cluster of the global setup. */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || inject('testDatabaseUrl') || '';
}

function postgresMissing(): string {
  if (testDatabaseUrl()) return '';
  return inject('postgresUnavailable') || 'no TEST_DATABASE_URL and no PostgreSQL started by the global setup';
}

async function admin(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

// Kysely's migrator looks for its own tables in every schema of the database, so a fresh schema
// must have them before the first migration, or it would find another test schema's and not create them.
function schemaStatements(schema: string): string[] {
  return [
    `CREATE SCHEMA ${schema}`,
    `CREATE TABLE ${schema}.kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`,
    `CREATE TABLE ${schema}.kysely_migration_lock (id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0)`,
  ];
}

async function openFresh(dialect: Dialect, cleanups: Cleanup[]): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), `ruche-${dialect}-`));
  const url = dialect === 'postgres' ? testDatabaseUrl() : '';
  const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  let storage: Storage | undefined;
  let done = false;
  const cleanup: Cleanup = async () => {
    if (done) return;
    done = true;
    await storage?.close().catch(() => {});
    if (schema) await admin(url, [`DROP SCHEMA IF EXISTS ${schema} CASCADE`]).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  register(cleanup, cleanups);
  if (schema) await admin(url, schemaStatements(schema));
  storage = openStorage({ databaseUrl: url, dataDir, ...(schema ? { searchPath: schema } : {}) });
  await migrateToLatest(storage.db);
  return storage;
}

function register(cleanup: Cleanup, cleanups: Cleanup[]): void {
  cleanups.push(cleanup);
  try {
    onTestFinished(cleanup);
  } catch {
    // Opened outside a test (beforeAll): the describe's afterAll closes it.
  }
}

/**
 * Declares `describe(name [dialect])` per dialect (or per one of `only`, for what a single database enforces); `open()`
 * gives a fresh migrated database, closed and dropped after use.
 */
export function forEachDialect(name: string, fn: (open: () => Promise<Storage>) => void, only: readonly Dialect[] = DIALECTS): void {
  for (const dialect of only) {
    const missing = dialect === 'postgres' ? postgresMissing() : '';
    if (missing) {
      unavailable('postgres', missing);
      describe.skip(`${name} [${dialect}]`, () => fn(() => Promise.reject(new Error(missing))));
      continue;
    }
    describe(`${name} [${dialect}]`, () => {
      const cleanups: Cleanup[] = [];
      afterAll(async () => {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      });
      fn(() => openFresh(dialect, cleanups));
    });
  }
}

/** Where a command-line test's database is: the environment `ruche` reads (RUCHE_DATA_DIR, DATABASE_URL). */
export interface CliDatabase {
  dataDir: string;
  databaseUrl: string;
}

/**
 * Declares `describe(name [dialect])` per dialect for tests of the `ruche` command: `database()` gives a fresh data
 * folder and, on PostgreSQL, a URL whose search path is a fresh schema (not yet migrated: the command does it). Both
 * are dropped after the block.
 */
export function forEachDialectCli(name: string, fn: (database: () => CliDatabase) => void): void {
  for (const dialect of DIALECTS) {
    const missing = dialect === 'postgres' ? postgresMissing() : '';
    if (missing) {
      unavailable('postgres', missing);
      describe.skip(`${name} [${dialect}]`, () => fn(() => ({ dataDir: '', databaseUrl: '' })));
      continue;
    }
    describe(`${name} [${dialect}]`, () => {
      const dataDir = mkdtempSync(join(tmpdir(), `ruche-cli-${dialect}-`));
      const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : '';
      const url = schema ? testDatabaseUrl() : '';
      beforeAll(async () => {
        if (schema) await admin(url, schemaStatements(schema));
      });
      afterAll(async () => {
        if (schema) await admin(url, [`DROP SCHEMA IF EXISTS ${schema} CASCADE`]).catch(() => {});
        rmSync(dataDir, { recursive: true, force: true });
      });
      fn(() => ({ dataDir, databaseUrl: schema ? withSearchPath(url, schema) : '' }));
    });
  }
}

/** The environment that points the `ruche` command at a test database opened by forEachDialect. */
export async function cliEnvironmentOf(storage: Storage): Promise<{ DATABASE_URL: string; RUCHE_DATA_DIR?: string }> {
  if (storage.dialect === 'sqlite') return { DATABASE_URL: '', RUCHE_DATA_DIR: dirname(storage.sqlitePath as string) };
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(storage.db);
  return { DATABASE_URL: withSearchPath(testDatabaseUrl(), rows[0].schema) };
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
