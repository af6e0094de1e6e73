import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { detached } from '../../../core/text.js';
import { compactXml } from './compact-xml.js';
import { inWords } from './details.js';
import { isCalendarDate } from './detect.js';
import { toMinorUnits } from './money.js';
import {
  type ParsedBalance,
  type ParsedEntry,
  type ParsedStatementHeader,
  type ParseOptions,
  StatementError,
  type StatementEvent,
} from './types.js';
import type { ByteSource } from './source.js';
import { countXmlElements, readXml, type XmlCursor, type XmlVisitor } from './xml-stream.js';

/*
 * ISO 20022 camt.053 (BkToCstmrStmt/Stmt) and camt.054 (BkToCstmrDbtCdtNtfctn/Ntfctn), versions .001.02 to
 * .001.13, read by local element names so any namespace (or none) is accepted. Streaming: only the current
 * statement's header and the current entry are held; each entry is yielded once its `</Ntry>` closes.
 *
 * Choices, from the ISO 20022 message definitions:
 * - Sign: amounts are never negative in camt; CdtDbtInd gives the direction of the booking itself. RvslInd=true
 *   only says the entry undoes an earlier one ("CRDT with reversal: the original operation was a debit"), so
 *   the booked direction is already in CdtDbtInd: the sign is NOT flipped again (a returned direct debit of
 *   ours is a DBIT with RvslInd, i.e. money leaving the account). The reversal only tells which side of the
 *   related parties is the counterparty, as they describe the original operation.
 * - Balances by type code: opening = OPBD, else PRCD (the previous statement's closing booked balance);
 *   closing = CLBD only. CLAV (closing available) and the forward/interim codes include funds not yet booked,
 *   so opening + booked entries = closing only holds for CLBD; without CLBD the closing is null.
 * - Only booked entries (Sts `BOOK`, or Sts/Cd `BOOK` from .001.08): PDNG and INFO are skipped. A missing
 *   status (mandatory in the schema) counts as booked.
 * - Several TxDtls in one entry (a batch): one entry per detail, with the detail's amount (TxDtls/Amt, else
 *   AmtDtls/TxAmt/Amt, else AmtDtls/CntrValAmt/Amt, in the entry's currency) signed by the detail's CdtDbtInd
 *   (else the entry's), provided every detail has one and they add up to the entry's amount. Otherwise one
 *   entry with the entry amount and the detail fields all details agree on, Ustrd lines of all details joined.
 */

type CamtFormat = 'camt.053' | 'camt.054';

const MESSAGES = new Map<string, { format: CamtFormat; statement: string }>([
  ['BkToCstmrStmt', { format: 'camt.053', statement: 'Stmt' }],
  ['BkToCstmrDbtCdtNtfctn', { format: 'camt.054', statement: 'Ntfctn' }],
]);

/** Depths in the element path: Document 1, message 2, Stmt/Ntfctn 3, Ntry and Bal 4, NtryDtls 5, TxDtls 6. */
const STATEMENT_DEPTH = 3;
const ENTRY_DEPTH = 4;
const DETAIL_DEPTH = 6;
const NO_BYTES = new Uint8Array(0);

interface Amount {
  text: string;
  currency: string | null;
}

interface Party {
  name: string | null;
  iban: string | null;
  other: string | null;
  bic: string | null;
}

interface Detail {
  acctSvcrRef: string | null;
  txId: string | null;
  endToEndId: string | null;
  amounts: Amount[];
  indicator: string | null;
  debtor: Party;
  creditor: Party;
  unstructured: string[];
  reference: string | null;
  /** AddtlTxInf: the bank's text for the detail, the communication when there is no Ustrd. */
  additional: string | null;
}

interface Entry {
  where: string;
  amount: Amount | null;
  indicator: string | null;
  reversal: boolean;
  status: string | null;
  bookingDate: string | null;
  valueDate: string | null;
  acctSvcrRef: string | null;
  /** AddtlNtryInf: the bank's text for the entry, the communication when its details give none. */
  additional: string | null;
  details: Detail[];
  raw: Uint8Array;
}

interface Balance {
  code: string | null;
  amount: Amount | null;
  indicator: string | null;
  date: string | null;
}

interface Statement {
  index: number;
  entries: number;
  id: string | null;
  created: string | null;
  to: string | null;
  iban: string | null;
  number: string | null;
  currency: string | null;
  balanceCurrency: string | null;
  name: string | null;
  holder: string | null;
  bic: string | null;
  balances: Map<string, ParsedBalance>;
  headerSent: boolean;
  /** The account's IBAN once validated (undefined: not yet looked at). */
  own: string | null | undefined;
}

type Setter<T> = (target: T, text: string, currency: string | null) => void;

/** Setters by element path, as a tree walked along the open elements (no path string built per element). */
interface FieldTree<T> {
  setter: Setter<T> | null;
  children: Map<string, FieldTree<T>>;
}

function fieldTree<T>(fields: [string, Setter<T>][]): FieldTree<T> {
  const root: FieldTree<T> = { setter: null, children: new Map() };
  for (const [path, setter] of fields) {
    let node = root;
    for (const name of path.split('/')) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { setter: null, children: new Map() }));
      node = child;
    }
    node.setter = setter;
  }
  return root;
}

const STATEMENT_FIELDS = fieldTree<Statement>([
  ['Id', (s, t) => void (s.id = t)],
  ['CreDtTm', (s, t) => void (s.created = t)],
  ['FrToDt/ToDtTm', (s, t) => void (s.to = t)],
  ['Acct/Id/IBAN', (s, t) => void (s.iban = t)],
  ['Acct/Id/Othr/Id', (s, t) => void (s.number = t)],
  ['Acct/Ccy', (s, t) => void (s.currency = t.toUpperCase())],
  ['Acct/Nm', (s, t) => void (s.name = t)],
  ['Acct/Ownr/Nm', (s, t) => void (s.holder = t)],
  ['Acct/Svcr/FinInstnId/BIC', (s, t) => void (s.bic = t)],
  ['Acct/Svcr/FinInstnId/BICFI', (s, t) => void (s.bic = t)],
]);

const BALANCE_FIELDS = fieldTree<Balance>([
  ['Tp/CdOrPrtry/Cd', (b, t) => void (b.code = t.toUpperCase())],
  ['Amt', (b, t, currency) => void (b.amount = { text: t, currency })],
  ['CdtDbtInd', (b, t) => void (b.indicator = t)],
  ['Dt/Dt', (b, t) => void (b.date = t)],
  ['Dt/DtTm', (b, t) => void (b.date = t)],
]);

const ENTRY_FIELDS = fieldTree<Entry>([
  ['Amt', (e, t, currency) => void (e.amount = { text: t, currency })],
  ['CdtDbtInd', (e, t) => void (e.indicator = t)],
  ['RvslInd', (e, t) => void (e.reversal = t === 'true' || t === '1')],
  ['Sts', (e, t) => void (e.status = t.toUpperCase())],
  ['Sts/Cd', (e, t) => void (e.status = t.toUpperCase())],
  ['Sts/Prtry', (e, t) => void (e.status = t.toUpperCase())],
  ['BookgDt/Dt', (e, t) => void (e.bookingDate = t)],
  ['BookgDt/DtTm', (e, t) => void (e.bookingDate = t)],
  ['ValDt/Dt', (e, t) => void (e.valueDate = t)],
  ['ValDt/DtTm', (e, t) => void (e.valueDate = t)],
  ['AcctSvcrRef', (e, t) => void (e.acctSvcrRef = t)],
  ['AddtlNtryInf', (e, t) => void (e.additional = t)],
]);

const DETAIL_FIELDS = fieldTree<Detail>([
  ['Refs/AcctSvcrRef', (d, t) => void (d.acctSvcrRef = t)],
  ['Refs/TxId', (d, t) => void (d.txId = t)],
  ['Refs/EndToEndId', (d, t) => void (d.endToEndId = t)],
  ['Amt', (d, t, currency) => void d.amounts.push({ text: t, currency })],
  ['AmtDtls/TxAmt/Amt', (d, t, currency) => void d.amounts.push({ text: t, currency })],
  ['AmtDtls/CntrValAmt/Amt', (d, t, currency) => void d.amounts.push({ text: t, currency })],
  ['CdtDbtInd', (d, t) => void (d.indicator = t)],
  ['RmtInf/Ustrd', (d, t) => void d.unstructured.push(t)],
  ['RmtInf/Strd/CdtrRefInf/Ref', (d, t) => void (d.reference ??= t)],
  ['AddtlTxInf', (d, t) => void (d.additional = t)],
  ...partyFields('Dbtr', (d) => d.debtor),
  ...partyFields('Cdtr', (d) => d.creditor),
]);

/** Related party and agent fields of one side; `Pty/Nm` is the .001.08+ spelling, BICFI the .001.03+ one. */
function partyFields(role: 'Dbtr' | 'Cdtr', side: (d: Detail) => Party): [string, Setter<Detail>][] {
  return [
    [`RltdPties/${role}/Nm`, (d, t) => void (side(d).name ??= t)],
    [`RltdPties/${role}/Pty/Nm`, (d, t) => void (side(d).name ??= t)],
    [`RltdPties/${role}Acct/Id/IBAN`, (d, t) => void (side(d).iban = t)],
    [`RltdPties/${role}Acct/Id/Othr/Id`, (d, t) => void (side(d).other = t)],
    [`RltdAgts/${role}Agt/FinInstnId/BIC`, (d, t) => void (side(d).bic = t)],
    [`RltdAgts/${role}Agt/FinInstnId/BICFI`, (d, t) => void (side(d).bic = t)],
  ];
}

/** Parses a camt.053 or camt.054 file, yielding each statement (or notification) and its booked entries. */
export function* parseCamt(input: Buffer | ByteSource, _options?: ParseOptions): Generator<StatementEvent> {
  yield* readXml(input, new CamtVisitor());
}

/** Bare XML parse of a file (same decoding and parser), counting elements: the benchmark's baseline. */
export function parseCamtXmlOnly(input: Buffer | ByteSource): number {
  return countXmlElements(input);
}

class CamtVisitor implements XmlVisitor<StatementEvent> {
  private format: CamtFormat | null = null;
  private statementTag = '';
  private statements = 0;
  private statement: Statement | null = null;
  private balance: Balance | null = null;
  private entry: Entry | null = null;
  private detail: Detail | null = null;
  private currency: string | null = null;

  open(cursor: XmlCursor<StatementEvent>, name: string, attributes: Readonly<Record<string, string>>): void {
    this.currency = attributes.Ccy?.trim().toUpperCase() ?? null;
    const depth = cursor.path.length;
    if (depth <= 2) this.openMessage(depth, name);
    else if (depth === STATEMENT_DEPTH && name === this.statementTag) this.statement = newStatement(++this.statements);
    else if (depth === ENTRY_DEPTH && this.statement) this.openEntryOrBalance(cursor, this.statement, name);
    else if (depth === DETAIL_DEPTH && this.entry && name === 'TxDtls' && cursor.path[4] === 'NtryDtls') {
      this.detail = newDetail();
    }
  }

  close(cursor: XmlCursor<StatementEvent>, name: string, text: string): void {
    if (this.closeStructure(cursor, name)) return;
    const value = text.trim();
    if (value !== '') this.setField(cursor.path, value);
  }

  end(): void {
    if (this.format === null) throw new StatementError('bank.not_camt', 'Document', inWords('parse_detail.no_camt_message'));
  }

  private openMessage(depth: number, name: string): void {
    if (depth === 1 && name !== 'Document') throw new StatementError('bank.not_camt', name, inWords('parse_detail.root_element', { name }));
    if (depth !== 2) return;
    const message = MESSAGES.get(name);
    if (!message) throw new StatementError('bank.not_camt', `Document/${name}`, inWords('parse_detail.camt_message', { name }));
    this.format = message.format;
    this.statementTag = message.statement;
  }

  private openEntryOrBalance(cursor: XmlCursor<StatementEvent>, statement: Statement, name: string): void {
    if (name === 'Bal') {
      this.balance = { code: null, amount: null, indicator: null, date: null };
    } else if (name === 'Ntry') {
      statement.entries += 1;
      const where = `${this.statementTag}[${statement.index}]/Ntry[${statement.entries}], ${cursor.location()}`;
      this.entry = newEntry(where);
      cursor.startCapture();
    }
  }

  /** Ends a detail, entry, balance or statement when its element closes; false for any other element. */
  private closeStructure(cursor: XmlCursor<StatementEvent>, name: string): boolean {
    const depth = cursor.path.length;
    if (depth === DETAIL_DEPTH && this.detail && name === 'TxDtls') {
      this.entry?.details.push(this.detail);
      this.detail = null;
    } else if (depth === ENTRY_DEPTH && this.entry && name === 'Ntry') {
      this.entry.raw = compactXml(cursor.endCapture());
      this.emitEntry(cursor, this.entry);
      this.entry = null;
    } else if (depth === ENTRY_DEPTH && this.balance && name === 'Bal') {
      if (this.statement) addBalance(this.statement, this.balance, `${this.statementTag}[${this.statement.index}]/Bal`);
      this.balance = null;
    } else if (depth === STATEMENT_DEPTH && this.statement && name === this.statementTag) {
      this.emitHeader(cursor, this.statement, null);
      cursor.emit({ type: 'end', closing: this.statement.balances.get('CLBD') ?? null });
      this.statement = null;
    } else {
      return false;
    }
    return true;
  }

  private setField(path: readonly string[], value: string): void {
    if (this.detail) set(DETAIL_FIELDS, path, DETAIL_DEPTH, this.detail, value, this.currency);
    else if (this.entry) set(ENTRY_FIELDS, path, ENTRY_DEPTH, this.entry, value, this.currency);
    else if (this.balance) set(BALANCE_FIELDS, path, ENTRY_DEPTH, this.balance, value, this.currency);
    else if (this.statement) set(STATEMENT_FIELDS, path, STATEMENT_DEPTH, this.statement, value, this.currency);
  }

  private emitEntry(cursor: XmlCursor<StatementEvent>, entry: Entry): void {
    const statement = this.statement;
    if (!statement) return;
    for (const parsed of entriesOf(entry, statement.currency, ownIban(statement))) {
      this.emitHeader(cursor, statement, parsed.currency);
      cursor.emit({ type: 'entry', entry: parsed });
    }
  }

  private emitHeader(cursor: XmlCursor<StatementEvent>, statement: Statement, entryCurrency: string | null): void {
    if (statement.headerSent || this.format === null) return;
    statement.headerSent = true;
    cursor.emit({ type: 'statement', header: headerOf(this.format, statement, entryCurrency) });
  }
}

function set<T>(
  fields: FieldTree<T>,
  path: readonly string[],
  depth: number,
  target: T,
  value: string,
  currency: string | null,
): void {
  let node: FieldTree<T> | undefined = fields;
  for (let i = depth; node && i < path.length; i++) node = node.children.get(path[i]);
  node?.setter?.(target, value, currency);
}

function newStatement(index: number): Statement {
  return {
    index, entries: 0, id: null, created: null, to: null, iban: null, number: null, currency: null,
    balanceCurrency: null, name: null, holder: null, bic: null, balances: new Map(), headerSent: false, own: undefined,
  };
}

function newEntry(where: string): Entry {
  return {
    where, amount: null, indicator: null, reversal: false, status: null, bookingDate: null, valueDate: null,
    acctSvcrRef: null, additional: null, details: [], raw: NO_BYTES,
  };
}

function newParty(): Party {
  return { name: null, iban: null, other: null, bic: null };
}

function newDetail(): Detail {
  return {
    acctSvcrRef: null, txId: null, endToEndId: null, amounts: [], indicator: null,
    debtor: newParty(), creditor: newParty(), unstructured: [], reference: null, additional: null,
  };
}

/** Keeps the first balance of each type code, signed by its CdtDbtInd. */
function addBalance(statement: Statement, balance: Balance, path: string): void {
  if (!balance.code || !balance.amount || statement.balances.has(balance.code)) return;
  const currency = balance.amount.currency ?? statement.currency ?? 'XXX';
  statement.balanceCurrency ??= balance.amount.currency;
  const where = `${path} ${balance.code}`;
  const amount = toMinorUnits(unsigned(balance.amount, where), currency, where) * signOf(balance.indicator ?? 'CRDT', where);
  statement.balances.set(balance.code, { amount, date: optionalDate(balance.date, where) });
}

function headerOf(format: CamtFormat, statement: Statement, entryCurrency: string | null): ParsedStatementHeader {
  const iban = ownIban(statement);
  const closing = statement.balances.get('CLBD');
  return {
    format,
    account: {
      iban,
      number: iban ? statement.number : (statement.iban ?? statement.number),
      bic: statement.bic,
      holder: statement.holder ?? statement.name,
      currency: statement.currency ?? statement.balanceCurrency ?? entryCurrency ?? 'XXX',
    },
    statementId: statement.id,
    date: closing?.date ?? dateOnly(statement.to) ?? dateOnly(statement.created),
    opening: statement.balances.get('OPBD') ?? statement.balances.get('PRCD') ?? null,
  };
}

function ownIban(statement: Statement): string | null {
  if (statement.own === undefined) statement.own = validIban(statement.iban);
  return statement.own;
}

// Payers' IBANs repeat across a statement file: each is checked once (a bounded cache of validated forms, about 7 MB
// when full: room for a large collective's payers of a year; the bench's 21,000 payers overflowed 10,000).
const CHECKED_IBANS = new Map<string, string | null>();
const MAX_CHECKED_IBANS = 30_000;

function validIban(text: string | null): string | null {
  if (!text) return null;
  let iban = CHECKED_IBANS.get(text);
  if (iban === undefined) {
    const electronic = electronicFormatIBAN(text);
    iban = electronic && isValidIBAN(electronic) ? detached(electronic) : null;
    if (CHECKED_IBANS.size >= MAX_CHECKED_IBANS) CHECKED_IBANS.clear();
    CHECKED_IBANS.set(detached(text), iban);
  }
  return iban;
}

/** The parsed entries of one `<Ntry>`: none when not booked, one per detail for a batch that splits exactly. */
function entriesOf(entry: Entry, accountCurrency: string | null, own: string | null): ParsedEntry[] {
  if (entry.status !== null && entry.status !== 'BOOK') return [];
  if (!entry.amount) throw new StatementError('bank.bad_amount', entry.where, inWords('parse_detail.no_element', { name: 'Amt' }));
  const currency = entry.amount.currency ?? accountCurrency ?? 'XXX';
  const total = toMinorUnits(unsigned(entry.amount, entry.where), currency, entry.where) * signOf(entry.indicator, entry.where);
  const parts = splitAmounts(entry, total, currency);
  const base = { entry, currency, own };
  if (parts) {
    const identities = detailIdentities(entry);
    return entry.details.map((detail, i) => toParsed(base, detail, parts[i], identities[i]));
  }
  const detail = entry.details.length === 1 ? entry.details[0] : mergeDetails(entry.details);
  return [toParsed(base, detail, total, identityOf(entry, detail))];
}

/** Each detail's signed amount when there are several and they add up to the entry's amount; else null. */
function splitAmounts(entry: Entry, total: number, currency: string): number[] | null {
  if (entry.details.length < 2) return null;
  const parts: number[] = [];
  for (const detail of entry.details) {
    const amount = detail.amounts.find((a) => (a.currency ?? currency) === currency);
    if (!amount) return null;
    const sign = signOf(detail.indicator ?? entry.indicator, entry.where);
    parts.push(toMinorUnits(unsigned(amount, entry.where), currency, entry.where) * sign);
  }
  return parts.reduce((sum, part) => sum + part, 0) === total ? parts : null;
}

/** AcctSvcrRef (detail's, else entry's), else TxId, else end-to-end id; `#n` added when details share one. */
function detailIdentities(entry: Entry): (string | null)[] {
  const bases = entry.details.map((detail) => identityOf(entry, detail));
  const counts = new Map<string, number>();
  for (const base of bases) if (base !== null) counts.set(base, (counts.get(base) ?? 0) + 1);
  return bases.map((base, i) => (base !== null && (counts.get(base) ?? 0) > 1 ? `${base}#${i + 1}` : base));
}

function identityOf(entry: Entry, detail: Detail | null): string | null {
  return detail?.acctSvcrRef ?? entry.acctSvcrRef ?? detail?.txId ?? provided(detail?.endToEndId ?? null);
}

interface EntryContext {
  entry: Entry;
  currency: string;
  own: string | null;
}

function toParsed(context: EntryContext, detail: Detail | null, amount: number, identity: string | null): ParsedEntry {
  const { entry, currency } = context;
  const credit = (detail?.indicator ?? entry.indicator) === 'CRDT';
  const party = detail ? counterparty(detail, credit !== entry.reversal, context.own) : newParty();
  const iban = validIban(party.iban);
  return {
    bookingDate: requiredDate(entry.bookingDate ?? entry.valueDate, entry.where),
    valueDate: entry.valueDate ? requiredDate(entry.valueDate, entry.where) : null,
    amount,
    currency,
    counterpartyName: party.name,
    counterpartyIban: iban,
    counterpartyAccount: iban ? null : (party.iban ?? party.other),
    counterpartyBic: party.bic ? party.bic.toUpperCase() : null,
    structuredReference: structuredReference(detail?.reference ?? null),
    communication: communicationOf(entry, detail),
    bankReference: detail?.acctSvcrRef ?? entry.acctSvcrRef,
    endToEndId: provided(detail?.endToEndId ?? null),
    transactionId: detail?.txId ?? null,
    identity,
    raw: entry.raw,
  };
}

/** The Ustrd lines joined; without any, the bank's additional text of the detail (AddtlTxInf), else of the entry (AddtlNtryInf). */
function communicationOf(entry: Entry, detail: Detail | null): string | null {
  if (detail && detail.unstructured.length > 0) return detail.unstructured.join(' ');
  return detail?.additional ?? entry.additional;
}

/**
 * The other party: the debtor when the original operation was a credit to us, else the creditor (the parties
 * describe the original operation, hence the reversal flip); the other side when that one is empty or is us.
 */
function counterparty(detail: Detail, originalCredit: boolean, own: string | null): Party {
  const [first, second] = originalCredit ? [detail.debtor, detail.creditor] : [detail.creditor, detail.debtor];
  const isOwn = (p: Party) => own !== null && p.iban !== null && electronicFormatIBAN(p.iban) === own;
  const usable = (p: Party) => (p.name !== null || p.iban !== null || p.other !== null) && !isOwn(p);
  if (usable(first)) return first;
  return usable(second) ? second : newParty();
}

/** The fields all details agree on (Ustrd lines of every detail kept), for a batch that cannot be split. */
function mergeDetails(details: Detail[]): Detail | null {
  if (details.length === 0) return null;
  const merged = newDetail();
  merged.acctSvcrRef = common(details, (d) => d.acctSvcrRef);
  merged.txId = common(details, (d) => d.txId);
  merged.endToEndId = common(details, (d) => d.endToEndId);
  merged.indicator = common(details, (d) => d.indicator);
  merged.reference = common(details, (d) => d.reference);
  merged.unstructured = details.flatMap((d) => d.unstructured);
  merged.additional = common(details, (d) => d.additional);
  merged.debtor = commonParty(details.map((d) => d.debtor));
  merged.creditor = commonParty(details.map((d) => d.creditor));
  return merged;
}

function commonParty(parties: Party[]): Party {
  return {
    name: common(parties, (p) => p.name),
    iban: common(parties, (p) => p.iban),
    other: common(parties, (p) => p.other),
    bic: common(parties, (p) => p.bic),
  };
}

function common<T>(items: T[], pick: (item: T) => string | null): string | null {
  const first = pick(items[0]);
  return items.every((item) => pick(item) === first) ? first : null;
}

function signOf(indicator: string | null, where: string): 1 | -1 {
  if (indicator === 'CRDT') return 1;
  if (indicator === 'DBIT') return -1;
  throw new StatementError('bank.unreadable', where, indicator === null ? inWords('parse_detail.no_element', { name: 'CdtDbtInd' }) : `CdtDbtInd ${indicator}`);
}

/** End-to-end ids are often the literal NOTPROVIDED: that is no id. */
function provided(id: string | null): string | null {
  return id && id.toUpperCase() !== 'NOTPROVIDED' ? id : null;
}

/** A creditor reference as written, spaces removed; Belgian `+++123/4567/89012+++` kept as its 12 digits. */
function structuredReference(reference: string | null): string | null {
  if (!reference) return null;
  const compact = reference.replace(/\s+/g, '');
  const belgian = /^[+*]{3}(\d{3})\/(\d{4})\/(\d{5})[+*]{3}$/.exec(compact);
  return belgian ? belgian.slice(1).join('') : compact || null;
}

// The calendar day of an ISODate or ISODateTime; null when absent or not a day that exists (2026-13-45, 2026-04-31).
function dateOnly(text: string | null): string | null {
  return text && /^\d{4}-\d{2}-\d{2}/.test(text) && isCalendarDate(text.slice(0, 10)) ? text.slice(0, 10) : null;
}

// A date the file may leave out, refused when it is there but is no real day.
function optionalDate(text: string | null, where: string): string | null {
  return text === null ? null : requiredDate(text, where);
}

// camt amounts are unsigned (ActiveOrHistoricCurrencyAndAmount): the direction is CdtDbtInd's alone.
function unsigned(amount: Amount, where: string): string {
  if (/^\s*[+-]/.test(amount.text)) throw new StatementError('bank.bad_amount', where, amount.text);
  return amount.text;
}

function requiredDate(text: string | null, where: string): string {
  const date = dateOnly(text);
  if (!date) throw new StatementError('bank.unreadable', where, text ? inWords('parse_detail.date_value', { value: text }) : inWords('parse_detail.no_element', { name: 'BookgDt' }));
  return date;
}
