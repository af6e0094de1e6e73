// Reads the CSV files people actually have (Excel, LibreOffice, bank exports) into a table of strings, or refuses them clearly.
import { CsvError, parse } from 'csv-parse/sync';
import type { InfoRecord } from 'csv-parse/sync';

/** The encodings readCsv recognises; UTF-16 only with its byte order mark (Excel's "Unicode text"). */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface CsvRow {
  /** 1-based line of the file where the record starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  encoding: CsvEncoding;
  delimiter: string;
  headers: string[];
  rows: CsvRow[];
}

export interface ReadCsvOptions {
  delimiter?: string;
  /** Forces the decoding of files without a UTF-16 byte order mark. */
  encoding?: 'utf-8' | 'windows-1252';
  /** Data rows accepted at most (default 100000). */
  maxRows?: number;
}

/** A file refused on import; `key` is a translation key, `line` the 1-based line of the file. */
export class TabularError extends Error {
  constructor(
    readonly key: string,
    readonly line?: number,
    readonly detail?: string,
  ) {
    super(line === undefined ? key : `${key} (line ${line})`);
    this.name = 'TabularError';
  }
}

const CANDIDATES = [';', ',', '\t', '|'];
const QUOTE_ERRORS = new Set([
  'CSV_QUOTE_NOT_CLOSED',
  'CSV_INVALID_CLOSING_QUOTE',
  'INVALID_OPENING_QUOTE',
  'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE',
]);
const NUMBER_LIKE = /^[-+\d\s.,:/'€$%]*\d[-+\d\s.,:/'€$%]*$/;

/** Decodes, checks and parses a CSV file, so every importer gets the same table and the same errors. */
export function readCsv(bytes: Buffer | Uint8Array, options: ReadCsvOptions = {}): CsvTable {
  const { text: raw, encoding } = decode(bytes, options.encoding);
  if (raw.includes('\u0000') || tooManyControls(raw)) throw new TabularError('import.binary');
  const { text, delimiter: declared } = dropSepLine(raw.replace(/\r\n?/g, '\n'));
  if (text.trim() === '') throw new TabularError('import.empty');
  const delimiter = options.delimiter ?? declared ?? detectDelimiter(text);
  const { headers, rows } = parseRecords(text, delimiter, options.maxRows ?? 100_000);
  return { encoding, delimiter, headers, rows };
}

function decode(bytes: Uint8Array, forced?: 'utf-8' | 'windows-1252'): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (forced === 'windows-1252') return { text: decodeWindows1252(body), encoding: forced };
  if (forced === 'utf-8') return { text: new TextDecoder('utf-8').decode(body), encoding: forced };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  }
}

// Node 20's TextDecoder('windows-1252') decodes as Latin-1 (nodejs/node#56542), losing € ’ œ: map 0x80-0x9F ourselves.
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f'
  + '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
}

// Text never holds many control characters; binary files (PDF, images) do even without NUL bytes.
function tooManyControls(text: string): boolean {
  const sample = text.slice(0, 65_536);
  const controls = sample.match(/[\x01-\x08\x0b\x0e-\x1f\x7f]/g)?.length ?? 0;
  return controls > 8 && controls * 100 > sample.length;
}

// Excel's "sep=;" first line names the delimiter; it is blanked so line numbers stay those of the file.
function dropSepLine(text: string): { text: string; delimiter?: string } {
  const match = /^sep=([^\n])[ \t]*\n/i.exec(text);
  return match ? { text: '\n' + text.slice(match[0].length), delimiter: match[1] } : { text };
}

function detectDelimiter(text: string): string {
  const header = countOutsideQuotes(text.replace(/^(?:[ \t]*\n)+/, ''), true);
  const best = CANDIDATES.reduce((a, b) => (header[b] > header[a] ? b : a));
  if (header[best] > 0) return best;
  // A single column: take the delimiter the file uses least, so no cell gets split.
  const all = countOutsideQuotes(text, false);
  return CANDIDATES.reduce((a, b) => (all[b] < all[a] ? b : a));
}

function countOutsideQuotes(text: string, firstLineOnly: boolean): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n' && firstLineOnly) break;
    else if (!quoted && char in counts) counts[char]++;
  }
  return counts;
}

function parseRecords(text: string, delimiter: string, maxRows: number): { headers: string[]; rows: CsvRow[] } {
  let headers: string[] | undefined;
  const rows: CsvRow[] = [];
  let lastEnd = 0;
  const onRecord = (record: string[], context: InfoRecord): null => {
    // csv-parse reports the line where the record ends; quoted newlines tell where it started.
    const line = context.lines - record.reduce((n, cell) => n + newlines(cell), 0);
    lastEnd = context.lines;
    if (headers === undefined) headers = headerNames(record, line);
    else rows.push(dataRow(record, headers.length, line, rows.length, maxRows));
    return null;
  };
  try {
    parse(text, {
      delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      on_record: onRecord,
    });
  } catch (err) {
    throw asTabularError(err, text, lastEnd, delimiter);
  }
  if (headers === undefined) throw new TabularError('import.empty');
  return { headers, rows };
}

function newlines(cell: string): number {
  let n = 0;
  for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) n++;
  return n;
}

function headerNames(record: string[], line: number): string[] {
  const names = record.map((name) => name.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  // A first record made only of numbers, amounts or dates is data: the header line is missing.
  if (names.every((name) => name === '' || NUMBER_LIKE.test(name))) throw new TabularError('import.no_header', line);
  return names;
}

function dataRow(record: string[], width: number, line: number, count: number, maxRows: number): CsvRow {
  if (record.slice(width).some((cell) => cell.trim() !== '')) {
    throw new TabularError('import.too_many_cells', line, `${record.length} > ${width}`);
  }
  if (count >= maxRows) throw new TabularError('import.too_many_rows', line, String(maxRows));
  const cells = record.slice(0, width);
  while (cells.length < width) cells.push('');
  return { line, cells };
}

function asTabularError(err: unknown, text: string, lastEnd: number, delimiter: string): unknown {
  if (err instanceof TabularError) return err;
  if (err instanceof CsvError && QUOTE_ERRORS.has(err.code)) {
    return new TabularError('import.bad_quotes', firstContentLine(text, lastEnd, delimiter), err.message);
  }
  return err;
}

// The failing record starts at the first line holding something after the last good record.
function firstContentLine(text: string, after: number, delimiter: string): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) {
    if (lines[i].split(delimiter).join('').trim() !== '') return i + 1;
  }
  return after + 1;
}
