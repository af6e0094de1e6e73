// Reads OFX bank and credit card statements: 1.x (SGML, leaf elements left unclosed) and 2.x (XML, no DTD).
import { composeIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { SaxesParser } from 'saxes';
import { decodeText, isCalendarDate, normalIban } from './detect.js';
import { inWords, saxesDetail } from './details.js';
import { toMinorUnits } from './money.js';
import {
  type ParseOptions, type ParsedAccount, type ParsedBalance, type ParsedEntry, type ParsedStatementHeader,
  StatementError, type StatementEvent,
} from './types.js';

/** An element of the file: a leaf has a value, an aggregate has children. */
interface OfxNode {
  name: string;
  line: number;
  value: string | null;
  children: OfxNode[];
  /** Offsets of the element in the decoded text (for the raw record). */
  start: number;
  end: number;
}

/** One statement of the file, checked whole. */
interface OfxStatement {
  header: ParsedStatementHeader;
  entries: ParsedEntry[];
  closing: ParsedBalance | null;
}

/** Parses an OFX file; the whole file is read and checked before the first event is yielded. */
export function* parseOfx(bytes: Buffer, _options?: ParseOptions): Generator<StatementEvent> {
  for (const statement of readOfx(bytes)) {
    yield { type: 'statement', header: statement.header };
    for (const entry of statement.entries) yield { type: 'entry', entry };
    yield { type: 'end', closing: statement.closing };
  }
}

// Reads every statement (STMTRS, CCSTMTRS) of an OFX file, or throws a StatementError naming the line and element.
function readOfx(bytes: Uint8Array): OfxStatement[] {
  const text = decodeText(bytes);
  const root = /^\s*<\?(?:xml|OFX)[\s?]/i.test(text) ? parseXml(text) : parseSgml(text);
  const ofx = root.children.find((n) => n.name === 'OFX');
  if (!ofx) throw new StatementError('bank.ofx_malformed', 'line 1', inWords('parse_detail.no_element', { name: '<OFX>' }));
  const statements = findAll(ofx, new Set(['STMTRS', 'CCSTMTRS'])).map((rs) => readStatement(rs, text));
  if (statements.length === 0) throw new StatementError('bank.ofx_no_statement', at(ofx), inWords('parse_detail.ofx_no_statement'));
  return statements;
}

// ---- SGML (OFX 1.x) ----

const SGML_TAG = /<(\/?)([A-Za-z0-9_.]+)\s*>/y;
const SGML_SKIP = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>/y;

// Reads the SGML body into a tree: an element followed by text is a leaf, whose closing tag is optional.
function parseSgml(text: string): OfxNode {
  const root = newNode('#document', 0, 0);
  const stack: OfxNode[] = [root];
  const lines = new LineCounter(text);
  let leaf: OfxNode | null = null; // the leaf just read: its optional closing tag may follow
  let pos = text.indexOf('<');
  if (pos < 0) throw new StatementError('bank.ofx_malformed', 'line 1', inWords('parse_detail.no_element', { name: '<OFX>' }));
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const content = text.slice(pos, lt < 0 ? text.length : lt);
    if (content.trim() !== '') leaf = sgmlText(stack, content, lines.at(pos), lt < 0 ? text.length : lt);
    if (lt < 0) break;
    pos = sgmlMarkup(text, lt, stack, lines, leaf);
    leaf = null;
  }
  if (stack.length > 1) throw truncated(stack[stack.length - 1], lines.at(text.length));
  return root;
}

// Text makes the element just opened a leaf (closed at once); text anywhere else is an error.
function sgmlText(stack: OfxNode[], content: string, line: number, end: number): OfxNode {
  const top = stack[stack.length - 1];
  if (stack.length === 1 || top.children.length > 0 || top.value !== null) {
    throw new StatementError('bank.ofx_malformed', `line ${line}`, inWords('parse_detail.unexpected_text', { text: content.trim().slice(0, 40) }));
  }
  top.value = unescapeSgml(content.trim());
  top.end = end;
  stack.pop();
  return top;
}

// Reads the markup at `lt` (tag, comment, processing instruction) and returns where it ends.
function sgmlMarkup(text: string, lt: number, stack: OfxNode[], lines: LineCounter, leaf: OfxNode | null): number {
  SGML_SKIP.lastIndex = lt;
  if (SGML_SKIP.test(text)) return SGML_SKIP.lastIndex;
  SGML_TAG.lastIndex = lt;
  const tag = SGML_TAG.exec(text);
  if (!tag) {
    const line = lines.at(lt);
    if (!text.includes('>', lt)) throw truncated(stack[stack.length - 1], line);
    throw new StatementError('bank.ofx_malformed', `line ${line}`, inWords('parse_detail.ofx_bad_tag', { tag: text.slice(lt, text.indexOf('>', lt) + 1).slice(0, 40) }));
  }
  const end = SGML_TAG.lastIndex;
  const name = tag[2].toUpperCase();
  if (tag[1] === '') {
    const node = newNode(name, lines.at(lt), lt);
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  } else if (leaf && leaf.name === name) {
    leaf.end = end;
  } else closeSgml(stack, name, lines.at(lt), end);
  return end;
}

function closeSgml(stack: OfxNode[], name: string, line: number, end: number): void {
  const top = stack[stack.length - 1];
  if (stack.length === 1 || top.name !== name) {
    const closes = stack.length === 1 ? inWords('parse_detail.ofx_closes_nothing', { name }) : inWords('parse_detail.ofx_closes_other', { name, open: top.name, line: top.line });
    throw new StatementError('bank.ofx_malformed', `line ${line}`, closes);
  }
  if (top.children.length === 0) top.value = '';
  top.end = end;
  stack.pop();
}

function truncated(open: OfxNode, line: number): StatementError {
  const ends = open.name === '#document' ? inWords('parse_detail.ofx_ends') : inWords('parse_detail.ofx_ends_inside', { name: open.name, line: open.line });
  return new StatementError('bank.ofx_truncated', `line ${line}`, ends);
}

const SGML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

function unescapeSgml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, ref: string) => {
    if (ref[0] !== '#') return SGML_ENTITIES[ref.toLowerCase()] ?? all;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** Turns offsets into line numbers, for offsets read in increasing order. */
class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  at(offset: number): number {
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.offset = Math.max(this.offset, offset);
    return this.line;
  }
}

// ---- XML (OFX 2.x) ----

// Reads an OFX 2 file with a strict XML parser; a DOCTYPE (hence any entity declaration) is refused.
function parseXml(source: string): OfxNode {
  // The XML declaration must come first: leading blank lines are skipped, and counted back into lines and offsets.
  const text = source.trimStart();
  const tree = new XmlTree(source.length - text.length, source.slice(0, source.length - text.length).split('\n').length - 1);
  const parser = new SaxesParser({ position: true });
  parser.on('doctype', () => {
    throw new StatementError('bank.xml_hostile', `line ${tree.shiftLines + parser.line}`, inWords('parse_detail.doctype'));
  });
  parser.on('opentagstart', () => tree.tagStart(text.lastIndexOf('<', parser.position - 1), parser.line));
  parser.on('opentag', (tag) => tree.open(tag.name));
  parser.on('text', (data) => tree.text(data));
  parser.on('cdata', (data) => tree.text(data));
  parser.on('closetag', () => tree.close(parser.position));
  parser.on('error', (error) => {
    throw xmlError(error, tree.shiftLines);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    throw xmlError(error, tree.shiftLines);
  }
  return tree.root;
}

/** Builds the element tree from the XML parser's events (offsets and lines counted in the whole decoded file). */
class XmlTree {
  readonly root = newNode('#document', 0, 0);
  private readonly stack: OfxNode[] = [this.root];
  private readonly texts: string[] = [''];
  private start = 0;
  private line = 1;

  constructor(readonly shift: number, readonly shiftLines: number) {}

  tagStart(offset: number, line: number): void {
    this.start = this.shift + offset;
    this.line = this.shiftLines + line;
  }

  open(name: string): void {
    const node = newNode(name, this.line, this.start);
    this.stack[this.stack.length - 1].children.push(node);
    this.stack.push(node);
    this.texts.push('');
  }

  text(data: string): void {
    this.texts[this.texts.length - 1] += data;
  }

  // A leaf keeps its text; an aggregate may only hold blanks between its elements.
  close(offset: number): void {
    const node = this.stack.pop() as OfxNode;
    const content = (this.texts.pop() as string).trim();
    node.end = this.shift + offset;
    if (node.children.length === 0) node.value = content;
    else if (content !== '') throw new StatementError('bank.ofx_malformed', at(node), inWords('parse_detail.unexpected_text', { text: content.slice(0, 40) }));
  }
}

function xmlError(error: unknown, shiftLines: number): StatementError {
  if (error instanceof StatementError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const match = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(message);
  if (!match) return new StatementError('bank.xml_malformed', null, saxesDetail(message));
  return new StatementError('bank.xml_malformed', `line ${Number(match[1]) + shiftLines}`, saxesDetail(match[3]));
}

// ---- Statements ----

function readStatement(rs: OfxNode, source: string): OfxStatement {
  requireAll(rs, ['CURDEF', rs.name === 'STMTRS' ? 'BANKACCTFROM' : 'CCACCTFROM']);
  const currency = currencyCode(required(rs, 'CURDEF'));
  const account = readAccount(required(rs, rs.name === 'STMTRS' ? 'BANKACCTFROM' : 'CCACCTFROM'), currency);
  const lists = rs.children.filter((n) => n.name === 'BANKTRANLIST');
  const entries = lists.flatMap((list) => list.children.filter((n) => n.name === 'STMTTRN')).map((trn) => readEntry(trn, currency, source));
  const closing = readBalance(child(rs, 'LEDGERBAL'), currency);
  const start = lists.map((l) => optionalDate(l, 'DTSTART')).filter(isString).sort()[0] ?? null;
  const end = lists.map((l) => optionalDate(l, 'DTEND')).filter(isString).sort().pop() ?? null;
  const statementId = start && end ? `${account.number} ${start}/${end}` : null;
  const header: ParsedStatementHeader = { format: 'ofx', account, statementId, date: end ?? closing?.date ?? null, opening: null };
  return { header, entries, closing };
}

function readAccount(from: OfxNode, currency: string): ParsedAccount {
  const number = leafValue(required(from, 'ACCTID'));
  const bankId = optionalValue(from, 'BANKID');
  return {
    iban: normalIban(number) ?? frenchIban(bankId, optionalValue(from, 'BRANCHID'), number),
    number,
    bic: bankId && isValidBIC(bankId.toUpperCase()) ? bankId.toUpperCase() : null,
    holder: null,
    currency,
  };
}

function readEntry(trn: OfxNode, statementCurrency: string, source: string): ParsedEntry {
  const currencyNode = child(trn, 'CURRENCY');
  const currency = currencyNode ? currencyCode(required(currencyNode, 'CURSYM')) : statementCurrency;
  requireAll(trn, ['DTPOSTED', 'TRNAMT', 'FITID']);
  const fitid = leafValue(required(trn, 'FITID'));
  const payee = child(trn, 'PAYEE');
  const counterparty = readCounterparty(child(trn, 'BANKACCTTO') ?? child(trn, 'CCACCTTO'));
  return {
    bookingDate: ofxDate(required(trn, 'DTPOSTED')),
    valueDate: optionalDate(trn, 'DTAVAIL'),
    amount: ofxAmount(required(trn, 'TRNAMT'), currency),
    currency,
    counterpartyName: optionalValue(trn, 'NAME') ?? (payee ? optionalValue(payee, 'NAME') : null),
    ...counterparty,
    structuredReference: null,
    communication: optionalValue(trn, 'MEMO'),
    bankReference: fitid,
    endToEndId: null,
    transactionId: optionalValue(trn, 'REFNUM') ?? optionalValue(trn, 'CHECKNUM'),
    identity: fitid,
    raw: source.slice(trn.start, trn.end),
  };
}

type Counterparty = Pick<ParsedEntry, 'counterpartyIban' | 'counterpartyAccount' | 'counterpartyBic'>;

function readCounterparty(to: OfxNode | undefined): Counterparty {
  if (!to) return { counterpartyIban: null, counterpartyAccount: null, counterpartyBic: null };
  const number = optionalValue(to, 'ACCTID');
  const bankId = optionalValue(to, 'BANKID');
  const iban = number ? normalIban(number) ?? frenchIban(bankId, optionalValue(to, 'BRANCHID'), number) : null;
  return {
    counterpartyIban: iban,
    counterpartyAccount: iban ? null : number,
    counterpartyBic: bankId && isValidBIC(bankId.toUpperCase()) ? bankId.toUpperCase() : null,
  };
}

function readBalance(node: OfxNode | undefined, currency: string): ParsedBalance | null {
  if (!node) return null;
  return { amount: ofxAmount(required(node, 'BALAMT'), currency), date: optionalDate(node, 'DTASOF') };
}

// ---- Values ----

// French banks write the RIB in BANKID (5 digits), BRANCHID (5) and ACCTID (11): the IBAN follows from its key.
function frenchIban(bankId: string | null, branchId: string | null, account: string): string | null {
  if (!bankId || !branchId || !/^\d{5}$/.test(bankId) || !/^\d{5}$/.test(branchId) || !/^[0-9A-Z]{11}$/i.test(account)) return null;
  const digits = account.toUpperCase().replace(/[A-Z]/g, (c) => String(((c.charCodeAt(0) - 65 + (c >= 'S' ? 1 : 0)) % 9) + 1));
  const key = 97 - ((89 * Number(bankId) + 15 * Number(branchId) + 3 * Number(digits)) % 97);
  const iban = composeIBAN({ countryCode: 'FR', bban: `${bankId}${branchId}${account.toUpperCase()}${String(key).padStart(2, '0')}` });
  return iban && isValidIBAN(iban) ? iban : null;
}

const OFX_DATE = /^(\d{4})(\d{2})(\d{2})(?:\d{2}(?:\d{2}(?:\d{2}(?:[.,]\d{1,6})?)?)?)?\s*(?:\[\s*[+-]?\d{1,2}(?:[.:]\d{1,2})?(?::[^\]]*)?\])?$/;

// The calendar date as the bank wrote it (the time and time zone are dropped: statements are in the bank's days).
function ofxDate(node: OfxNode): string {
  const value = leafValue(node);
  const match = OFX_DATE.exec(value);
  const date = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!match || !isCalendarDate(date)) throw new StatementError('bank.bad_date', at(node), value);
  return date;
}

function optionalDate(parent: OfxNode, name: string): string | null {
  const node = child(parent, name);
  return node && leafValue(node) !== '' ? ofxDate(node) : null;
}

// OFX allows a decimal comma; no thousands separators.
function ofxAmount(node: OfxNode, currency: string): number {
  let value = leafValue(node).replace(/\s+/g, '');
  if (!value.includes('.') && /^[+-]?\d*,\d+$/.test(value)) value = value.replace(',', '.');
  value = value.replace(/^([+-]?)\./, '$10.');
  if (value === '') throw new StatementError('bank.ofx_missing_element', at(node), inWords('parse_detail.empty_element', { name: `<${node.name}>` }));
  return toMinorUnits(value, currency, at(node));
}

function currencyCode(node: OfxNode): string {
  const value = leafValue(node).toUpperCase();
  if (!/^[A-Z]{3}$/.test(value)) throw new StatementError('bank.ofx_bad_value', at(node), inWords('parse_detail.currency_value', { value }));
  return value;
}

// ---- Tree helpers ----

function newNode(name: string, line: number, start: number): OfxNode {
  return { name, line, value: null, children: [], start, end: start };
}

function at(node: OfxNode): string {
  return `line ${node.line} <${node.name}>`;
}

function child(parent: OfxNode, name: string): OfxNode | undefined {
  return parent.children.find((n) => n.name === name);
}

function required(parent: OfxNode, name: string): OfxNode {
  const node = child(parent, name);
  if (!node) throw new StatementError('bank.ofx_missing_element', at(parent), inWords('parse_detail.missing_elements', { names: [`<${name}>`] }));
  return node;
}

// Names every missing element at once ("missing <DTPOSTED>, <TRNAMT>, <FITID>").
function requireAll(parent: OfxNode, names: string[]): void {
  const missing = names.filter((name) => !child(parent, name));
  if (missing.length > 0) {
    throw new StatementError('bank.ofx_missing_element', at(parent), inWords('parse_detail.missing_elements', { names: missing.map((n) => `<${n}>`) }));
  }
}

function leafValue(node: OfxNode): string {
  if (node.value === null) throw new StatementError('bank.ofx_malformed', at(node), inWords('parse_detail.element_needs_value', { name: `<${node.name}>` }));
  if (node.value === '') {
    throw new StatementError('bank.ofx_missing_element', at(node), inWords('parse_detail.empty_element', { name: `<${node.name}>` }));
  }
  return node.value;
}

function optionalValue(parent: OfxNode, name: string): string | null {
  const node = child(parent, name);
  if (!node || node.value === '') return null;
  return leafValue(node);
}

function findAll(node: OfxNode, names: Set<string>): OfxNode[] {
  if (names.has(node.name)) return [node];
  return node.children.flatMap((n) => findAll(n, names));
}

function isString(value: string | null): value is string {
  return value !== null;
}
