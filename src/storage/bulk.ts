import { type Insertable, sql } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
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

/**
 * Inserts many rows of one table (imports: a hundred thousand movements) and returns their new ids in order.
 * Every row has the same columns. SQLite runs one prepared statement per row on the native handle (no SQL built
 * per row); PostgreSQL streams COPY inside a transaction, else inserts thousands of rows per statement from one JSON
 * parameter (no parameter per value).
 */
export async function insertMany<T extends Table>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<number[]> {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]);
  const native = nativeSqliteOf(db);
  if (native) return insertNative(native, table, columns, rows as Row[]);
  if (isSqlite(db)) return insertKysely(db, table, columns, rows as Row[]);
  const client = await pgClientOf(db);
  if (client) return copyRows(client, table, columns, rows as Row[]);
  return insertJson(db, table, columns, rows as Row[]);
}

function insertNative(native: SqliteDatabase.Database, table: string, columns: string[], rows: Row[]): number[] {
  const statement = preparedInsert(native, table, columns);
  const ids = new Array<number>(rows.length);
  const values = new Array<unknown>(columns.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let c = 0; c < columns.length; c++) values[c] = row[columns[c]] ?? null;
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

async function insertKysely(db: Db, table: Table, columns: string[], rows: Row[]): Promise<number[]> {
  const ids: number[] = [];
  const size = Math.max(1, Math.floor(SQLITE_PARAMETERS / columns.length));
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size) as Insertable<Database[Table]>[];
    const inserted = await db.insertInto(table).values(chunk as never).returning(sql<number>`id`.as('id')).execute();
    for (const row of inserted as { id: number }[]) ids.push(Number(row.id));
  }
  return ids;
}

async function insertJson(db: Db, table: Table, columns: string[], rows: Row[]): Promise<number[]> {
  const ids: number[] = [];
  const names = sql.join(columns.map((c) => sql.ref(c)));
  for (let i = 0; i < rows.length; i += PG_ROWS) {
    const json = JSON.stringify(rows.slice(i, i + PG_ROWS));
    // Rows go in (and ids come back) in the array's order: WITH ORDINALITY fixes the order of the SELECT.
    const { rows: inserted } = await sql<{ id: number }>`insert into ${sql.table(table)} (${names})
      select ${names} from json_populate_recordset(null::${sql.table(table)}, ${json}::json) with ordinality as source
      order by source.ordinality returning id`.execute(db);
    for (const row of inserted) ids.push(Number(row.id));
  }
  return ids;
}
