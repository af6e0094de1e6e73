import { type Insertable, sql } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import { utf8Text } from '../core/text.js';
import { type Db, isSqlite, nativeSqliteOf, pgClientOf } from './database.js';
import { copyRows, quoted } from './pg-copy.js';
import type { Database } from './schema.js';

type Table = keyof Database & string;
type Row = Record<string, unknown>;

// Rows per statement: PostgreSQL takes them as one JSON parameter; SQLite without its native handle stays under
// its 32,766 bound parameters.
const PG_ROWS = 5_000;
const SQLITE_PARAMETERS = 30_000;

const STATEMENTS = new WeakMap<SqliteDatabase.Database, Map<string, SqliteDatabase.Statement>>();

/** A bulk insert under way: the rows' new ids, in order, once known, and the end of their writing. */
export interface BulkInsert {
  ids: Promise<number[]>;
  written: Promise<void>;
}

/**
 * Starts inserting many rows of one table (imports: a hundred thousand movements). Every row has the same columns.
 * SQLite runs one prepared statement per row on the native handle (no SQL built per row). PostgreSQL streams COPY
 * inside a transaction: the ids are drawn first and resolve once the COPY is queued, before the server has written the
 * rows, so that work needing them goes on meanwhile; outside one, it inserts thousands of rows per statement from one
 * JSON parameter. Elsewhere both promises resolve when the rows are in. Bytes (Uint8Array) given for a column are
 * its text in UTF-8 (a bank file's raw records): COPY sends them as they are, the other ways decode them first.
 */
export function startInsertMany<T extends Table>(db: Db, table: T, rows: Insertable<Database[T]>[]): BulkInsert {
  const started = begin(db, table, rows as Row[], true);
  const insert = { ids: started.then((s) => s.ids), written: started.then((s) => s.written) };
  insert.ids.catch(() => {}); // a caller may await only one of the two: the other's failure is the same
  insert.written.catch(() => {});
  return insert;
}

/**
 * Before the bulk inserts of a transaction (an import): PostgreSQL forgets the query plans its connection keeps, so that
 * the foreign-key checks of the COPYs that follow are planned during them, by index (pg-copy.ts). A check planned
 * earlier on this pooled connection, against a parent table then tiny, would otherwise scan that table for every row.
 */
export async function planChecksAfresh(db: Db): Promise<void> {
  if (!isSqlite(db)) await sql`discard plans`.execute(db);
}

/** Inserts many rows of one table and returns their new ids in order (see startInsertMany). */
export async function insertMany<T extends Table>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<number[]> {
  const insert = startInsertMany(db, table, rows);
  await insert.written;
  return insert.ids;
}

/** Inserts many rows whose new ids nobody needs (PostgreSQL copies them without drawing ids first). */
export async function insertRows<T extends Table>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  await (await begin(db, table, rows as Row[], false)).written;
}

async function begin(db: Db, table: Table, rows: Row[], withIds: boolean): Promise<{ ids: number[]; written: Promise<void> }> {
  if (!rows.length) return { ids: [], written: Promise.resolve() };
  const columns = Object.keys(rows[0]);
  const native = nativeSqliteOf(db);
  if (native) return { ids: insertNative(native, table, columns, rows), written: Promise.resolve() };
  if (isSqlite(db)) return { ids: await insertKysely(db, table, columns, bytesAsText(rows, columns), withIds), written: Promise.resolve() };
  const client = await pgClientOf(db);
  if (client) return copyRows(client, table, columns, rows, withIds);
  return { ids: await insertJson(db, table, columns, bytesAsText(rows, columns), withIds), written: Promise.resolve() };
}

function insertNative(native: SqliteDatabase.Database, table: string, columns: string[], rows: Row[]): number[] {
  const statement = preparedInsert(native, table, columns);
  const ids = new Array<number>(rows.length);
  const values = new Array<unknown>(columns.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let c = 0; c < columns.length; c++) {
      const value = row[columns[c]];
      values[c] = value instanceof Uint8Array ? utf8Text(value) : value ?? null;
    }
    ids[i] = Number(statement.run(values).lastInsertRowid);
  }
  return ids;
}

function preparedInsert(native: SqliteDatabase.Database, table: string, columns: string[]): SqliteDatabase.Statement {
  let cache = STATEMENTS.get(native);
  if (!cache) STATEMENTS.set(native, (cache = new Map()));
  const key = `${table}(${columns.join(',')})`;
  let statement = cache.get(key);
  if (!statement) {
    const names = columns.map(quoted).join(', ');
    statement = native.prepare(`insert into ${quoted(table)} (${names}) values (${columns.map(() => '?').join(', ')})`);
    cache.set(key, statement);
  }
  return statement;
}

// The rows with their bytes decoded as UTF-8 text, for the ways of inserting that take only strings.
function bytesAsText(rows: Row[], columns: string[]): Row[] {
  const withBytes = columns.filter((column) => rows.some((row) => row[column] instanceof Uint8Array));
  if (!withBytes.length) return rows;
  return rows.map((row) => {
    const decoded = { ...row };
    for (const column of withBytes) {
      const value = row[column];
      if (value instanceof Uint8Array) decoded[column] = utf8Text(value);
    }
    return decoded;
  });
}

async function insertKysely(db: Db, table: Table, columns: string[], rows: Row[], withIds: boolean): Promise<number[]> {
  const ids: number[] = [];
  const size = Math.max(1, Math.floor(SQLITE_PARAMETERS / columns.length));
  for (let i = 0; i < rows.length; i += size) {
    const insert = db.insertInto(table).values(rows.slice(i, i + size) as never);
    if (!withIds) await insert.execute();
    else for (const row of await insert.returning(sql<number>`id`.as('id')).execute() as { id: number }[]) ids.push(Number(row.id));
  }
  return ids;
}

async function insertJson(db: Db, table: Table, columns: string[], rows: Row[], withIds: boolean): Promise<number[]> {
  const ids: number[] = [];
  const names = sql.join(columns.map((c) => sql.ref(c)));
  for (let i = 0; i < rows.length; i += PG_ROWS) {
    const json = JSON.stringify(rows.slice(i, i + PG_ROWS));
    const source = sql`select ${names} from json_populate_recordset(null::${sql.table(table)}, ${json}::json) with ordinality as source`;
    if (!withIds) {
      await sql`insert into ${sql.table(table)} (${names}) ${source}`.execute(db);
      continue;
    }
    // Rows go in (and ids come back) in the array's order: WITH ORDINALITY fixes the order of the SELECT.
    const { rows: inserted } = await sql<{ id: number }>`insert into ${sql.table(table)} (${names}) ${source} order by source.ordinality returning id`.execute(db);
    for (const row of inserted) ids.push(Number(row.id));
  }
  return ids;
}
