import { from as copyFrom } from 'pg-copy-streams';
import type Pg from 'pg';
import type { SerialClient } from './pg-serial.js';

// Rows per COPY: a few megabytes of text at a time for the widest rows (movements with their raw record).
const COPY_ROWS = 5_000;

/**
 * Queues the insert of rows into a PostgreSQL table through COPY. With `withIds`, the table's serial ids are drawn
 * from its sequence first (COPY returns nothing) and come back, in the rows' order, as soon as every COPY is queued on
 * the connection: work that needs them goes on while the server writes. COPY spares the server the per-value parsing
 * of a JSON document.
 */
export async function copyRows(client: SerialClient, table: string, columns: string[], rows: Record<string, unknown>[], withIds: boolean): Promise<{ ids: number[]; written: Promise<void> }> {
  const ids = withIds ? await drawIds(client, table, rows.length) : [];
  const statement = `copy ${quoted(table)} (${[...(withIds ? ['id'] : []), ...columns].map(quoted).join(', ')}) from stdin`;
  const copies: Promise<void>[] = [];
  for (let i = 0; i < rows.length; i += COPY_ROWS) {
    copies.push(copyIn(client, statement, copyText(rows.slice(i, i + COPY_ROWS), columns, withIds ? ids.slice(i, i + COPY_ROWS) : null)));
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

function copyIn(client: SerialClient, statement: string, data: Buffer): Promise<void> {
  return client.run((raw: Pg.PoolClient) => new Promise((resolve, reject) => {
    const stream = raw.query(copyFrom(statement));
    stream.on('error', reject);
    stream.on('finish', resolve); // once the server has acknowledged every row
    stream.end(data);
  }));
}

const TAB = 9;
const NEWLINE = 10;

// COPY's text format written straight as UTF-8 bytes: a string built row by row made a rope of every field (about a
// kilobyte of short-lived objects per movement), then a flat copy of it all, then the bytes.
function copyText(rows: Record<string, unknown>[], columns: string[], ids: number[] | null): Buffer {
  const out = new ByteWriter(rows.length * 256);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (ids) {
      out.text(String(ids[r]));
      out.byte(TAB);
    }
    for (let c = 0; c < columns.length; c++) {
      if (c) out.byte(TAB);
      out.text(copyField(row[columns[c]]));
    }
    out.byte(NEWLINE);
  }
  return out.bytes();
}

/** A growing buffer of UTF-8 bytes. */
class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  text(value: string): void {
    this.reserve(value.length * 3); // the most UTF-8 bytes a UTF-16 code unit takes
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + more));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// COPY's text format: \N is NULL; backslash, newline, carriage return and tab are escaped.
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value
    : value instanceof Date ? value.toISOString()
      : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return needsEscape(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]) : text;
}

// Four scans for one character each are quicker than one for a class of them (raw records are a kilobyte).
function needsEscape(text: string): boolean {
  return text.includes('\\') || text.includes('\n') || text.includes('\r') || text.includes('\t');
}

/** A quoted SQL identifier. */
export function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
