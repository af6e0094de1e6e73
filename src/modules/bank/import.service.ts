import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import type { Database } from '../../storage/schema.js';
import { isMessageKey } from '../../i18n/index.js';
import { planChecksAfresh } from '../../storage/bulk.js';
import { type Db, inTransaction } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import type { Selectable } from 'kysely';
import type { BankTransactionsTable } from './bank.table.js';
import * as repo from './bank.repository.js';
import { unknownAccount } from './accounts.service.js';
import { statementErrorParams } from './locations.js';
import { detectFormat } from './parsers/detect.js';
import { parseStatementSource, type ParseStatementOptions } from './parsers/index.js';
import { type ByteSource, bufferSource, fileSource } from './parsers/source.js';
import { eventChunks, startParseThread, THREAD_MIN_BYTES } from './parsers/threaded.js';
import { type ParseOptions, StatementError, type StatementEvent, type StatementFormat } from './parsers/types.js';
import { IMPORT_BATCH, StatementWriter } from './statement-writer.js';

export { IMPORT_BATCH } from './statement-writer.js';

/** How an import is asked for (pages, API and CLI build this); P is what `prepare` makes of each movement. */
export interface ImportRequest<P = unknown> extends ParseOptions {
  filename: string;
  format?: StatementFormat;
  /** The collective's account for formats that do not name it (QIF, most CSV). */
  accountId?: number;
  dryRun?: boolean;
  /** Called every few hundred movements with the number read so far and the bytes of their records (progress bars). */
  onProgress?: (entries: number, bytes: number) => void;
  /**
   * Called with each batch of movements as read, inside the import's transaction, usually before the import knows
   * which of them are new: work that needs no id (matching) runs while the database writes the movements. Calls come
   * one at a time, in the file's order; the first has no movements, as the import starts, so that what the others
   * need (the register) loads while the file is read. Returns one item per movement; onAdded gets those of the new ones.
   */
  prepare?: (db: Db, movements: NewMovement[]) => Promise<P[]>;
  /**
   * Called with each batch of movements this import adds, inside its transaction, once their insert is queued and
   * they are prepared: `ids` are their new ids in order, `prepared` what prepare made of them. Batches come in order;
   * the import reads on meanwhile (a few batches ahead at most), and waits for every call before it commits.
   */
  onAdded?: (db: Db, movements: NewMovement[], ids: number[], prepared: P[]) => Promise<void>;
  /** Called once every movement is in, before the transaction commits (bulk work such as memberships). */
  onDone?: (db: Db) => Promise<void>;
}

/** A movement as this import inserts it (its id comes with the insert). */
export type NewMovement = Omit<Selectable<BankTransactionsTable>, 'id' | 'raw'> & { raw: string | Uint8Array };

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
  const currency = await chosenCurrency(db, request);
  try {
    return await inTransaction(db, async (trx) => {
      const summary = await runImport(trx, actor, { input, source }, format, { ...request, ...(currency ? { currency } : {}) });
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
  return new AppError(422, 'bank_unreadable', isMessageKey(error.key) ? error.key : 'bank.unreadable', statementErrorParams(error));
}

async function runImport<P>(trx: Db, actor: Actor, file: { input: StatementInput; source: ByteSource }, format: StatementFormat, request: ImportRequest<P>): Promise<ImportSummary> {
  // The parse starts first: a large file's thread boots and reads ahead while the file's hash is taken.
  const parse = startParse(file, { ...parseOptionsOf(request), format });
  try {
    return await importEvents(trx, actor, { source: file.source, events: parse.events }, format, request);
  } finally {
    await parse.stop();
  }
}

type EventChunks = Iterable<StatementEvent[]> | AsyncIterable<StatementEvent[]>;

async function importEvents<P>(trx: Db, actor: Actor, file: { source: ByteSource; events: EventChunks }, format: StatementFormat, request: ImportRequest<P>): Promise<ImportSummary> {
  await planChecksAfresh(trx);
  const importId = await repo.insertImport(trx, {
    filename: request.filename, format, sha256: sha256Of(file.source),
    account_id: request.accountId ?? null, imported_by: actor.label, imported_at: nowIso(),
  });
  const summary: ImportSummary = { importId: request.dryRun ? null : importId, filename: request.filename, format, statements: [], added: 0, duplicates: 0, dryRun: !!request.dryRun };
  const writer = new StatementWriter(trx, importId, request);
  writer.warmUp();
  let read = 0;
  let bytes = 0; // of the movements' raw records: the share of the file read, near enough for a progress bar
  try {
    for await (const chunk of file.events) {
      for (const event of chunk) {
        if (event.type === 'statement') await writer.open(event.header);
        else if (event.type === 'entry') {
          const flushing = writer.add(event.entry); // a promise only when a batch is full: no await per entry
          if (flushing) await flushing;
          bytes += event.entry.raw.length;
          if (++read % IMPORT_BATCH === 0) request.onProgress?.(read, bytes);
        } else summary.statements.push(await writer.close(event.closing));
      }
    }
    await writer.finish();
  } finally {
    await writer.settle();
  }
  request.onProgress?.(read, bytes);
  await request.onDone?.(trx);
  summary.added = summary.statements.reduce((n, s) => n + s.added, 0);
  summary.duplicates = summary.statements.reduce((n, s) => n + s.duplicates, 0);
  await repo.updateImportSummary(trx, importId, summary);
  await recordChange(trx, actor, { action: 'bank.import', entityType: 'bank_import', entityId: importId, after: { filename: request.filename, format, added: summary.added, duplicates: summary.duplicates } });
  return summary;
}

// The chosen account's currency: amounts of a file that names none (QIF, most CSV) are in it. A chosen account that
// does not exist is refused here, before anything is written.
async function chosenCurrency(db: Db, request: { currency?: string; accountId?: number }): Promise<string | undefined> {
  if (request.accountId === undefined) return request.currency;
  const account = await repo.selectBankAccount(db, request.accountId);
  if (!account) throw unknownAccount(request.accountId);
  return request.currency || account.currency;
}

/** The parse options of a request (plain data: they may go to a parse thread). */
function parseOptionsOf(request: ParseOptions): ParseOptions {
  return {
    ...(request.qifDateOrder ? { qifDateOrder: request.qifDateOrder } : {}), ...(request.csvProfile ? { csvProfile: request.csvProfile } : {}),
    ...(request.currency ? { currency: request.currency } : {}),
  };
}

/** The file's events: parsed in a thread of its own when the file is large (started now), so that parsing overlaps the rest. */
function startParse(file: { input: StatementInput; source: ByteSource }, options: ParseStatementOptions): { events: EventChunks; stop(): Promise<void> } {
  if (file.source.size >= THREAD_MIN_BYTES) return startParseThread(file.input, options);
  return { events: eventChunks(parseStatementSource(file.source, options)), stop: async () => {} };
}

function sha256Of(source: ByteSource): string {
  const hash = createHash('sha256');
  for (const chunk of source.chunks()) hash.update(chunk);
  return hash.digest('hex');
}
