import { type Insertable, sql } from 'kysely';
import { type BulkInsert, startInsertMany } from '../../storage/bulk.js';
import { type Db, isSqlite } from '../../storage/database.js';
import type { BankAccountsTable, BankStatementsTable, BankTransactionsTable } from './bank.table.js';

/** A bank account in a currency by IBAN, or by its other number when it has no IBAN. */
export async function selectAccountByIdentifiers(db: Db, iban: string | null, number: string | null, currency: string) {
  const inCurrency = db.selectFrom('bank_accounts').selectAll().where('currency', '=', currency);
  if (iban) return inCurrency.where('iban', '=', iban).executeTakeFirst();
  if (number) return inCurrency.where('number', '=', number).where('iban', 'is', null).executeTakeFirst();
  return undefined;
}

/** One bank account. */
export async function selectBankAccount(db: Db, id: number) {
  return db.selectFrom('bank_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every bank account. */
export async function selectBankAccounts(db: Db) {
  return db.selectFrom('bank_accounts').selectAll().orderBy('id').execute();
}

/** Sets (or clears) a bank account's label. */
export async function updateBankAccountLabel(db: Db, id: number, label: string | null): Promise<void> {
  await db.updateTable('bank_accounts').set({ label }).where('id', '=', id).execute();
}

/** Inserts a bank account; returns its id. */
export async function insertBankAccount(db: Db, row: Insertable<BankAccountsTable>): Promise<number> {
  const { id } = await db.insertInto('bank_accounts').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Records an imported file; returns its id. */
export async function insertImport(db: Db, row: { filename: string; format: string; sha256: string; account_id: number | null; imported_by: string; imported_at: string }): Promise<number> {
  const { id } = await db.insertInto('bank_imports').values({ ...row, summary_json: '{}' }).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Stores the summary of an import once it is done. */
export async function updateImportSummary(db: Db, id: number, summary: unknown): Promise<void> {
  await db.updateTable('bank_imports').set({ summary_json: JSON.stringify(summary) }).where('id', '=', id).execute();
}

/** Starts inserting a statement: its id as soon as known (an import goes on while the database writes). */
export function startInsertStatement(db: Db, row: Insertable<BankStatementsTable>): BulkInsert {
  return startInsertMany(db, 'bank_statements', [row]);
}

/** Whether an account has a statement of this reference and date (and, without a reference, this opening balance). */
export async function statementExists(db: Db, accountId: number, ref: string | null, date: string | null, opening: number | null): Promise<boolean> {
  let query = db.selectFrom('bank_statements').select('id').where('bank_account_id', '=', accountId)
    .where('statement_ref', ref === null ? 'is' : '=', ref).where('statement_date', date === null ? 'is' : '=', date);
  if (ref === null) query = query.where('opening_cents', opening === null ? 'is' : '=', opening);
  return !!(await query.limit(1).executeTakeFirst());
}

/** Completes a statement with its entry count and balance check. */
export async function updateStatement(db: Db, id: number, changes: { entries: number; balance_ok: number | null; closing_cents: number | null; closing_date: string | null }) {
  await db.updateTable('bank_statements').set(changes).where('id', '=', id).execute();
}

/** The identities among these that an account already has (re-imports add nothing). */
export async function selectExistingIdentities(db: Db, accountId: number, identities: string[]): Promise<Set<string>> {
  if (!identities.length) return new Set();
  if (!isSqlite(db)) return new Set((await existingIdentitiesPg(db, accountId, identities)).map((r) => r.identity));
  const rows = await db.selectFrom('bank_transactions').select('identity')
    .where('bank_account_id', '=', accountId).where('identity', 'in', identities).execute();
  return new Set(rows.map((r) => r.identity));
}

// PostgreSQL: one probe of the unique index per identity. With the statistics of a table that was small when last
// analysed (a first import), "identity in (...)" is planned as a scan of the account's rows, quadratic over a file.
async function existingIdentitiesPg(db: Db, accountId: number, identities: string[]) {
  // The lateral LIMIT keeps the planner from turning the probes into a hash join over the whole account. The identities
  // go as one JSON text: pg builds an array parameter with a regular expression per element (30 MB per camt import).
  const wantedJson = JSON.stringify(identities);
  const probe = sql<{ identity: string }>`select wanted.identity from json_array_elements_text(${wantedJson}::json) as wanted(identity)
    cross join lateral (select 1 from bank_transactions t where t.bank_account_id = ${accountId} and t.identity = wanted.identity limit 1) as hit`;
  return (await probe.execute(db)).rows;
}

/** Starts inserting movements in bulk: their ids in order as soon as known, and the end of the writing. */
export function startInsertTransactions(db: Db, rows: Insertable<BankTransactionsTable>[]): BulkInsert {
  return startInsertMany(db, 'bank_transactions', rows);
}

/** Filters of the transactions list. */
export interface TransactionFilter {
  accountId?: number;
  from?: string;
  to?: string;
  ids?: number[];
}

/** A page of movements, newest first. */
export async function selectTransactions(db: Db, filter: TransactionFilter, limit: number, offset: number) {
  let query = db.selectFrom('bank_transactions').selectAll();
  if (filter.accountId) query = query.where('bank_account_id', '=', filter.accountId);
  if (filter.from) query = query.where('booking_date', '>=', filter.from);
  if (filter.to) query = query.where('booking_date', '<=', filter.to);
  if (filter.ids) query = query.where('id', 'in', filter.ids.length ? filter.ids : [-1]);
  return query.orderBy('booking_date', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

/** A saved CSV profile's JSON. */
export async function selectCsvProfile(db: Db, name: string): Promise<string | undefined> {
  return (await db.selectFrom('bank_csv_profiles').select('profile_json').where('name', '=', name).executeTakeFirst())?.profile_json;
}

/** Names of the saved CSV profiles. */
export async function selectCsvProfileNames(db: Db): Promise<string[]> {
  return (await db.selectFrom('bank_csv_profiles').select('name').orderBy('name').execute()).map((r) => r.name);
}

/** Saves (or replaces) a CSV profile. */
export async function upsertCsvProfile(db: Db, name: string, json: string): Promise<void> {
  await db.insertInto('bank_csv_profiles').values({ name, profile_json: json })
    .onConflict((oc) => oc.column('name').doUpdateSet({ profile_json: json })).execute();
}
