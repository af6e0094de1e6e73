// Tells a statement file's format from its content; decodes text and reads values the way banks write them.
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { StatementFormat } from './types.js';

/** How much of the file detection looks at. */
const SAMPLE_BYTES = 65_536;
const XML_SAMPLE_CHARS = 8_192;
const CSV_DELIMITERS = [';', ',', '\t', '|'];

// Node 20 decodes 'windows-1252' as Latin-1 (nodejs/node#56542): the 0x80-0x9F range is mapped here.
const CP1252_HIGH =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Decodes bytes as UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (a superset of Latin-1). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return decodeWindows1252(body);
  }
}

/** Decodes Windows-1252 bytes, including the € and typographic quotes of its 0x80-0x9F range. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** True when the start of the file is not text (NUL bytes, many control characters): images, PDFs, archives. */
export function looksBinary(bytes: Uint8Array): boolean {
  const text = decodeText(bytes.subarray(0, SAMPLE_BYTES));
  if (text.includes('\u0000')) return true;
  const controls = text.match(/[\x01-\x08\x0b\x0e-\x1f\x7f]/g)?.length ?? 0;
  return controls > 8 && controls * 100 > text.length;
}

/** The statement format of a file from its content, or null when it is none Ruche reads (or binary). */
export function detectFormat(bytes: Uint8Array): StatementFormat | null {
  if (bytes.length === 0 || looksBinary(bytes)) return null;
  const text = decodeText(bytes.subarray(0, SAMPLE_BYTES)).replace(/^[\s\ufeff]+/, '');
  return detectCoda(text) ?? detectMarkup(text) ?? detectQif(text) ?? detectCsv(text);
}

// CODA: fixed 128-character records, the first one (header) of type 0000.
function detectCoda(text: string): StatementFormat | null {
  const first = text.split('\n', 1)[0].replace(/\r$/, '');
  return first.startsWith('0000') && first.length === 128 ? 'coda' : null;
}

// camt (by its message element) and OFX (SGML header, XML processing instruction or root element).
function detectMarkup(text: string): StatementFormat | null {
  const head = text.slice(0, XML_SAMPLE_CHARS);
  if (/^OFXHEADER\s*:/i.test(head) || /<\?OFX[\s?]/i.test(head) || /<OFX>/i.test(head)) return 'ofx';
  if (!head.startsWith('<')) return null;
  if (/<(?:[\w.-]+:)?BkToCstmrStmt[\s>]/.test(head)) return 'camt.053';
  if (/<(?:[\w.-]+:)?BkToCstmrDbtCdtNtfctn[\s>]/.test(head)) return 'camt.054';
  return null;
}

function detectQif(text: string): StatementFormat | null {
  return /^!(?:Type|Account|Option|Clear)\b/i.test(text) ? 'qif' : null;
}

// CSV: at least two records, and 80% of the sampled ones holding the same (non-zero) number of one delimiter.
function detectCsv(text: string): StatementFormat | null {
  const records = splitRecords(text).filter((r) => r.trim() !== '');
  if (records.length > 1 && text.length >= SAMPLE_BYTES - 4) records.pop(); // the last one may be cut
  if (records.length < 2) return null;
  const sample = records.slice(0, 50);
  return CSV_DELIMITERS.some((d) => consistent(sample.map((r) => countOutsideQuotes(r, d)))) ? 'csv' : null;
}

function consistent(counts: number[]): boolean {
  const frequency = new Map<number, number>();
  for (const n of counts) if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
  const best = Math.max(0, ...frequency.values());
  return best >= 2 && best * 5 >= counts.length * 4;
}

// Splits on line ends outside double quotes (a quoted cell may hold a newline).
function splitRecords(text: string): string[] {
  const records: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      records.push(text.slice(start, i).replace(/\r$/, ''));
      start = i + 1;
    }
  }
  records.push(text.slice(start));
  return records;
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let quoted = false;
  let n = 0;
  for (const c of record) {
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) n++;
  }
  return n;
}

// ---- Values shared by the text formats ----

/** The IBAN in electronic form (no spaces, upper case) when the text is a valid IBAN, else null. */
export function normalIban(text: string): string | null {
  const iban = electronicFormatIBAN(text.trim());
  return iban && isValidIBAN(iban) ? iban : null;
}

/** True for an existing calendar date written YYYY-MM-DD. */
export function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return year > 0 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** YYYY-MM-DD from numbers, or null when that day does not exist. */
export function calendarDate(year: number, month: number, day: number): string | null {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isCalendarDate(date) ? date : null;
}

/** A written year as a number: two digits 00-69 are 20xx, 70-99 are 19xx. */
export function fullYear(digits: string): number {
  const n = Number(digits);
  return digits.length > 2 ? n : n < 70 ? 2000 + n : 1900 + n;
}

/** Plain decimal text ("-1525.00") from an amount as banks write it ("1.525,00", "(33.50)", "33.50-"), or null. */
// Thousands separators must group exactly three digits, so a decimal comma read as a thousands separator is caught.
export function plainAmount(text: string, decimalComma: boolean): string | null {
  const { negative, body } = splitSign(text.replace(/[€$£]|\b[A-Z]{3}\b/g, '').trim());
  const match = (decimalComma ? COMMA_AMOUNT : POINT_AMOUNT).exec(body);
  if (!match || (match[1] === '' && match[2] === undefined)) return null;
  const whole = match[1].replace(/\D/g, '') || '0';
  return `${negative ? '-' : ''}${whole}${match[2] === undefined ? '' : `.${match[2]}`}`;
}

const POINT_AMOUNT = /^(\d{1,3}(?:[, \u00a0\u202f']\d{3})+|\d*)(?:\.(\d+))?$/;
const COMMA_AMOUNT = /^(\d{1,3}(?:[. \u00a0\u202f']\d{3})+|\d*)(?:,(\d+))?$/;

// A sign before or after the number, or accounting parentheses.
function splitSign(text: string): { negative: boolean; body: string } {
  const parenthesised = /^\((.*)\)$/.exec(text);
  if (parenthesised) return { negative: true, body: parenthesised[1].trim() };
  const leading = /^([+-])\s*(.*)$/.exec(text);
  if (leading) return { negative: leading[1] === '-', body: leading[2] };
  const trailing = /^(.*?)\s*([+-])$/.exec(text);
  if (trailing) return { negative: trailing[2] === '-', body: trailing[1] };
  return { negative: false, body: text };
}
