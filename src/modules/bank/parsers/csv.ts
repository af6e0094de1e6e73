// Reads bank CSV exports through a column-mapping profile, and proposes a profile from a file's headers and values.
import { type CsvRow, type CsvTable, readCsv, TabularError } from '../../../exchange/csv-read.js';
import { calendarDate, fullYear, normalIban, plainAmount } from './detect.js';
import type { ParseDetailKey } from '../parse-details.i18n.js';
import { inWords } from './details.js';
import { toMinorUnits } from './money.js';
import { type CsvProfile, type ParseOptions, type ParsedEntry, type ParsedStatementHeader, StatementError, type StatementEvent } from './types.js';

/** Values of an indicator column meaning debit when the profile does not list them. */
export const DEFAULT_DEBIT_VALUES = ['D', 'DB', 'DBIT', 'DEBIT', 'DÉBIT', 'DEBET', 'AF', '-'];
/** Currency of amounts when neither the profile, a currency column nor the import's chosen account says it. */
export const DEFAULT_CURRENCY = 'EUR';

type Field = keyof CsvProfile['columns'];
type Columns = Partial<Record<Field, number>>;

/** A proposed profile, with the fields it is unsure of (empty when the file can be read with it as it is). */
export interface CsvProfileGuess {
  profile: CsvProfile;
  /** 'date', 'amount' (no column found), 'dateFormat' (day and month order unknown), 'decimal' (mixed styles). */
  doubts: string[];
}

/** Parses a bank CSV with the given profile; without one, with the guessed profile when the guess has no doubts. */
export function* parseCsv(bytes: Buffer, options: ParseOptions = {}): Generator<StatementEvent> {
  const profile = options.csvProfile ?? confidentGuess(bytes);
  const table = readTable(bytes, profile);
  const columns = resolveColumns(table.headers, profile);
  const readDate = dateReader(profile.dateFormat);
  const currency = profile.currency?.toUpperCase() ?? options.currency ?? DEFAULT_CURRENCY;
  const entries = table.rows.map((row) => readRow(row, columns, { profile, currency }, readDate, table.delimiter));
  if (columns.bankReference !== undefined && !unique(entries.map((e) => e.bankReference))) {
    for (const entry of entries) entry.identity = null; // references that repeat cannot identify movements
  }
  yield { type: 'statement', header: csvHeader(profile, entries, currency) };
  for (const entry of entries) yield { type: 'entry', entry };
  yield { type: 'end', closing: null };
}

function confidentGuess(bytes: Buffer): CsvProfile {
  const { profile, doubts } = guessCsvProfile(bytes);
  if (doubts.length > 0) throw new StatementError('bank.csv_profile_needed', null, doubts.join(', '));
  return profile;
}

function csvHeader(profile: CsvProfile, entries: ParsedEntry[], fallback: string): ParsedStatementHeader {
  const iban = profile.accountIban ? normalIban(profile.accountIban) : null;
  if (profile.accountIban && !iban) throw new StatementError('bank.csv_profile_invalid', null, inWords('parse_detail.csv_bad_iban', { value: profile.accountIban }));
  const currency = profile.currency?.toUpperCase() ?? entries[0]?.currency ?? fallback;
  return {
    format: 'csv',
    account: { iban, number: null, bic: null, holder: null, currency },
    statementId: null,
    date: null,
    opening: null,
  };
}

// ---- Table and columns ----

const TABULAR_DETAILS: Record<string, ParseDetailKey> = {
  'import.empty': 'parse_detail.csv_empty',
  'import.no_header': 'parse_detail.csv_no_header',
  'import.bad_quotes': 'parse_detail.csv_bad_quotes',
  'import.too_many_cells': 'parse_detail.csv_too_many_cells',
  'import.too_many_rows': 'parse_detail.csv_too_many_rows',
};

function readTable(bytes: Uint8Array, profile: Pick<CsvProfile, 'delimiter' | 'encoding'> = {}): CsvTable {
  try {
    return readCsv(bytes, { delimiter: profile.delimiter, encoding: profile.encoding, maxRows: 1_000_000 });
  } catch (error) {
    if (!(error instanceof TabularError)) throw error;
    if (error.key === 'import.binary') throw new StatementError('bank.binary');
    const where = error.line === undefined ? null : `line ${error.line}`;
    throw new StatementError('bank.csv_unreadable', where, Object.hasOwn(TABULAR_DETAILS, error.key) ? inWords(TABULAR_DETAILS[error.key]) : error.key);
  }
}

function resolveColumns(headers: string[], profile: CsvProfile): Columns {
  const columns: Columns = {};
  for (const [field, ref] of Object.entries(profile.columns) as [Field, string | undefined][]) {
    if (ref !== undefined && ref.trim() !== '') columns[field] = columnIndex(headers, ref, field);
  }
  if (columns.date === undefined) throw new StatementError('bank.csv_profile_invalid', null, inWords('parse_detail.csv_no_date_column'));
  if (columns.amount === undefined && columns.debit === undefined && columns.credit === undefined) {
    throw new StatementError('bank.csv_profile_invalid', null, inWords('parse_detail.csv_no_amount_column'));
  }
  if (columns.indicator !== undefined && columns.amount === undefined) {
    throw new StatementError('bank.csv_profile_invalid', null, inWords('parse_detail.csv_indicator_needs_amount'));
  }
  return columns;
}

// A header name (case and accents aside), else a 1-based column number.
function columnIndex(headers: string[], ref: string, field: string): number {
  const wanted = normalName(ref);
  const index = headers.findIndex((h) => normalName(h) === wanted);
  if (index >= 0) return index;
  if (/^\d+$/.test(ref.trim()) && Number(ref) >= 1 && Number(ref) <= headers.length) return Number(ref) - 1;
  throw new StatementError('bank.csv_missing_column', null, inWords('parse_detail.csv_column_not_found', { field: { field }, name: ref }));
}

/** A header as compared: lower case, no accents, punctuation as spaces. */
function normalName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

// ---- Rows ----

type DateReader = (text: string) => string | null;

// `currency`: that of amounts whose row names none (the profile's, else the chosen account's, else DEFAULT_CURRENCY).
function readRow(row: CsvRow, columns: Columns, { profile, currency: fallback }: { profile: CsvProfile; currency: string }, readDate: DateReader, delimiter: string): ParsedEntry {
  const cell = (field: Field): string => (columns[field] === undefined ? '' : row.cells[columns[field]].trim());
  const text = (field: Field): string | null => cell(field) || null;
  const where = `line ${row.line}`;
  const currency = rowCurrency(cell('currency'), fallback, where);
  const account = cell('counterpartyAccount');
  const iban = account ? normalIban(account) : null;
  return {
    bookingDate: rowDate(cell('date'), readDate, where, profile.dateFormat),
    valueDate: cell('valueDate') ? rowDate(cell('valueDate'), readDate, where, profile.dateFormat) : null,
    amount: rowAmount(cell, columns, profile, currency, where),
    currency,
    counterpartyName: text('counterpartyName'),
    counterpartyIban: iban,
    counterpartyAccount: iban ? null : account || null,
    counterpartyBic: null,
    structuredReference: structuredReference(cell('reference')),
    communication: text('communication'),
    bankReference: text('bankReference'),
    endToEndId: null,
    transactionId: null,
    identity: text('bankReference'),
    raw: row.cells.map((c) => quoteCell(c, delimiter)).join(delimiter),
  };
}

function rowDate(value: string, readDate: DateReader, where: string, format: string): string {
  const date = readDate(value);
  if (!date) throw new StatementError('bank.bad_date', where, inWords('parse_detail.date_in_format', { value, format }));
  return date;
}

function rowCurrency(value: string, fallback: string, where: string): string {
  if (value === '') return fallback;
  const code = value.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new StatementError('bank.csv_bad_currency', where, value);
  return code;
}

// A signed amount; or an unsigned one with a D/C indicator; or debit and credit columns.
function rowAmount(cell: (field: Field) => string, columns: Columns, profile: CsvProfile, currency: string, where: string): number {
  const read = (field: Field): number => {
    const text = plainAmount(cell(field), profile.decimalComma);
    if (text === null) throw new StatementError('bank.bad_amount', where, inWords('parse_detail.field_value', { field: { field }, value: cell(field) }));
    return toMinorUnits(text, currency, where);
  };
  if (columns.amount !== undefined) {
    if (cell('amount') === '') throw new StatementError('bank.bad_amount', where, inWords('parse_detail.csv_empty_amount'));
    if (columns.indicator === undefined) return read('amount');
    return isDebit(cell('indicator'), profile, where) ? -Math.abs(read('amount')) : Math.abs(read('amount'));
  }
  const debit = cell('debit') === '' ? null : Math.abs(read('debit'));
  const credit = cell('credit') === '' ? null : Math.abs(read('credit'));
  if (debit === null && credit === null) throw new StatementError('bank.bad_amount', where, inWords('parse_detail.csv_no_debit_or_credit'));
  return (credit ?? 0) - (debit ?? 0);
}

function isDebit(value: string, profile: CsvProfile, where: string): boolean {
  if (value === '') throw new StatementError('bank.csv_bad_indicator', where, inWords('parse_detail.csv_empty_indicator'));
  const debitValues = (profile.debitValues ?? DEFAULT_DEBIT_VALUES).map((v) => v.trim().toUpperCase());
  return debitValues.includes(value.toUpperCase());
}

// Belgian +++123/4567/89002+++ kept as its 12 digits, RF references without spaces; anything else as written.
function structuredReference(value: string): string | null {
  if (value === '') return null;
  const compact = value.replace(/[\s+/*]/g, '').toUpperCase();
  if (/^\d{12}$/.test(compact) || /^RF\d{2}[A-Z0-9]{1,21}$/.test(compact)) return compact;
  return value;
}

function quoteCell(cell: string, delimiter: string): string {
  return /["\n\r]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function unique(values: (string | null)[]): boolean {
  const present = values.filter((v) => v !== null);
  return new Set(present).size === present.length;
}

// ---- Dates ----

const DATE_TOKENS: Record<string, string> = { YYYY: '(\\d{4})', YY: '(\\d{2})', MM: '(\\d{1,2})', M: '(\\d{1,2})', DD: '(\\d{1,2})', D: '(\\d{1,2})' };

/** A reader of dates written in a format such as 'DD/MM/YYYY' (a time after the date is ignored). */
export function dateReader(format: string): DateReader {
  const order: string[] = [];
  const source = format.replace(/YYYY|YY|MM|M|DD|D|[^YMD]/g, (token) => {
    if (!(token in DATE_TOKENS)) return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    order.push(token[0]);
    return DATE_TOKENS[token];
  });
  if (order.length !== 3 || new Set(order).size !== 3) throw new StatementError('bank.csv_profile_invalid', null, inWords('parse_detail.csv_bad_date_format', { format }));
  const pattern = new RegExp(`^${source}(?:[ T]\\d{1,2}:\\d{2}.*)?$`);
  return (text) => {
    const match = pattern.exec(text.trim());
    if (!match) return null;
    const part = (letter: string): string => match[order.indexOf(letter) + 1];
    return calendarDate(fullYear(part('Y')), Number(part('M')), Number(part('D')));
  };
}

// ---- Guessing a profile ----

// Header names (as normalName writes them) of each field, most specific first; English, French, Dutch exports.
const SYNONYMS: [Field, string[]][] = [
  ['valueDate', ['value date', 'date valeur', 'date de valeur', 'valutadatum', 'valuta', 'rentedatum']],
  ['date', ['date', 'datum', 'booking date', 'transaction date', 'posting date', 'date operation', 'date d operation', 'date de l operation', 'date comptable', 'date de comptabilisation', 'date d execution', 'execution date', 'boekingsdatum', 'boekdatum', 'uitvoeringsdatum', 'transactiedatum', 'verrichtingsdatum']],
  ['indicator', ['d c', 'dc', 'c d', 'debit credit', 'credit debit', 'af bij', 'sens', 'cdtdbtind']],
  ['amount', ['amount', 'bedrag', 'montant', 'betrag', 'transaction amount', 'montant de l operation']],
  ['debit', ['debit', 'debet', 'debit amount', 'montant debit', 'withdrawal', 'withdrawals', 'money out', 'paid out', 'uitgaven']],
  ['credit', ['credit', 'credit amount', 'montant credit', 'deposit', 'deposits', 'money in', 'paid in', 'inkomsten']],
  ['currency', ['currency', 'devise', 'munt', 'muntsoort', 'currency code', 'code devise']],
  ['counterpartyAccount', ['counterparty account', 'counterparty iban', 'rekening tegenpartij', 'rekeningnummer tegenpartij', 'iban tegenpartij', 'tegenrekening', 'compte contrepartie', 'compte de la contrepartie', 'numero de compte contrepartie', 'iban contrepartie', 'bank account', 'partner account', 'partner iban']],
  ['counterpartyName', ['counterparty name', 'naam tegenpartij', 'naam van de tegenpartij', 'nom contrepartie', 'nom de la contrepartie', 'partner name', 'counterparty', 'tegenpartij', 'contrepartie', 'payee', 'payer', 'beneficiary', 'beneficiaire', 'begunstigde', 'name', 'naam', 'nom']],
  ['reference', ['structured communication', 'structured reference', 'communication structuree', 'gestructureerde mededeling', 'payment reference', 'betalingsreferentie', 'reference de paiement']],
  ['communication', ['communication', 'communications', 'mededeling', 'mededelingen', 'vrije mededeling', 'communication libre', 'description', 'omschrijving', 'libelle', 'label', 'details', 'detail', 'memo', 'message', 'remittance information', 'narrative', 'motif']],
  ['bankReference', ['bank reference', 'reference bancaire', 'transaction id', 'transaction reference', 'reference', 'referentie', 'volgnummer', 'numero de sequence', 'sequence number', 'numero d operation']],
];

// An amount in another currency (and the currency column then describes it, not the booked amount).
const FOREIGN_AMOUNT = new Set(['amount currency', 'original amount', 'foreign amount', 'montant devise', 'montant en devise', 'bedrag in vreemde munt', 'origineel bedrag']);
const OWN_ACCOUNT = /\b(?:account|iban|rekening|rekeningnummer|compte|numero de compte)\b/;
const SAMPLE_ROWS = 500;

/** Proposes a profile from a CSV's headers (en/fr/nl bank exports) and values (date format, decimal style), to confirm in the UI. */
export function guessCsvProfile(bytes: Uint8Array): CsvProfileGuess {
  const table = readTable(bytes);
  const names = table.headers.map(normalName);
  const rows = table.rows.slice(0, SAMPLE_ROWS);
  const columns = guessColumns(names, rows);
  const values = (field: Field): string[] => columnValues(rows, columns[field]);
  const date = guessDateFormat([...values('date'), ...values('valueDate')]);
  const decimal = guessDecimal([...values('amount'), ...values('debit'), ...values('credit')], table.delimiter);
  const profile: CsvProfile = {
    name: 'guess',
    delimiter: table.delimiter,
    ...(table.encoding === 'utf-8' || table.encoding === 'windows-1252' ? { encoding: table.encoding } : {}),
    decimalComma: decimal.comma,
    dateFormat: date.format,
    columns: { date: '', ...Object.fromEntries(Object.entries(columns).map(([f, i]) => [f, table.headers[i]])) },
    ...(columns.indicator !== undefined ? { debitValues: DEFAULT_DEBIT_VALUES } : {}),
    ...ownAccount(rows, names, columns),
  };
  return { profile, doubts: doubtsOf(profile, date.sure, decimal.sure) };
}

function doubtsOf(profile: CsvProfile, dateSure: boolean, decimalSure: boolean): string[] {
  const { columns } = profile;
  const doubts: string[] = [];
  if (!columns.date) doubts.push('date');
  if (!columns.amount && !columns.debit && !columns.credit) doubts.push('amount');
  if (columns.indicator && !columns.amount) doubts.push('amount');
  if (!dateSure) doubts.push('dateFormat');
  if (!decimalSure) doubts.push('decimal');
  return doubts;
}

// Exact names first, then names starting with a synonym ("Montant (EUR)"); each column serves one field.
function guessColumns(names: string[], rows: CsvRow[]): Columns {
  const columns: Columns = {};
  const used = new Set<number>(names.flatMap((n, i) => (FOREIGN_AMOUNT.has(n) ? [i] : [])));
  assignColumns(names, used, columns, (name, synonym) => name === synonym);
  assignColumns(names, used, columns, (name, synonym) => name.startsWith(`${synonym} `));
  if (names.some((n) => FOREIGN_AMOUNT.has(n))) delete columns.currency;
  // A signed amount wins; debit and credit columns only go together.
  if (columns.amount !== undefined || columns.debit === undefined || columns.credit === undefined) {
    delete columns.debit;
    delete columns.credit;
  }
  if (columns.counterpartyAccount === undefined) guessCounterpartyAccount(rows, used, columns);
  return columns;
}

function assignColumns(names: string[], used: Set<number>, columns: Columns, matches: (name: string, synonym: string) => boolean): void {
  for (const [field, synonyms] of SYNONYMS) {
    if (columns[field] !== undefined) continue;
    for (const synonym of synonyms) {
      const index = names.findIndex((n, i) => !used.has(i) && matches(n, synonym));
      if (index < 0) continue;
      columns[field] = index;
      used.add(index);
      break;
    }
  }
}

// A column of IBANs that vary from row to row is the counterparties'.
function guessCounterpartyAccount(rows: CsvRow[], used: Set<number>, columns: Columns): void {
  const width = rows[0]?.cells.length ?? 0;
  for (let i = 0; i < width; i++) {
    const values = columnValues(rows, i);
    if (used.has(i) || values.length === 0 || !values.every((v) => normalIban(v))) continue;
    if (new Set(values.map((v) => normalIban(v))).size > 1) {
      columns.counterpartyAccount = i;
      return;
    }
  }
}

// An account column holding one and the same IBAN on every row (two rows at least) is the collective's own account.
function ownAccount(rows: CsvRow[], names: string[], columns: Columns): Pick<CsvProfile, 'accountIban'> {
  const mapped = new Set(Object.values(columns));
  for (let i = 0; i < names.length; i++) {
    const values = columnValues(rows, i);
    if (mapped.has(i) || !OWN_ACCOUNT.test(names[i]) || values.length < 2 || values.length < rows.length) continue;
    const ibans = new Set(values.map((v) => normalIban(v)));
    const [only] = [...ibans];
    if (ibans.size === 1 && only) return { accountIban: only };
  }
  return {};
}

function columnValues(rows: CsvRow[], index: number | undefined): string[] {
  if (index === undefined) return [];
  return rows.map((r) => (r.cells[index] ?? '').trim()).filter((v) => v !== '');
}

/** The date format the values are written in; not sure when no day is above 12 or the values disagree. */
export function guessDateFormat(values: string[]): { format: string; sure: boolean } {
  if (values.length === 0) return { format: 'DD/MM/YYYY', sure: false };
  const ymd = /^(\d{4})([-/.]?)\d{1,2}\2\d{1,2}\b/.exec(values[0]);
  if (ymd) return { format: `YYYY${ymd[2]}MM${ymd[2]}DD`, sure: values.every((v) => dateReader(`YYYY${ymd[2]}MM${ymd[2]}DD`)(v)) };
  const first = /^\d{1,2}([-/.])\d{1,2}\1(\d{4}|\d{2})\b/.exec(values[0]);
  if (!first) return { format: 'DD/MM/YYYY', sure: false };
  const [sep, year] = [first[1], first[2].length === 4 ? 'YYYY' : 'YY'];
  const dmy = `DD${sep}MM${sep}${year}`;
  const mdy = `MM${sep}DD${sep}${year}`;
  const dmyOk = values.every((v) => dateReader(dmy)(v));
  const mdyOk = values.every((v) => dateReader(mdy)(v));
  if (dmyOk !== mdyOk) return { format: dmyOk ? dmy : mdy, sure: true };
  return { format: dmy, sure: dmyOk && values.every((v) => sameBothWays(v)) };
}

// 03/03/2024 reads the same in either order.
function sameBothWays(value: string): boolean {
  const match = /^(\d{1,2})\D(\d{1,2})\D/.exec(value);
  return match !== null && Number(match[1]) === Number(match[2]);
}

/** Decimal comma or point from the values ("12,50" against "12.50"); a ';' delimiter suggests a comma when no value tells. */
export function guessDecimal(values: string[], delimiter: string): { comma: boolean; sure: boolean } {
  const comma = values.some((v) => /\d,\d{1,2}\)?\s*[-+]?\s*$/.test(v));
  const point = values.some((v) => /\d\.\d{1,2}\)?\s*[-+]?\s*$/.test(v));
  if (comma !== point) return { comma, sure: true };
  return { comma: delimiter === ';', sure: !comma };
}
