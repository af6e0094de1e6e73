// Reads QIF (Quicken Interchange Format) bank, cash and credit card registers.
// QIF says nothing of the account or its currency: the import's chosen account gives them (options.currency, else
// DEFAULT_CURRENCY, 'EUR'), and amounts are read in that currency; no balances, no identities (movements are told apart by content).
import { DEFAULT_CURRENCY } from './csv.js';
import { calendarDate, decodeText, fullYear, plainAmount } from './detect.js';
import { inWords } from './details.js';
import { toMinorUnits } from './money.js';
import { type ParseOptions, type ParsedEntry, type ParsedStatementHeader, StatementError, type StatementEvent } from './types.js';

/** Register types holding money movements; other sections (categories, classes, investments, memorised) are skipped. */
const MOVEMENT_TYPES = new Set(['bank', 'cash', 'ccard', 'oth a', 'oth l']);

interface QifField {
  code: string;
  value: string;
  line: number;
}

interface QifRecord {
  line: number;
  fields: QifField[];
  raw: string[];
}

type DateOrder = NonNullable<ParseOptions['qifDateOrder']>;

/** A date as written, before the day and month order is known. */
interface WrittenDate {
  text: string;
  line: number;
  /** The two numbers before the year, or year, month and day when the year comes first. */
  parts: [number, number, number];
  yearFirst: boolean;
}

/** Parses a QIF file; dates in an order the data cannot tell need `qifDateOrder` (else `bank.qif_ambiguous_dates`). */
export function* parseQif(bytes: Buffer, options: ParseOptions = {}): Generator<StatementEvent> {
  const sections = readSections(decodeText(bytes));
  const records = sections.flat();
  const dates = new Map(records.map((r) => [r, writtenDate(required(r, 'D', 'date'))]));
  const order = options.qifDateOrder ?? dateOrder([...dates.values()]);
  const decimalComma = usesDecimalComma(records);
  const currency = options.currency ?? DEFAULT_CURRENCY;
  const statements = sections.map((section) => section.map((r) => readEntry(r, dates.get(r) as WrittenDate, order, { decimalComma, currency })));
  for (const entries of statements) {
    yield { type: 'statement', header: qifHeader(currency) };
    for (const entry of entries) yield { type: 'entry', entry };
    yield { type: 'end', closing: null };
  }
}

function qifHeader(currency: string): ParsedStatementHeader {
  const account = { iban: null, number: null, bic: null, holder: null, currency };
  return { format: 'qif', account, statementId: null, date: null, opening: null };
}

// ---- Records ----

// Splits the file into its movement sections (one per `!Type:` header), each a list of records ended by `^`.
function readSections(text: string): QifRecord[][] {
  const reader = new SectionReader();
  text.split(/\r\n|\r|\n/).forEach((line, i) => reader.read(line.trimEnd(), i + 1));
  return reader.finish();
}

class SectionReader {
  private readonly sections: QifRecord[][] = [];
  /** The records of the movement section being read; null in other sections (accounts, categories...). */
  private current: QifRecord[] | null = null;
  private seenHeader = false;
  private record: QifRecord | null = null;

  read(line: string, number: number): void {
    if (line.trim() === '') return;
    if (line.startsWith('!')) this.header(line);
    else this.field(line, number);
  }

  finish(): QifRecord[][] {
    if (this.record) throw unfinished(this.record);
    if (this.sections.length === 0) throw new StatementError('bank.qif_malformed', null, inWords('parse_detail.qif_no_section'));
    return this.sections;
  }

  private header(line: string): void {
    if (this.record) throw unfinished(this.record);
    this.seenHeader = true;
    const type = /^!Type:\s*(.*)$/i.exec(line)?.[1].trim().toLowerCase();
    if (type === undefined) return; // !Account, !Option:, !Clear: keep the section going
    this.current = MOVEMENT_TYPES.has(type) ? [] : null;
    if (this.current) this.sections.push(this.current);
  }

  private field(line: string, number: number): void {
    if (!this.seenHeader) throw new StatementError('bank.qif_malformed', `line ${number}`, inWords('parse_detail.qif_no_header'));
    const record = (this.record ??= { line: number, fields: [], raw: [] });
    record.raw.push(line);
    if (!line.startsWith('^')) {
      record.fields.push({ code: line[0].toUpperCase(), value: line.slice(1).trim(), line: number });
      return;
    }
    if (this.current && record.fields.length > 0) this.current.push(record);
    this.record = null;
  }
}

function unfinished(record: QifRecord): StatementError {
  return new StatementError('bank.qif_truncated', `line ${record.line}`, inWords('parse_detail.qif_unfinished'));
}

function field(record: QifRecord, code: string): QifField | undefined {
  return record.fields.find((f) => f.code === code);
}

function required(record: QifRecord, code: string, what: 'date' | 'amount'): QifField {
  const found = field(record, code);
  if (!found || found.value === '') throw new StatementError('bank.qif_missing_field', `line ${record.line}`, inWords('parse_detail.qif_missing_field', { code, field: { key: `parse_detail.qif_field.${what}` } }));
  return found;
}

function readEntry(record: QifRecord, date: WrittenDate, order: DateOrder, money: { decimalComma: boolean; currency: string }): ParsedEntry {
  const amount = field(record, 'T') ?? field(record, 'U') ?? required(record, 'T', 'amount');
  const text = (code: string): string | null => field(record, code)?.value || null;
  return {
    bookingDate: resolveDate(date, order),
    valueDate: null,
    amount: qifAmount(amount, money),
    currency: money.currency,
    counterpartyName: text('P'),
    counterpartyIban: null,
    counterpartyAccount: null,
    counterpartyBic: null,
    structuredReference: null,
    communication: text('M'),
    bankReference: text('N'),
    endToEndId: null,
    transactionId: null,
    identity: null,
    raw: record.raw.join('\n'),
  };
}

// ---- Amounts ----

// The file's decimal separator: a comma when some amount ends in ",dd" and none in ".dd".
function usesDecimalComma(records: QifRecord[]): boolean {
  const amounts = records.map((r) => (field(r, 'T') ?? field(r, 'U'))?.value ?? '');
  return amounts.some((a) => /,\d{1,2}$/.test(a)) && !amounts.some((a) => /\.\d{1,2}$/.test(a));
}

function qifAmount(amount: QifField, { decimalComma, currency }: { decimalComma: boolean; currency: string }): number {
  const text = plainAmount(amount.value, decimalComma);
  if (text === null || amount.value === '') throw new StatementError('bank.bad_amount', `line ${amount.line}`, amount.value);
  return toMinorUnits(text, currency, `line ${amount.line}`);
}

// ---- Dates ----

// 8/24'13, 08/24/2013, 24.08.2013, 2013-08-24, 20130824, " 1/ 5' 4" (Quicken pads with spaces; ' marks years 2000+).
const YEAR_FIRST = /^(\d{4})\s*[-/.]?\s*(\d{1,2})\s*[-/.]?\s*(\d{1,2})$/;
const YEAR_LAST = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*([-/.'])\s*(\d{1,4})$/;

function writtenDate(date: QifField): WrittenDate {
  const text = date.value;
  const yearFirst = YEAR_FIRST.exec(text);
  if (yearFirst) return { text, line: date.line, parts: [Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3])], yearFirst: true };
  const yearLast = YEAR_LAST.exec(text);
  if (!yearLast) throw new StatementError('bank.bad_date', `line ${date.line}`, text);
  const digits = yearLast[4];
  const year = yearLast[3] === "'" && digits.length <= 2 ? 2000 + Number(digits) : fullYear(digits);
  return { text, line: date.line, parts: [Number(yearLast[1]), Number(yearLast[2]), year], yearFirst: false };
}

/** The day and month order the dates show: a number above 12 first means day first, second means month first. */
function dateOrder(dates: WrittenDate[]): DateOrder {
  const written = dates.filter((d) => !d.yearFirst);
  const dayFirst = written.find((d) => d.parts[0] > 12);
  const monthFirst = written.find((d) => d.parts[1] > 12);
  if (dayFirst && monthFirst) {
    throw new StatementError('bank.qif_mixed_dates', `line ${monthFirst.line}`, inWords('parse_detail.qif_mixed_dates', { monthFirst: monthFirst.text, dayFirst: dayFirst.text, line: dayFirst.line }));
  }
  if (dayFirst) return 'dmy';
  if (monthFirst) return 'mdy';
  const ambiguous = written.find((d) => d.parts[0] !== d.parts[1]);
  if (ambiguous) throw new StatementError('bank.qif_ambiguous_dates', `line ${ambiguous.line}`, ambiguous.text);
  return written.length > 0 ? 'dmy' : 'ymd';
}

function resolveDate(date: WrittenDate, order: DateOrder): string {
  const [a, b, c] = date.parts;
  let result: string | null;
  if (date.yearFirst) result = calendarDate(a, b, c);
  else if (order === 'dmy') result = calendarDate(c, b, a);
  else if (order === 'mdy') result = calendarDate(c, a, b);
  else result = calendarDate(fullYear(String(a).padStart(2, '0')), b, c % 100); // yy/mm/dd
  if (!result) throw new StatementError('bank.bad_date', `line ${date.line}`, date.text);
  return result;
}
