import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import type { Database } from '../../storage/schema.js';
import { isMessageKey } from '../../i18n/index.js';
import { type Db, inTransaction } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import type { Selectable } from 'kysely';
import type { BankTransactionsTable } from './bank.table.js';
import * as repo from './bank.repository.js';
import { detectFormat } from './parsers/detect.js';
import { parseStatementSource, type ParseStatementOptions } from './parsers/index.js';
import { type ByteSource, bufferSource, fileSource } from './parsers/source.js';
import { parseInThread, THREAD_MIN_BYTES } from './parsers/threaded.js';
import { type ParsedEntry, type ParsedStatementHeader, type ParseOptions, StatementError, type StatementEvent, type StatementFormat } from './parsers/types.js';

/** How an import is asked for (pages, API and CLI build this). */
export interface ImportRequest extends ParseOptions {
  filename: string;
  format?: StatementFormat;
  /** The collective's account for formats that do not name it (QIF, most CSV). */
  accountId?: number;
  dryRun?: boolean;
  /** Called every few hundred movements with the number read so far (progress bars). */
  onProgress?: (entries: number) => void;
  /**
   * Called with each batch of movements this import adds, inside its transaction (matching), as soon as their insert
   * is sent: `ids` gives their new ids, in order, once it is done. Work that needs no id (matching) can run while the
   * database inserts. The import does not wait for it before reading the next batch, only before its next query.
   */
  onAdded?: (db: Db, movements: NewMovement[], ids: Promise<number[]>) => Promise<void>;
  /** Called once every movement is in, before the transaction commits (bulk work such as memberships). */
  onDone?: (db: Db) => Promise<void>;
}

/** A movement as this import inserts it (its id comes with the insert). */
export type NewMovement = Omit<Selectable<BankTransactionsTable>, 'id'>;

/** One statement as the import saw it. */
export interface StatementSummary {
  account: string;
  currency: string;
  statementRef: string | null;
  date: string | null;
  opening: number | null;
  closing: number | null;
  entries: number;
  added: number;
  duplicates: number;
  /** Null when the file gives no balances to check. */
  balanceOk: boolean | null;
}

/** What an import did (or, in a dry run, would do). */
export interface ImportSummary {
  importId: number | null;
  filename: string;
  format: StatementFormat;
  statements: StatementSummary[];
  added: number;
  duplicates: number;
  dryRun: boolean;
}

const BATCH = 500;

class DryRunDone extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/** A statement file to import: its bytes (an upload), or its path (the command line: then never held whole in memory). */
export type StatementInput = Buffer | { path: string };

/** Imports a statement file in one transaction: all of it lands or nothing does; movements already known are skipped. */
export async function importStatementFile(db: Kysely<Database>, actor: Actor, input: StatementInput, request: ImportRequest): Promise<ImportSummary> {
  const source = Buffer.isBuffer(input) ? bufferSource(input) : fileSource(input.path);
  // XML that is not recognisably camt (a DTD before the root, another root) is read by the camt parser anyway,
  // so that the refusal names the element and line instead of "unknown format".
  const head = source.head;
  const format = request.format ?? detectFormat(head) ?? (/^\s*</.test(head.subarray(0, 256).toString('latin1').replace(/^\uFEFF/, '')) ? 'camt.053' : null);
  if (!format) throw new AppError(422, 'bank_unknown_format', 'bank.unknown_format');
  try {
    return await inTransaction(db, async (trx) => {
      const summary = await runImport(trx, actor, { input, source }, format, request);
      if (request.dryRun) throw new DryRunDone(summary);
      return summary;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.summary;
    if (error instanceof StatementError) throw unreadable(error);
    throw error;
  }
}

/** The AppError for a file that cannot be read: the parser's own message when it has one, naming where. */
export function unreadable(error: StatementError): AppError {
  const params = { where: error.where ?? '-', detail: error.detail ?? '' };
  return new AppError(422, 'bank_unreadable', isMessageKey(error.key) ? error.key : 'bank.unreadable', params);
}

async function runImport(trx: Db, actor: Actor, file: { input: StatementInput; source: ByteSource }, format: StatementFormat, request: ImportRequest): Promise<ImportSummary> {
  const importId = await repo.insertImport(trx, {
    filename: request.filename, format, sha256: sha256Of(file.source),
    account_id: request.accountId ?? null, imported_by: actor.label, imported_at: nowIso(),
  });
  const summary: ImportSummary = { importId: request.dryRun ? null : importId, filename: request.filename, format, statements: [], added: 0, duplicates: 0, dryRun: !!request.dryRun };
  const writer = new StatementWriter(trx, importId, request);
  let read = 0;
  try {
    for await (const event of eventsOf(file, { ...parseOptionsOf(request), format })) {
      if (event.type === 'statement') await writer.open(event.header);
      else if (event.type === 'entry') {
        await writer.add(event.entry);
        if (++read % BATCH === 0) request.onProgress?.(read);
      } else summary.statements.push(await writer.close(event.closing));
    }
  } finally {
    await writer.settle();
  }
  request.onProgress?.(read);
  await request.onDone?.(trx);
  summary.added = summary.statements.reduce((n, s) => n + s.added, 0);
  summary.duplicates = summary.statements.reduce((n, s) => n + s.duplicates, 0);
  await repo.updateImportSummary(trx, importId, summary);
  await recordChange(trx, actor, { action: 'bank.import', entityType: 'bank_import', entityId: importId, after: { filename: request.filename, format, added: summary.added, duplicates: summary.duplicates } });
  return summary;
}

/** The parse options of a request (plain data: they may go to a parse thread). */
function parseOptionsOf(request: ImportRequest): ParseOptions {
  return { ...(request.qifDateOrder ? { qifDateOrder: request.qifDateOrder } : {}), ...(request.csvProfile ? { csvProfile: request.csvProfile } : {}) };
}

/** The file's events: parsed in a thread of its own when the file is large, so that parsing overlaps the rest. */
function eventsOf(file: { input: StatementInput; source: ByteSource }, options: ParseStatementOptions): Iterable<StatementEvent> | AsyncIterable<StatementEvent> {
  return file.source.size >= THREAD_MIN_BYTES ? parseInThread(file.input, options) : parseStatementSource(file.source, options);
}

function sha256Of(source: ByteSource): string {
  const hash = createHash('sha256');
  for (const chunk of source.chunks()) hash.update(chunk);
  return hash.digest('hex');
}

function contentKey(entry: ParsedEntry): string {
  const parts = [entry.bookingDate, entry.amount, entry.currency, entry.counterpartyIban ?? entry.counterpartyAccount, entry.counterpartyName, entry.structuredReference, entry.communication];
  return `c:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/** Writes one statement's movements in batches, skipping those the account already has. */
class StatementWriter {
  private accountId = 0;
  private statementId = 0;
  private header: ParsedStatementHeader | null = null;
  private pending: { entry: ParsedEntry; identity: string }[] = [];
  private occurrences = new Map<string, number>();
  private stats = { entries: 0, added: 0, duplicates: 0, sum: 0 };
  /** The previous batch's writes, still running while this batch is read; awaited before the next query. */
  private behind: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly importId: number, private readonly request: ImportRequest) {}

  /** Waits for writes still running (an import that fails must not leave any running when its transaction ends). */
  async settle(): Promise<void> {
    await this.behind.catch(() => {});
  }

  async open(header: ParsedStatementHeader): Promise<void> {
    this.header = header;
    this.accountId = await resolveAccount(this.db, header, this.request.accountId);
    this.statementId = await repo.insertStatement(this.db, {
      bank_account_id: this.accountId, import_id: this.importId, statement_ref: header.statementId, statement_date: header.date,
      opening_cents: header.opening?.amount ?? null, opening_date: header.opening?.date ?? null,
      closing_cents: null, closing_date: null, entries: 0, balance_ok: null,
    });
    this.occurrences.clear();
    this.stats = { entries: 0, added: 0, duplicates: 0, sum: 0 };
  }

  async add(entry: ParsedEntry): Promise<void> {
    let identity = entry.identity;
    if (!identity) {
      const key = contentKey(entry);
      const n = (this.occurrences.get(key) ?? 0) + 1;
      this.occurrences.set(key, n);
      identity = `${key}#${n}`;
    }
    this.pending.push({ entry, identity });
    this.stats.entries++;
    this.stats.sum += entry.amount;
    if (this.pending.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    await this.behind;
    if (!batch.length) return;
    const known = await repo.selectExistingIdentities(this.db, this.accountId, batch.map((b) => b.identity));
    const seen = new Set<string>();
    const fresh = batch.filter((b) => !known.has(b.identity) && !seen.has(b.identity) && seen.add(b.identity));
    this.stats.duplicates += batch.length - fresh.length;
    const now = nowIso();
    const rows: NewMovement[] = fresh.map(({ entry: e, identity }) => ({
      bank_account_id: this.accountId, statement_id: this.statementId, import_id: this.importId, identity,
      booking_date: e.bookingDate, value_date: e.valueDate, amount_cents: e.amount, currency: e.currency,
      counterparty_name: e.counterpartyName, counterparty_iban: e.counterpartyIban, counterparty_account: e.counterpartyAccount,
      counterparty_bic: e.counterpartyBic, structured_ref: e.structuredReference, communication: e.communication,
      bank_ref: e.bankReference, end_to_end_id: e.endToEndId, tx_id: e.transactionId, raw: e.raw, created_at: now,
    }));
    if (!rows.length) return;
    this.behind = this.write(rows);
    this.behind.catch(() => {}); // its failure is thrown where it is awaited, at the next query
  }

  private async write(rows: NewMovement[]): Promise<void> {
    const ids = repo.insertTransactions(this.db, rows);
    ids.catch(() => {}); // awaited below, after the hook has used the time the insert takes
    if (this.request.onAdded) await this.request.onAdded(this.db, rows, ids);
    this.stats.added += (await ids).length; // close() awaits this before the next statement resets the counts
  }

  async close(closing: { amount: number; date: string | null } | null): Promise<StatementSummary> {
    await this.flush();
    await this.behind;
    const header = this.header as ParsedStatementHeader;
    const opening = header.opening?.amount ?? null;
    const balanceOk = opening !== null && closing ? opening + this.stats.sum === closing.amount : null;
    await repo.updateStatement(this.db, this.statementId, {
      entries: this.stats.entries, balance_ok: balanceOk === null ? null : Number(balanceOk),
      closing_cents: closing?.amount ?? null, closing_date: closing?.date ?? null,
    });
    return {
      account: header.account.iban ?? header.account.number ?? String(this.accountId), currency: header.account.currency,
      statementRef: header.statementId, date: header.date, opening, closing: closing?.amount ?? null,
      entries: this.stats.entries, added: this.stats.added, duplicates: this.stats.duplicates, balanceOk,
    };
  }
}

/** The collective's account a statement is about: found by IBAN (or number) and currency, created on first sight, or the one chosen. */
async function resolveAccount(db: Db, header: ParsedStatementHeader, chosen: number | undefined): Promise<number> {
  const { iban, number, currency, bic, holder } = header.account;
  if (!iban && !number) {
    if (chosen === undefined) throw new AppError(422, 'bank_account_required', 'bank.account_required');
    if (!(await repo.selectBankAccount(db, chosen))) throw new AppError(422, 'bank_account_required', 'bank.account_required');
    return chosen;
  }
  const known = await repo.selectAccountByIdentifiers(db, iban, iban ? null : number, currency);
  if (known) return known.id;
  return repo.insertBankAccount(db, { iban, number, bic, holder, currency, label: null, created_at: nowIso() });
}
