import { utf8Text } from '../../../core/text.js';

/** Statement file formats Ruche reads. */
export const STATEMENT_FORMATS = ['coda', 'camt.053', 'camt.054', 'ofx', 'qif', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** The account a statement is about. */
export interface ParsedAccount {
  /** IBAN without spaces, upper case, when the file gives one. */
  iban: string | null;
  /** Any other account number the file gives (OFX ACCTID, old Belgian numbers, ...). */
  number: string | null;
  bic: string | null;
  holder: string | null;
  currency: string;
}

/** A balance in minor units (cents) of the statement's currency, with its date. */
export interface ParsedBalance {
  amount: number;
  date: string | null;
}

/** A statement's header, yielded before its entries. */
export interface ParsedStatementHeader {
  format: StatementFormat;
  account: ParsedAccount;
  /** The bank's identity of the statement (camt Stmt/Id or Ntfctn/Id, CODA `2012/135`, OFX account+dates), or null. */
  statementId: string | null;
  /** Statement date (YYYY-MM-DD), or null. */
  date: string | null;
  opening: ParsedBalance | null;
}

/** One booked movement: amounts are integer minor units, positive for credits. */
export interface ParsedEntry {
  bookingDate: string;
  valueDate: string | null;
  amount: number;
  currency: string;
  counterpartyName: string | null;
  /** IBAN without spaces, upper case, when the counterparty account is an IBAN. */
  counterpartyIban: string | null;
  /** A counterparty account that is not an IBAN (kept as written). */
  counterpartyAccount: string | null;
  counterpartyBic: string | null;
  /** Structured creditor reference as written by the bank: Belgian 12 digits (no +++ or /), or `RF..`, or another scheme's. */
  structuredReference: string | null;
  /** Free-text communication (CODA 2.x/3.x parts joined; camt Ustrd lines joined with a space, else AddtlTxInf, else AddtlNtryInf). */
  communication: string | null;
  /** Bank references: camt AcctSvcrRef, CODA bank reference, OFX FITID, ... */
  bankReference: string | null;
  endToEndId: string | null;
  transactionId: string | null;
  /**
   * The format's own identity of this movement, unique in the account, stable across re-exports:
   * CODA `account/year/statement/sequence/detail`; camt AcctSvcrRef, else TxId, else end-to-end id (with the
   * detail index when an entry has several details); OFX FITID. Null when the format has none (QIF, most CSV):
   * then content plus an occurrence counter identifies it.
   */
  identity: string | null;
  /** The raw record(s) for the audit trail: text, or its UTF-8 bytes (camt, whose records are kilobytes). */
  raw: string | Uint8Array;
}

/** A movement's raw record as text. */
export function rawText(raw: string | Uint8Array): string {
  return typeof raw === 'string' ? raw : utf8Text(raw);
}

/** What a parser yields, in order: a header, its entries, its end; then the next statement. */
export type StatementEvent =
  | { type: 'statement'; header: ParsedStatementHeader }
  | { type: 'entry'; entry: ParsedEntry }
  | { type: 'end'; closing: ParsedBalance | null };

/** A file that cannot be read: the key of the message, where (line or element path) and the detail. */
export class StatementError extends Error {
  constructor(
    readonly key: string,
    readonly where: string | null = null,
    readonly detail: string | null = null,
  ) {
    super(`${key}${where ? ` at ${where}` : ''}${detail ? `: ${detail}` : ''}`);
  }
}

/** A saved CSV column mapping (see csv.ts). */
export interface CsvProfile {
  name: string;
  delimiter?: string;
  encoding?: 'utf-8' | 'windows-1252';
  /** `1.234,56` style amounts: decimal comma (thousands separator '.' or ' '). */
  decimalComma: boolean;
  /** e.g. 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD', 'DD.MM.YYYY'. */
  dateFormat: string;
  /** Header names (or 1-based column numbers as text) of each field. */
  columns: {
    date: string;
    valueDate?: string;
    /** One signed amount column... */
    amount?: string;
    /** ...or separate debit and credit columns... */
    debit?: string;
    credit?: string;
    /** ...or an unsigned amount with a D/C indicator column. */
    indicator?: string;
    currency?: string;
    counterpartyName?: string;
    counterpartyAccount?: string;
    communication?: string;
    reference?: string;
    bankReference?: string;
  };
  /** Values of the indicator column meaning debit (e.g. ['D', 'Debit', 'DBIT']). */
  debitValues?: string[];
  /** Currency when the file has no currency column. */
  currency?: string;
  /** Our own account's IBAN when the file does not say it. */
  accountIban?: string;
}

/** Options some formats need: QIF date order when ambiguous, the CSV mapping profile. */
export interface ParseOptions {
  qifDateOrder?: 'dmy' | 'mdy' | 'ymd';
  csvProfile?: CsvProfile;
  /** The currency of the account chosen for the import: that of amounts in a file that names none (QIF, most CSV). */
  currency?: string;
}

/** A parser: reads the whole file's bytes and yields events; throws StatementError on broken or hostile input. */
export type StatementParser = (bytes: Buffer, options?: ParseOptions) => Generator<StatementEvent>;
