import { from as copyFrom } from 'pg-copy-streams';
import type Pg from 'pg';
import { copyBinary, encoderFor, type FieldEncoder } from './copy-binary.js';
import type { SerialClient } from './pg-serial.js';

// Rows per COPY: a few megabytes of data at a time for the widest rows (movements with their raw record).
const COPY_ROWS = 5_000;

/**
 * Queues the insert of rows into a PostgreSQL table through COPY. With `withIds`, the table's serial ids are drawn
 * from its sequence first (COPY returns nothing) and come back, in the rows' order, as soon as every COPY is queued on
 * the connection: work that needs them goes on while the server writes. COPY spares the server the per-value parsing
 * of a JSON document; its binary format, the parsing of text.
 */
export async function copyRows(client: SerialClient, table: string, columns: string[], rows: Record<string, unknown>[], withIds: boolean): Promise<{ ids: number[]; written: Promise<void> }> {
  const [ids, encoders] = await Promise.all([withIds ? drawIds(client, table, rows.length) : [], encodersOf(client, table, columns)]);
  const statement = `copy ${quoted(table)} (${[...(withIds ? ['id'] : []), ...columns].map(quoted).join(', ')}) from stdin (format binary)`;
  const copies: Promise<void>[] = [];
  for (let i = 0; i < rows.length; i += COPY_ROWS) {
    copies.push(copyIn(client, statement, copyBinary(rows.slice(i, i + COPY_ROWS), columns, encoders, withIds ? ids.slice(i, i + COPY_ROWS) : null)));
  }
  return { ids, written: Promise.all(copies).then(() => undefined) };
}

// Ids drawn ahead, per connection and table. Taking them from here needs no round trip, so that a batch's COPY is
// queued at once, while this thread still has the next batch to match; a refill is queued behind it. Ids are never
// given twice by a sequence, so ids left over after a transaction stay good for the next one (or are a harmless gap).
const RESERVES = new WeakMap<SerialClient, Map<string, { ids: number[]; refill: Promise<void> | null }>>();
const RESERVE = 2_000;

async function drawIds(client: SerialClient, table: string, count: number): Promise<number[]> {
  let reserves = RESERVES.get(client);
  if (!reserves) RESERVES.set(client, (reserves = new Map()));
  let reserve = reserves.get(table);
  if (!reserve) reserves.set(table, (reserve = { ids: [], refill: null }));
  // Twice what is asked for, within bounds: a table written a row at a time (statements) leaves few ids unused.
  const ahead = Math.min(RESERVE, Math.max(8, 2 * count));
  if (reserve.ids.length < count) await reserve.refill;
  if (reserve.ids.length < count) reserve.ids.push(...await nextIds(client, table, count - reserve.ids.length + ahead));
  const taken = reserve.ids.splice(0, count);
  if (reserve.ids.length < ahead && !reserve.refill) {
    const refilling = reserve;
    refilling.refill = nextIds(client, table, ahead).then((ids) => {
      refilling.ids.push(...ids);
    }).catch(() => {}).finally(() => {
      refilling.refill = null;
    });
  }
  return taken;
}

async function nextIds(client: SerialClient, table: string, count: number): Promise<number[]> {
  const text = await idDrawing(client, table);
  const drawn = await client.run((raw) => raw.query<[string | null]>({ text, values: [count], rowMode: 'array' }));
  const list = drawn.rows[0]?.[0];
  return list ? list.split(',').map(Number).sort((a, b) => a - b) : [];
}

const DRAWINGS = new WeakMap<SerialClient, Map<string, string>>();

// The statement that draws n ids of a table. The sequence is named in the SQL as a literal: resolved once when the
// statement is parsed, where pg_get_serial_sequence() per row would look it up in the catalogue every time (ten times
// slower).
async function idDrawing(client: SerialClient, table: string): Promise<string> {
  let known = DRAWINGS.get(client);
  if (!known) DRAWINGS.set(client, (known = new Map()));
  let text = known.get(table);
  if (!text) {
    const { rows } = await client.query('select pg_get_serial_sequence($1, \'id\') as sequence', [quoted(table)]);
    // One row of text rather than a row per id: thousands of rows are as many messages for pg to parse.
    text = `select string_agg(nextval('${rows[0].sequence.replace(/'/g, "''")}'::regclass)::text, ',') from generate_series(1, $1)`;
    known.set(table, text);
  }
  return text;
}

// A COPY fires one foreign-key check per row: a query the server plans once per connection, then keeps. Planned while
// the parent table is small (an import's own statements, a row or two when its first movements go in), the check reads
// the whole parent table for every row: 20 million rows read for the 200,000 movements of two bench imports. Planned
// with sequential scans off, it finds the parent by its index, whatever the table's size. The setting holds during the
// COPY only, where the checks are the only queries planned; planChecksAfresh (bulk.ts) makes sure they are planned
// there rather than kept from earlier (the first COPY of an import may be a statement of two movements).
function copyIn(client: SerialClient, statement: string, data: Buffer): Promise<void> {
  return client.run(async (raw: Pg.PoolClient) => {
    await raw.query('set local enable_seqscan = off');
    await new Promise<void>((resolve, reject) => {
      const stream = raw.query(copyFrom(statement));
      stream.on('error', reject);
      stream.on('finish', resolve); // once the server has acknowledged every row
      stream.end(data);
    });
    // (After a failure the transaction is aborted: it rolls back, with the setting.)
    await raw.query('set local enable_seqscan to default');
  });
}

const ENCODINGS = new WeakMap<SerialClient, Map<string, Map<string, FieldEncoder>>>();

// The binary encoders of a table's columns, from the catalogue once per connection and table.
async function encodersOf(client: SerialClient, table: string, columns: string[]): Promise<FieldEncoder[]> {
  let known = ENCODINGS.get(client);
  if (!known) ENCODINGS.set(client, (known = new Map()));
  let byColumn = known.get(table);
  if (!byColumn) {
    const { rows } = await client.query(`select attname as name, format_type(atttypid, null) as type from pg_attribute
      where attrelid = $1::regclass and attnum > 0 and not attisdropped`, [quoted(table)]);
    byColumn = new Map();
    for (const { name, type } of rows as { name: string; type: string }[]) {
      const encoder = encoderFor(type);
      if (encoder) byColumn.set(name, encoder);
    }
    known.set(table, byColumn);
  }
  const found = byColumn;
  return columns.map((column) => {
    const encoder = found.get(column);
    if (!encoder) throw new Error(`bulk insert: no COPY encoding for ${table}.${column} (unknown column, or a type without an encoder in copy-binary.ts)`);
    return encoder;
  });
}

/** A quoted SQL identifier. */
export function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
