import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { RegistrationRequestsTable } from './registrations.table.js';

/** Inserts a registration request and returns its id. */
export async function insertRequest(db: Db, row: Insertable<RegistrationRequestsTable>): Promise<number> {
  const { id } = await db.insertInto('registration_requests').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

const COLUMNS = ['id', 'username', 'email', 'display_name', 'message', 'locale', 'status', 'created_at', 'decided_at',
  'decided_by_account_id', 'refusal_reason', 'account_id'] as const;

/** Requests (never their password hash), oldest first: those with a status, or all. */
export async function selectRequests(db: Db, status?: string) {
  let query = db.selectFrom('registration_requests').select(COLUMNS).orderBy('id');
  if (status !== undefined) query = query.where('status', '=', status);
  return query.execute();
}

/** One request (never its password hash). */
export async function selectRequestView(db: Db, id: number) {
  return db.selectFrom('registration_requests').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** One request, with its password hash (for the account created on acceptance). */
export async function selectRequestById(db: Db, id: number) {
  return db.selectFrom('registration_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when a pending request already uses this username or e-mail address. */
export async function selectPendingWith(db: Db, column: 'username' | 'email', value: string): Promise<boolean> {
  const row = await db.selectFrom('registration_requests').select('id').where('status', '=', 'pending').where(column, '=', value).executeTakeFirst();
  return row !== undefined;
}

/** Decides a pending request (the status and what goes with it); returns false when it was not pending any more. */
export async function decidePending(db: Db, id: number, changes: Updateable<RegistrationRequestsTable>): Promise<boolean> {
  const result = await db.updateTable('registration_requests').set(changes).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records the account an accepted request created. */
export async function setRequestAccount(db: Db, id: number, accountId: number): Promise<void> {
  await db.updateTable('registration_requests').set({ account_id: accountId }).where('id', '=', id).execute();
}
