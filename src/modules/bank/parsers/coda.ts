// Belgian CODA 2.x ("coded statement of account", Febelfin standard): fixed 128-character records.
// Record 0 opens a file, 1 gives the old balance, 2.1/2.2/2.3 a movement, 3.1/3.2/3.3 information about it,
// 4 a free message, 8 the new balance, 9 closes the file. Positions below are the standard's, 1-based inclusive.
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { at, CODA_RECORD_LENGTH, type Line, Records } from './coda-records.js';
import { inWords } from './details.js';
import { minorDigits, toMinorUnits } from './money.js';
import {
  type ParsedAccount, type ParsedBalance, type ParsedEntry, type ParsedStatementHeader, type ParseOptions,
  StatementError, type StatementEvent,
} from './types.js';

export { CODA_RECORD_LENGTH } from './coda-records.js';

const KINDS = ['0', '1', '21', '22', '23', '31', '32', '33', '4', '8', '9'] as const;
type Kind = (typeof KINDS)[number];

interface FileHeader {
  created: string;
  bic: string | null;
}

interface Opening {
  account: ParsedAccount;
  paper: string;
  balance: ParsedBalance;
}

/** What every movement of a statement shares: its account, currency and place in the bank's numbering. */
interface Context {
  account: string;
  currency: string;
  year: string;
  number: string;
  date: string;
}

interface Movement {
  seq: string;
  detail: string;
  /** First digit of the transaction code: 0 single, 1/2 totals, 3 net amount with details, 5-9 details. */
  type: number;
  amount: number;
  r21: Line;
  r22: Line | null;
  r23: Line | null;
  infos: Line[][];
  lines: Line[];
}

/** A movement as it is booked, with the records kept for the audit trail. */
interface Booked {
  movement: Movement;
  lines: Line[];
}

/** Reads a CODA 2.x file: one statement per record 1 ... record 8, several statements and accounts per file. */
export function* parseCoda(bytes: Buffer, _options?: ParseOptions): Generator<StatementEvent> {
  const records = new Records(bytes);
  while (records.peek()) {
    const file = readFileHeader(expect(records, '0'));
    do {
      yield* readStatement(records, file);
    } while (peekKind(records) === '1');
    expect(records, '9');
  }
}

/** Reads a field by its 1-based inclusive positions, as the standard's tables give them. */
function field(line: Line, from: number, to: number): string {
  return line.text.slice(from - 1, to);
}

function isKind(text: string): text is Kind {
  return (KINDS as readonly string[]).includes(text);
}

function kindOf(line: Line): Kind {
  const first = line.text[0];
  const kind = first === '2' || first === '3' ? line.text.slice(0, 2) : first;
  if (!isKind(kind)) throw new StatementError('bank.coda_bad_record', at(line), inWords('parse_detail.coda_unknown_record', { kind }));
  return kind;
}

function peekKind(records: Records): Kind | null {
  const line = records.peek();
  return line ? kindOf(line) : null;
}

function expect(records: Records, kind: Kind): Line {
  const line = records.take();
  if (!line) throw new StatementError('bank.coda_truncated', records.last(), inWords('parse_detail.coda_ends_early', { kind }));
  const found = kindOf(line);
  if (found !== kind) throw new StatementError('bank.coda_bad_record', at(line), inWords('parse_detail.coda_other_record', { kind, found }));
  return line;
}

// ---- fields ---------------------------------------------------------------------------------------------

/** The fields a CODA record may hold unreadable, each named by a `parse_detail.coda_field.*` message. */
type CodaField = 'account_number' | 'account_structure' | 'creation_date' | 'currency' | 'detail_number' | 'entry_date'
  | 'new_balance_date' | 'old_balance_date' | 'sequence_number' | 'statement_number' | 'transaction_code' | 'value_date';

function badField(line: Line, what: CodaField, value: string): StatementError {
  return new StatementError('bank.coda_bad_field', at(line), inWords('parse_detail.coda_bad_field', { field: { key: `parse_detail.coda_field.${what}` }, value }));
}

/** Trims a text zone and folds its runs of spaces; null when blank. */
function clean(text: string): string | null {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded === '' ? null : folded;
}

function digitsAt(line: Line, from: number, to: number, what: CodaField): string {
  const value = field(line, from, to);
  if (!/^\d+$/.test(value)) throw badField(line, what, value);
  return value;
}

// DDMMYY; 000000 or blanks mean no date.
function dateAt(line: Line, from: number, to: number, what: CodaField): string | null {
  const value = field(line, from, to);
  if (value === '000000' || value.trim() === '') return null;
  const match = /^(\d\d)(\d\d)(\d\d)$/.exec(value);
  if (!match) throw badField(line, what, value);
  const [, dd, mm, yy] = match;
  const year = Number(yy) < 70 ? 2000 + Number(yy) : 1900 + Number(yy);
  const date = new Date(Date.UTC(year, Number(mm) - 1, Number(dd)));
  if (date.getUTCMonth() !== Number(mm) - 1 || date.getUTCDate() !== Number(dd)) throw badField(line, what, value);
  return `${year}-${mm}-${dd}`;
}

// A sign (0 credit, 1 debit) then 15 digits with 3 decimals; decimals the currency does not have must be zero.
function amountAt(line: Line, signAt: number, from: number, currency: string): number {
  const sign = field(line, signAt, signAt);
  const digits = field(line, from, from + 14);
  if (!/^[01]$/.test(sign) || !/^\d{15}$/.test(digits)) {
    throw new StatementError('bank.coda_bad_field', at(line), inWords('parse_detail.coda_bad_amount_field', { position: signAt, value: sign + digits }));
  }
  const decimal = `${Number(digits.slice(0, 12))}.${digits.slice(12)}`;
  if (/[1-9]/.test(digits.slice(12 + minorDigits(currency)))) {
    throw new StatementError('bank.coda_bad_amount', at(line), inWords('parse_detail.coda_too_many_decimals', { amount: decimal, currency }));
  }
  const units = toMinorUnits(decimal, currency, at(line));
  return sign === '1' ? 0 - units : units;
}

// ---- records 0, 1, 8 -------------------------------------------------------------------------------------

function readFileHeader(line: Line): FileHeader {
  const version = field(line, 128, 128);
  if (version !== '2') {
    throw new StatementError('bank.coda_unsupported_version', at(line), inWords('parse_detail.coda_version', { version }));
  }
  const created = dateAt(line, 6, 11, 'creation_date');
  if (!created) throw badField(line, 'creation_date', field(line, 6, 11));
  return { created, bic: clean(field(line, 61, 71)) };
}

function readOpening(line: Line, file: FileHeader): Opening {
  const paper = digitsAt(line, 3, 5, 'statement_number');
  const { iban, number, currency } = ownAccount(line);
  const account: ParsedAccount = { iban, number, bic: file.bic, holder: clean(field(line, 65, 90)), currency };
  const balance = { amount: amountAt(line, 43, 44, currency), date: dateAt(line, 59, 64, 'old_balance_date') };
  return { account, paper, balance };
}

// Account structure (position 2): 0 Belgian number, 1 foreign number, 2 Belgian IBAN, 3 foreign IBAN.
function ownAccount(line: Line): { iban: string | null; number: string | null; currency: string } {
  const structure = field(line, 2, 2);
  const currency = structure === '0' ? field(line, 19, 21) : field(line, 40, 42);
  if (!/^[A-Z]{3}$/.test(currency)) throw badField(line, 'currency', currency);
  if (structure === '0') return { iban: null, number: digitsAt(line, 6, 17, 'account_number'), currency };
  if (!['1', '2', '3'].includes(structure)) throw badField(line, 'account_structure', structure);
  const written = (structure === '2' ? field(line, 6, 21) : field(line, 6, 39)).trim();
  if (structure === '1' && written) return { iban: null, number: written, currency };
  const iban = electronicFormatIBAN(written);
  if (!iban || !isValidIBAN(iban)) throw new StatementError('bank.coda_bad_account', at(line), written);
  return { iban, number: null, currency };
}

function readClosing(line: Line, currency: string): ParsedBalance {
  return { amount: amountAt(line, 42, 43, currency), date: dateAt(line, 58, 63, 'new_balance_date') };
}

// ---- one statement ---------------------------------------------------------------------------------------

function* readStatement(records: Records, file: FileHeader): Generator<StatementEvent> {
  const first = expect(records, '1');
  const opening = readOpening(first, file);
  const closing = readClosing(records.closingRecord(first), opening.account.currency);
  const context = contextOf(file, opening, closing);
  const header: ParsedStatementHeader = {
    format: 'coda', account: opening.account, statementId: `${context.year}/${context.number}`,
    date: context.date, opening: opening.balance,
  };
  yield { type: 'statement', header };
  yield* readMovements(records, context);
  records.take(); // the record 8 read ahead
  while (peekKind(records) === '4') records.take(); // free messages after the new balance
  yield { type: 'end', closing };
}

// The statement is dated by its new balance, which re-exports keep (the creation date changes with each export);
// its number is the "paper" statement number, or the date when a bank leaves it at 000.
function contextOf(file: FileHeader, opening: Opening, closing: ParsedBalance): Context {
  const date = closing.date ?? file.created;
  const account = opening.account.iban ?? opening.account.number ?? '';
  const number = opening.paper !== '000' ? opening.paper : date.slice(5).replace('-', '');
  return { account, currency: opening.account.currency, year: date.slice(0, 4), number, date };
}

// Movements come in groups sharing a sequence number: the movement (detail 0000), then its details if any.
function* readMovements(records: Records, context: Context): Generator<StatementEvent> {
  let group: Movement[] = [];
  let last: Kind | null = null;
  const seen = new Set<string>();
  for (let line = records.peek(); line && kindOf(line) !== '8'; line = records.peek()) {
    records.take();
    const kind = kindOf(line);
    if (kind === '21') {
      const movement = startMovement(line, context, seen);
      if (group.length > 0 && group[0].seq !== movement.seq) {
        yield* entriesOf(group, context);
        group = [];
      }
      group.push(movement);
    } else if (kind !== '4') attach(group.at(-1), last, kind, line);
    last = kind;
  }
  if (group.length) yield* entriesOf(group, context);
}

function startMovement(line: Line, context: Context, seen: Set<string>): Movement {
  const seq = digitsAt(line, 3, 6, 'sequence_number');
  const detail = digitsAt(line, 7, 10, 'detail_number');
  if (seen.has(seq + detail)) throw new StatementError('bank.coda_bad_record', at(line), inWords('parse_detail.coda_movement_twice', { movement: `${seq}/${detail}` }));
  seen.add(seq + detail);
  const type = Number(digitsAt(line, 54, 54, 'transaction_code'));
  const amount = amountAt(line, 32, 33, context.currency);
  return { seq, detail, type, amount, r21: line, r22: null, r23: null, infos: [], lines: [line] };
}

const FOLLOWS: Partial<Record<Kind, readonly Kind[]>> = {
  '22': ['21'],
  '23': ['21', '22'],
  '31': ['21', '22', '23', '31', '32', '33'],
  '32': ['31'],
  '33': ['31', '32'],
};

// Records 2.2 and 2.3 continue their 2.1 (same sequence and detail); 3.x inform about the movement before them
// (same sequence, their own detail number); 3.2 and 3.3 continue their 3.1.
function attach(movement: Movement | undefined, last: Kind | null, kind: Kind, line: Line): void {
  const allowed = FOLLOWS[kind];
  if (!movement || !allowed || !last || !allowed.includes(last)) {
    throw new StatementError('bank.coda_bad_record', at(line), last ? inWords('parse_detail.coda_cannot_follow', { kind, last }) : inWords('parse_detail.coda_cannot_follow_opening', { kind }));
  }
  const info = movement.infos.at(-1);
  const owner = kind === '32' || kind === '33' ? info?.[0] : kind === '31' ? null : movement.r21;
  const same = owner ? field(line, 3, 10) === field(owner, 3, 10) : field(line, 3, 6) === movement.seq;
  if (!same) throw new StatementError('bank.coda_bad_record', at(line), inWords('parse_detail.coda_wrong_movement', { kind, record: `${field(line, 3, 6)}/${field(line, 7, 10)}`, movement: `${movement.seq}/${movement.detail}` }));
  if (kind === '22') movement.r22 = line;
  else if (kind === '23') movement.r23 = line;
  else if (kind === '31') movement.infos.push([line]);
  else info?.push(line);
  movement.lines.push(line);
}

// ---- globalisation ---------------------------------------------------------------------------------------

/** Transaction types of totals whose details are individual movements: 1 (grouped by the customer), 2 (by the bank). */
const TOTAL_TYPES = new Set([1, 2]);
/** Transaction types of individual details: 5 (detail of 1), 6 and 7 (details of 2). */
const INDIVIDUAL_TYPES = new Set([5, 6, 7]);

// Globalisation choice. The balance moves by the global movement (detail 0000) only. When it is a total of type 1
// or 2 and its individual details (types 5, 6, 7; sub-totals and types 8/9 are information) add up to exactly its
// amount, the details are yielded instead: each is one payment, from one person, which is what matching needs.
// Otherwise (type 3 net amounts with charges or interest as type 8 details, sums that do not add up) the global
// movement is yielded alone and its details' records stay in its raw text. Either way the sum of the yielded
// amounts is the global amount, so opening + entries = closing holds.
function booked(group: Movement[]): Booked[] {
  const [global, ...details] = group;
  const individual = details.filter((d) => INDIVIDUAL_TYPES.has(d.type));
  const sum = individual.reduce((total, d) => total + d.amount, 0);
  if (global.detail === '0000' && TOTAL_TYPES.has(global.type) && individual.length > 0 && sum === global.amount) {
    return individual.map((movement) => ({ movement, lines: movement.lines }));
  }
  return [{ movement: global, lines: group.flatMap((m) => m.lines) }];
}

function* entriesOf(group: Movement[], context: Context): Generator<StatementEvent> {
  for (const item of booked(group)) yield { type: 'entry', entry: toEntry(item, context) };
}

// ---- one movement ----------------------------------------------------------------------------------------

function toEntry({ movement, lines }: Booked, context: Context): ParsedEntry {
  const { r21, r22 } = movement;
  const counterparty = counterpartyOf(movement);
  const text = communicationOf(movement);
  return {
    bookingDate: dateAt(r21, 116, 121, 'entry_date') ?? context.date,
    valueDate: dateAt(r21, 48, 53, 'value_date'),
    amount: movement.amount,
    currency: context.currency,
    ...counterparty,
    structuredReference: text.reference,
    communication: text.communication,
    bankReference: clean(field(r21, 11, 31)),
    endToEndId: r22 ? endToEndId(field(r22, 64, 98)) : null,
    transactionId: null,
    identity: `${context.account}/${context.year}/${context.number}/${movement.seq}/${movement.detail}`,
    raw: lines.map((line) => line.text).join('\n'),
  };
}

// 2.2 positions 64-98: the ordering customer's reference, the SEPA end-to-end id ("NOTPROVIDED" when none).
function endToEndId(zone: string): string | null {
  const value = clean(zone);
  return value && value.replace(/\s/g, '').toUpperCase() !== 'NOTPROVIDED' ? value : null;
}

type Counterparty = Pick<ParsedEntry, 'counterpartyName' | 'counterpartyIban' | 'counterpartyAccount' | 'counterpartyBic'>;

// Account and name from 2.3, BIC from 2.2; the name of a structured 3.1 of type 001 when 2.3 has none.
function counterpartyOf(movement: Movement): Counterparty {
  const { r22, r23 } = movement;
  const account = r23 ? accountOf(field(r23, 11, 47)) : { iban: null, account: null };
  const name = (r23 ? clean(field(r23, 48, 82)) : null) ?? movement.infos.map(infoName).find((n) => n !== null) ?? null;
  const bic = r22 ? clean(field(r22, 99, 109)) : null;
  return { counterpartyName: name, counterpartyIban: account.iban, counterpartyAccount: account.account, counterpartyBic: bic };
}

// 2.3 positions 11-47: an IBAN (up to 34) then the currency, or a Belgian 12-digit number, or another account.
function accountOf(zone: string): { iban: string | null; account: string | null } {
  const written = zone.slice(0, 34).trim();
  if (written === '') return { iban: null, account: null };
  const belgian = /^(\d{12})(?:\s|$)/.exec(written);
  if (belgian) return { iban: null, account: belgian[1] };
  for (const candidate of [written.split(/\s+/)[0], written]) {
    const iban = electronicFormatIBAN(candidate);
    if (iban && /^[A-Z]{2}\d{2}/.test(iban) && isValidIBAN(iban)) return { iban, account: null };
  }
  return { iban: null, account: written };
}

/** The communication zone of each movement and information record, in the order they continue one another. */
function zoneOf(line: Line): string {
  const kind = kindOf(line);
  if (kind === '21') return field(line, 63, 115);
  if (kind === '22') return field(line, 11, 63);
  if (kind === '23') return field(line, 83, 125);
  if (kind === '31') return field(line, 41, 113);
  if (kind === '32') return field(line, 11, 115);
  return field(line, 11, 100);
}

// The bank cuts one text into the 53 + 53 + 43 characters of 2.1, 2.2 and 2.3 (and 73 + 105 + 90 of 3.1-3.3)
// wherever the limit falls, even inside a word ("...LOON" + "VERLIES..." is LOONVERLIES): the zones are
// concatenated as they are, then trimmed and their runs of spaces folded. Information texts follow, each
// separated by a space. Structured communication 101/102 gives the 12-digit reference; other structured
// zones (card payments, direct debits...) are kept as text.
function communicationOf(movement: Movement): { reference: string | null; communication: string | null } {
  const { r21, r22, r23 } = movement;
  const zone = [r21, r22, r23].map((line) => (line ? zoneOf(line) : '')).join('');
  const structured = field(r21, 62, 62) === '1' ? referenceOf(zone) : null;
  const texts = [clean(structured ? zone.slice(15) : zone), ...movement.infos.map(infoText)];
  const present = texts.filter((t): t is string => t !== null);
  return { reference: structured, communication: present.length ? present.join(' ') : null };
}

function referenceOf(zone: string): string | null {
  const code = zone.slice(0, 3);
  const digits = zone.slice(3, 15);
  return (code === '101' || code === '102') && /^\d{12}$/.test(digits) ? digits : null;
}

function infoZone(info: Line[]): { structured: boolean; code: string; text: string } {
  const text = info.map(zoneOf).join('');
  return { structured: field(info[0], 40, 40) === '1', code: text.slice(0, 3), text };
}

// Structured information 001 is the counterparty's name (70 characters) and address: a name, not a message.
function infoName(info: Line[]): string | null {
  const zone = infoZone(info);
  return zone.structured && zone.code === '001' ? clean(zone.text.slice(3, 73)) : null;
}

function infoText(info: Line[]): string | null {
  const zone = infoZone(info);
  return zone.structured && zone.code === '001' ? null : clean(zone.text);
}
