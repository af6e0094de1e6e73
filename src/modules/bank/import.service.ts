import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
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

/** How an import is asked for (pages, API and CLI build this); P is what `prepare` makes of each movement. */
export interface ImportRequest<P = unknown> extends ParseOptions {
  filename: string;
  format?: StatementFormat;
  /** The collective's account for formats that do not name it (QIF, most CSV). */
  accountId?: number;
  dryRun?: boolean;
  /** Called every few hundred movements with the number read so far (progress bars). */
  onProgress?: (entries: number) => void;
  /**
   * Called with each batch of movements as read, inside the import's transaction, usually before the import knows
   * which of them are new: work that needs no id (matching) runs while the database writes the previous batch.
   * Returns one item per movement; onAdded gets those of the new ones.
   */
  prepare?: (db: Db, movements: NewMovement[]) => Promise<P[]>;
  /**
   * Called with each batch of movements this import adds, inside its transaction, once their insert is queued:
   * `ids` are their new ids in order, `prepared` what prepare made of them. The import reads on meanwhile, and waits
   * for it before it closes the statement.
   */
  onAdded?: (db: Db, movements: NewMovement[], ids: number[], prepared: P[]) => Promise<void>;
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

/** Movements checked, prepared and written together (a progress report comes with each). */
export const IMPORT_BATCH = 1_000;
// Movements prepared (matched) at a time between two turns of the event loop.
const PREPARE_SLICE = 50;

class DryRunDone extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/** A statement file to import: its bytes (an upload), or its path (the command line: then never held whole in memory). */
export type StatementInput = Buffer | { path: string };

/** Imports a statement file in one transaction: all of it lands or nothing does; movements already known are skipped. */
export async function importStatementFile<P>(db: Kysely<Database>, actor: Actor, input: StatementInput, request: ImportRequest<P>): Promise<ImportSummary> {
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

async function runImport<P>(trx: Db, actor: Actor, file: { input: StatementInput; source: ByteSource }, format: StatementFormat, request: ImportRequest<P>): Promise<ImportSummary> {
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
        if (++read % IMPORT_BATCH === 0) request.onProgress?.(read);
      } else summary.statements.push(await writer.close(event.closing));
    }
    await writer.finish();
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
function parseOptionsOf(request: ParseOptions): ParseOptions {
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

/**
 * Writes one statement's movements in batches, skipping those the account already has. A batch is prepared (matched)
 * while the previous one is written: the database works on batch n while this thread matches batch n + 1.
 */
class StatementWriter<P> {
  private accountId = 0;
  private statementId = 0;
  private header: ParsedStatementHeader | null = null;
  private pending: { entry: ParsedEntry; identity: string }[] = [];
  private occurrences = new Map<string, number>();
  private stats = { entries: 0, added: 0, duplicates: 0, sum: 0 };
  /** Writes still running (movements, and what onAdded writes); they never reject: their first failure is kept. */
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;
  /** The last batch's ids: once known, its insert is queued, and the next batch's duplicate check comes after it. */
  private queued: Promise<unknown> = Promise.resolve();
  /** Whether the last batch was mostly new; a re-import's batches are checked before they are prepared. */
  private mostlyNew = true;
  private readonly accounts = new Map<string, number>();

  constructor(private readonly db: Db, private readonly importId: number, private readonly request: ImportRequest<P>) {}

  /** Waits for writes still running (an import that fails must not leave any running when its transaction ends). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  /** Waits for the writes still running and throws the first failure, if any (once the file is read). */
  async finish(): Promise<void> {
    await this.settle();
    this.failed();
  }

  async open(header: ParsedStatementHeader): Promise<void> {
    this.header = header;
    this.accountId = await this.accountOf(header);
    const statement = repo.startInsertStatement(this.db, {
      bank_account_id: this.accountId, import_id: this.importId, statement_ref: header.statementId, statement_date: header.date,
      opening_cents: header.opening?.amount ?? null, opening_date: header.opening?.date ?? null,
      closing_cents: null, closing_date: null, entries: 0, balance_ok: null,
    });
    this.track(statement.written);
    [this.statementId] = await statement.ids.catch((error) => this.rootOf(error));
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
    if (this.pending.length >= IMPORT_BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    if (!batch.length) return;
    const rows = this.rowsOf(batch);
    await this.queued;
    this.failed();
    const probe = repo.selectExistingIdentities(this.db, this.accountId, rows.map((r) => r.identity));
    probe.catch(() => {}); // awaited below, once the batch is prepared
    const early = this.mostlyNew ? await this.prepare(rows) : null;
    const known = await probe.catch((error) => this.rootOf(error));
    const seen = new Set<string>();
    const keep = rows.map((r) => !known.has(r.identity) && !seen.has(r.identity) && !!seen.add(r.identity));
    const fresh = rows.filter((_, i) => keep[i]);
    this.stats.duplicates += rows.length - fresh.length;
    this.mostlyNew = fresh.length * 2 >= rows.length;
    if (!fresh.length) return;
    const prepared = early ? early.filter((_, i) => keep[i]) : await this.prepare(fresh);
    this.stats.added += fresh.length;
    const insert = repo.startInsertTransactions(this.db, fresh);
    this.queued = insert.ids;
    this.track(insert.written);
    const { onAdded } = this.request;
    if (onAdded) this.track(insert.ids.then((ids) => onAdded(this.db, fresh, ids, prepared)));
  }

  // The account of a statement, looked up once per import (a file holds many statements of one account).
  private async accountOf(header: ParsedStatementHeader): Promise<number> {
    const { iban, number, currency } = header.account;
    const key = JSON.stringify([iban, number, currency]);
    let id = this.accounts.get(key);
    if (id === undefined) this.accounts.set(key, (id = await resolveAccount(this.db, header, this.request.accountId)));
    return id;
  }

  private rowsOf(batch: { entry: ParsedEntry; identity: string }[]): NewMovement[] {
    const now = nowIso();
    return batch.map(({ entry: e, identity }) => ({
      bank_account_id: this.accountId, statement_id: this.statementId, import_id: this.importId, identity,
      booking_date: e.bookingDate, value_date: e.valueDate, amount_cents: e.amount, currency: e.currency,
      counterparty_name: e.counterpartyName, counterparty_iban: e.counterpartyIban, counterparty_account: e.counterpartyAccount,
      counterparty_bic: e.counterpartyBic, structured_ref: e.structuredReference, communication: e.communication,
      bank_ref: e.bankReference, end_to_end_id: e.endToEndId, tx_id: e.transactionId, raw: e.raw, created_at: now,
    }));
  }

  // In slices, letting the event loop run between them: the database's replies are handled meanwhile (the next
  // query, a COPY's data), so that it is not left waiting while this thread matches.
  private async prepare(rows: NewMovement[]): Promise<P[]> {
    const { prepare } = this.request;
    if (!prepare) return [];
    const prepared: P[] = [];
    for (let i = 0; i < rows.length; i += PREPARE_SLICE) {
      if (i) await setImmediate();
      for (const item of await prepare(this.db, rows.slice(i, i + PREPARE_SLICE))) prepared.push(item);
    }
    return prepared;
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.then(() => {}, (error: unknown) => {
      this.failure ??= { error };
    });
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
  }

  /** Throws the first failure of a write, if any. */
  private failed(): void {
    if (this.failure) throw this.failure.error;
  }

  // A query refused because an earlier write failed (PostgreSQL: "transaction is aborted"): that write's error is the one to tell.
  private async rootOf(error: unknown): Promise<never> {
    await this.settle();
    this.failed();
    throw error;
  }

  /** Ends a statement without waiting for its writes: the next statement's batches overlap them. */
  async close(closing: { amount: number; date: string | null } | null): Promise<StatementSummary> {
    await this.flush();
    this.failed();
    const header = this.header as ParsedStatementHeader;
    const opening = header.opening?.amount ?? null;
    const balanceOk = opening !== null && closing ? opening + this.stats.sum === closing.amount : null;
    this.track(repo.updateStatement(this.db, this.statementId, {
      entries: this.stats.entries, balance_ok: balanceOk === null ? null : Number(balanceOk),
      closing_cents: closing?.amount ?? null, closing_date: closing?.date ?? null,
    }));
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
