// Writes the statements of an import: batches of movements checked against what the account has, inserted in bulk,
// and prepared (matched) while the database writes them.
import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { nowIso } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { accountName } from './accounts.service.js';
import * as repo from './bank.repository.js';
import type { ImportRequest, NewMovement, StatementSummary } from './import.service.js';
import type { ParsedEntry, ParsedStatementHeader } from './parsers/types.js';

/** Movements checked, prepared and written together (a progress report comes with each). */
export const IMPORT_BATCH = 1_000;
// Movements prepared (matched) at a time between two turns of the event loop.
const PREPARE_SLICE = 50;
/**
 * Batches whose movements may be written before they are prepared: the database is not left waiting while this
 * thread matches (the first batches wait for the register to be indexed), and memory stays bounded.
 */
export const PREPARE_LEAD = 4;

function contentKey(entry: ParsedEntry): string {
  const parts = [entry.bookingDate, entry.amount, entry.currency, entry.counterpartyIban ?? entry.counterpartyAccount, entry.counterpartyName, entry.structuredReference, entry.communication];
  return `c:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/**
 * Writes one statement's movements in batches, skipping those the account already has. A batch's movements are
 * written once checked; its preparation (matching) runs meanwhile, and what needs both (onAdded: allocations)
 * follows, so that the database works while this thread matches, up to PREPARE_LEAD batches ahead.
 */
export class StatementWriter<P> {
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
  /** Preparations not yet done, oldest first; each waits for the one before it. */
  private readonly preparing: Promise<void>[] = [];

  constructor(private readonly db: Db, private readonly importId: number, private readonly request: ImportRequest<P>) {}

  /** Starts preparing an empty batch, so that what preparing needs (the register, to match) loads while the file's first movements are read. */
  warmUp(): void {
    if (this.request.prepare) void this.prepareInTurn([]);
  }

  /** Waits for writes still running (an import that fails must not leave any running when its transaction ends). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  /** Waits for the writes still running and throws the first failure, if any (once the file is read). */
  async finish(): Promise<void> {
    await this.settle();
    this.failed();
  }

  /**
   * Starts a statement. Its row is written with its first new movement (or, for a statement without movements, at its
   * end when the account does not have it yet): a statement whose movements were all known adds no row.
   */
  async open(header: ParsedStatementHeader): Promise<void> {
    this.header = header;
    this.accountId = await this.accountOf(header);
    this.statementId = 0;
    this.occurrences.clear();
    this.stats = { entries: 0, added: 0, duplicates: 0, sum: 0 };
  }

  // Writes the statement's row (its movements point to it: on PostgreSQL, a movement's statement is of its own import).
  private async insertStatement(closing: { amount: number; date: string | null } | null = null, balanceOk: boolean | null = null): Promise<void> {
    const header = this.header as ParsedStatementHeader;
    const statement = repo.startInsertStatement(this.db, {
      bank_account_id: this.accountId, import_id: this.importId, statement_ref: header.statementId, statement_date: header.date,
      opening_cents: header.opening?.amount ?? null, opening_date: header.opening?.date ?? null,
      closing_cents: closing?.amount ?? null, closing_date: closing?.date ?? null,
      entries: this.stats.entries, balance_ok: balanceOk === null ? null : Number(balanceOk),
    });
    this.track(statement.written);
    [this.statementId] = await statement.ids.catch((error) => this.rootOf(error));
  }

  /** Queues a movement; returns the batch's flush when this one filled it (await it), else nothing. */
  add(entry: ParsedEntry): Promise<void> | null {
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
    return this.pending.length >= IMPORT_BATCH ? this.flush() : null;
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    if (!batch.length) return;
    const rows = this.rowsOf(batch);
    await this.queued;
    this.failed();
    const probe = repo.selectExistingIdentities(this.db, this.accountId, rows.map((r) => r.identity));
    probe.catch(() => {}); // awaited below, while the batch is prepared
    const early = this.mostlyNew ? this.prepareInTurn(rows) : null;
    const known = await probe.catch((error) => this.rootOf(error));
    const seen = new Set<string>();
    const keep = rows.map((r) => !known.has(r.identity) && !seen.has(r.identity) && !!seen.add(r.identity));
    const fresh = rows.filter((_, i) => keep[i]);
    this.stats.duplicates += rows.length - fresh.length;
    this.mostlyNew = fresh.length * 2 >= rows.length;
    if (!fresh.length) return;
    this.stats.added += fresh.length;
    if (!this.statementId) {
      await this.insertStatement();
      for (const row of fresh) row.statement_id = this.statementId;
    }
    // The movements are written at once; what needs them prepared (allocations) follows when their preparation ends.
    const insert = repo.startInsertTransactions(this.db, fresh);
    this.queued = insert.ids;
    this.track(insert.written);
    const prepared = early ? early.then((items) => items.filter((_, i) => keep[i])) : this.prepareInTurn(fresh);
    const { onAdded } = this.request;
    this.track(onAdded ? Promise.all([insert.ids, prepared]).then(([ids, items]) => onAdded(this.db, fresh, ids, items)) : prepared);
    while (this.preparing.length > PREPARE_LEAD) await this.preparing[0];
  }

  // Prepares batches one after the other, in the order they were read, while the database writes their movements.
  private prepareInTurn(rows: NewMovement[]): Promise<P[]> {
    const previous = this.preparing.at(-1) ?? Promise.resolve();
    const prepared = previous.then(() => this.prepare(rows));
    const done = prepared.then(() => {}, () => {});
    this.preparing.push(done);
    void done.then(() => this.preparing.splice(this.preparing.indexOf(done), 1));
    this.track(prepared);
    return prepared;
  }

  // The account of a statement, looked up once per import (a file holds many statements of one account).
  private async accountOf(header: ParsedStatementHeader): Promise<number> {
    const { iban, number, currency } = header.account;
    const key = JSON.stringify([iban, number, currency]);
    let id = this.accounts.get(key);
    if (id === undefined) this.accounts.set(key, (id = await resolveAccount(this.db, header, this.request.accountId)));
    return id;
  }

  // Whether the account already has this statement (one without movements: its row is all there is of it).
  private async known(header: ParsedStatementHeader): Promise<boolean> {
    await this.queued;
    return repo.statementExists(this.db, this.accountId, header.statementId, header.date, header.opening?.amount ?? null)
      .catch((error) => this.rootOf(error));
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
    if (!rows.length) return prepare(this.db, []); // a warm-up
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

  // How the account chosen for a file that names none (QIF, most CSV) is shown: its IBAN, number or label.
  private async chosenAccountName(): Promise<string> {
    const account = await repo.selectBankAccount(this.db, this.accountId).catch((error) => this.rootOf(error));
    return accountName(account ?? { id: this.accountId, iban: null, number: null });
  }

  /** Ends a statement without waiting for its writes: the next statement's batches overlap them. */
  async close(closing: { amount: number; date: string | null } | null): Promise<StatementSummary> {
    await this.flush();
    this.failed();
    const header = this.header as ParsedStatementHeader;
    const opening = header.opening?.amount ?? null;
    const balanceOk = opening !== null && closing ? opening + this.stats.sum === closing.amount : null;
    if (this.statementId) {
      this.track(repo.updateStatement(this.db, this.statementId, {
        entries: this.stats.entries, balance_ok: balanceOk === null ? null : Number(balanceOk),
        closing_cents: closing?.amount ?? null, closing_date: closing?.date ?? null,
      }));
    } else if (!this.stats.entries && !(await this.known(header))) {
      await this.insertStatement(closing, balanceOk); // a statement without movements: known by its reference and date
    }
    return {
      account: header.account.iban ?? header.account.number ?? (await this.chosenAccountName()), currency: header.account.currency,
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
