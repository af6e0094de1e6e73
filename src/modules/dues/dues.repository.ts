import { type Insertable, sql } from 'kysely';
import { insertRows } from '../../storage/bulk.js';
import { type Db, idIn, readForIds } from '../../storage/database.js';
import type { AllocationsTable, PersonIbansTable } from './dues.table.js';

/** Inserts allocations. */
export async function insertAllocations(db: Db, rows: Insertable<AllocationsTable>[]): Promise<void> {
  await insertRows(db, 'allocations', rows);
}

/** Removes a movement's allocations (before a decision replaces them). */
export async function deleteAllocationsOf(db: Db, transactionId: number): Promise<void> {
  await db.deleteFrom('allocations').where('transaction_id', '=', transactionId).execute();
}

/** Allocations of several movements. */
export async function selectAllocationsOf(db: Db, transactionIds: number[]) {
  if (!transactionIds.length) return [];
  return db.selectFrom('allocations').selectAll().where('transaction_id', 'in', transactionIds).orderBy('id').execute();
}

/** Movements with something to review, oldest first. */
export async function selectReviewTransactionIds(db: Db, limit: number, offset: number): Promise<number[]> {
  const rows = await db.selectFrom('allocations').select('transaction_id').where('status', '=', 'to_review')
    .groupBy('transaction_id').orderBy('transaction_id').limit(limit).offset(offset).execute();
  return rows.map((r) => r.transaction_id);
}

/** Number of movements waiting for review. */
export async function countReview(db: Db): Promise<number> {
  const row = await db.selectFrom('allocations').select(sql<number>`count(distinct transaction_id)`.as('n')).where('status', '=', 'to_review').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Live people as the matcher needs them. */
export async function selectDirectoryPeople(db: Db) {
  return db.selectFrom('people').select(['id', 'kind', 'display_name', 'sort_name']).where('deleted_at', 'is', null).execute();
}

/** Every known IBAN with the person it pays for and how it is known. */
export async function selectPersonIbans(db: Db) {
  return db.selectFrom('person_ibans').innerJoin('people', 'people.id', 'person_ibans.person_id')
    .select(['person_ibans.person_id', 'person_ibans.iban', 'person_ibans.source']).where('people.deleted_at', 'is', null).execute();
}

/** IBANs of one person. */
export async function selectIbansOfPerson(db: Db, personId: number) {
  return db.selectFrom('person_ibans').select(['iban', 'source', 'created_at']).where('person_id', '=', personId).orderBy('iban').execute();
}

/** Known IBANs of several people (at most a few hundred ids at once), by person then IBAN; payers only seen paying for them are left out. */
export async function selectIbansOfPeople(db: Db, personIds: number[]) {
  if (!personIds.length) return [];
  return db.selectFrom('person_ibans').select(['person_id', 'iban']).where('person_id', 'in', personIds).where('source', '!=', 'payer').orderBy('person_id').orderBy('iban').execute();
}

/** Remembers that an IBAN pays for a person (ignored when already known, except a payer only seen paying for them). */
export async function insertPersonIban(db: Db, row: { person_id: number; iban: string; source: PersonIbansTable['source']; created_at: string }) {
  await insertPersonIbans(db, [row]);
}

/**
 * Remembers, in one write, IBANs that pay for people; a pair already known is kept as it is, except that a payer only
 * seen paying for the person ('payer') becomes the stronger knowledge written now (a confirmed payment: 'learned').
 */
export async function insertPersonIbans(db: Db, rows: { person_id: number; iban: string; source: PersonIbansTable['source']; created_at: string }[]): Promise<void> {
  const seen = new Set<string>();
  const fresh = rows.filter((r) => !seen.has(`${r.person_id} ${r.iban}`) && seen.add(`${r.person_id} ${r.iban}`));
  if (!fresh.length) return;
  await db.insertInto('person_ibans').values(fresh).onConflict((oc) => oc.columns(['person_id', 'iban'])
    .doUpdateSet({ source: (eb) => eb.ref('excluded.source'), created_at: (eb) => eb.ref('excluded.created_at') })
    .where('person_ibans.source', '=', 'payer').where('excluded.source', '!=', 'payer')).execute();
}

/** Which of these people already have this IBAN on record as sure knowledge (a payer only seen paying for them does not count). */
export async function selectPeopleWithIban(db: Db, iban: string, personIds: number[]): Promise<number[]> {
  if (!personIds.length) return [];
  const rows = await db.selectFrom('person_ibans').select('person_id').where('iban', '=', iban).where('person_id', 'in', personIds).where('source', '!=', 'payer').execute();
  return rows.map((r) => r.person_id);
}

/** Forgets an IBAN learned for a person (true when it did), unless a confirmed dues allocation of theirs on another movement from that IBAN still justifies it. */
export async function forgetLearnedIban(db: Db, personId: number, iban: string, exceptTransactionId: number): Promise<boolean> {
  const justified = await db.selectFrom('allocations').innerJoin('bank_transactions', 'bank_transactions.id', 'allocations.transaction_id')
    .select('allocations.id').where('allocations.person_id', '=', personId).where('allocations.status', '=', 'confirmed').where('allocations.kind', '=', 'dues')
    .where('bank_transactions.counterparty_iban', '=', iban).where('bank_transactions.id', '!=', exceptTransactionId).limit(1).executeTakeFirst();
  if (justified) return false;
  const [result] = await db.deleteFrom('person_ibans').where('person_id', '=', personId).where('iban', '=', iban).where('source', '=', 'learned').execute();
  return Number(result.numDeletedRows) > 0;
}

/** Each person's distinct dues amounts (made or confirmed) since a fiscal year, the most recently paid first. */
export async function selectRecentDuesAmounts(db: Db, sinceYear: number) {
  const rows = await db.selectFrom('allocations')
    .select(['person_id', 'amount_cents', sql<number>`max(fiscal_year)`.as('latest')])
    .where('kind', '=', 'dues').where('status', '!=', 'to_review').where('person_id', 'is not', null).where('fiscal_year', '>=', sinceYear)
    .groupBy(['person_id', 'amount_cents']).orderBy('person_id').orderBy('latest', 'desc').orderBy('amount_cents').execute();
  return rows.map((r) => ({ person_id: r.person_id as number, amount_cents: Number(r.amount_cents) }));
}

/** Forgets an IBAN of a person. */
export async function deletePersonIban(db: Db, personId: number, iban: string): Promise<void> {
  await db.deleteFrom('person_ibans').where('person_id', '=', personId).where('iban', '=', iban).execute();
}

/** Categorisation rules, oldest first. */
export async function selectRules(db: Db) {
  return db.selectFrom('category_rules').selectAll().orderBy('id').execute();
}

/** Adds a categorisation rule. */
export async function insertRule(db: Db, row: { pattern: string; direction: 'credit' | 'debit' | 'any'; kind: string; category: string; created_at: string }) {
  const { id } = await db.insertInto('category_rules').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Removes a categorisation rule. */
export async function deleteRule(db: Db, id: number): Promise<void> {
  await db.deleteFrom('category_rules').where('id', '=', id).execute();
}

/** Every allocation of a year's fiscal range for the year overview. */
export async function selectAllocationsBetween(db: Db, from: string, to: string) {
  return db.selectFrom('allocations').innerJoin('bank_transactions', 'bank_transactions.id', 'allocations.transaction_id')
    .select(['allocations.person_id', 'allocations.amount_cents', 'allocations.kind', 'allocations.category', 'allocations.status', 'allocations.fiscal_year',
      'bank_transactions.booking_date', 'bank_transactions.id as transaction_id', 'bank_transactions.currency'])
    .where('bank_transactions.booking_date', '>=', from).where('bank_transactions.booking_date', '<=', to).execute();
}

/** Dues allocations counted for a fiscal year, whatever their booking date. */
export async function selectDuesForYear(db: Db, year: number) {
  return db.selectFrom('allocations').innerJoin('bank_transactions', 'bank_transactions.id', 'allocations.transaction_id')
    .select(['allocations.person_id', 'allocations.amount_cents', 'allocations.status', 'allocations.category', 'bank_transactions.booking_date', 'bank_transactions.id as transaction_id', 'bank_transactions.currency'])
    .where('allocations.kind', '=', 'dues').where('allocations.fiscal_year', '=', year).where('allocations.status', '!=', 'to_review').execute();
}

/** Allocations to one person with their movements, newest first. */
export async function selectAllocationsOfPerson(db: Db, personId: number) {
  return db.selectFrom('allocations').innerJoin('bank_transactions', 'bank_transactions.id', 'allocations.transaction_id')
    .select(['allocations.id', 'allocations.amount_cents', 'allocations.kind', 'allocations.category', 'allocations.status', 'allocations.fiscal_year',
      'bank_transactions.id as transaction_id', 'bank_transactions.booking_date', 'bank_transactions.currency', 'bank_transactions.counterparty_name', 'bank_transactions.communication'])
    .where('allocations.person_id', '=', personId).orderBy('bank_transactions.booking_date', 'desc').execute();
}

/** Dues allocations (made or confirmed) of several people with their dates, each person's in date order (bulk derivation). */
export function selectDuesOfPeople(db: Db, personIds: number[]) {
  return readForIds(db, personIds, (ids) => duesOfPeople(db, ids));
}

async function duesOfPeople(db: Db, personIds: number[]) {
  return db.selectFrom('allocations').innerJoin('bank_transactions', 'bank_transactions.id', 'allocations.transaction_id')
    .select(['allocations.person_id', 'allocations.amount_cents', 'allocations.fiscal_year', 'bank_transactions.booking_date'])
    .where(idIn(db, 'allocations.person_id', personIds))
    .where('allocations.kind', '=', 'dues').where('allocations.status', '!=', 'to_review')
    .orderBy('bank_transactions.booking_date').execute();
}

/** Each person and fiscal year that has dues (made or confirmed): the memberships a dues policy change can alter. */
export async function selectDuesYears(db: Db) {
  return db.selectFrom('allocations').select(['person_id', 'fiscal_year']).distinct()
    .where('kind', '=', 'dues').where('status', '!=', 'to_review').where('person_id', 'is not', null).where('fiscal_year', 'is not', null).execute();
}

/** The matcher's dues allocations (status auto) with what their fiscal year is read from: booking date and text. */
export async function selectAutoDues(db: Db) {
  return db.selectFrom('allocations').innerJoin('bank_transactions', 'bank_transactions.id', 'allocations.transaction_id')
    .select(['allocations.id', 'allocations.fiscal_year', 'bank_transactions.booking_date', 'bank_transactions.communication'])
    .where('allocations.kind', '=', 'dues').where('allocations.status', '=', 'auto').where('allocations.person_id', 'is not', null)
    .execute();
}

/** Gives these allocations one fiscal year (a few thousand ids a statement on SQLite); returns how many rows changed. */
export async function updateAllocationsYear(db: Db, ids: number[], year: number): Promise<number> {
  const changed = await readForIds(db, ids, async (slice) => {
    const result = await db.updateTable('allocations').set({ fiscal_year: year }).where(idIn(db, 'id', slice)).executeTakeFirst();
    return [Number(result.numUpdatedRows)];
  });
  return changed.reduce((sum, n) => sum + n, 0);
}
