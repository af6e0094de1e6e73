import type { Insertable } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { InvitationsTable } from './invitations.table.js';

/** Inserts an invitation and returns its id. */
export async function insertInvitation(db: Db, row: Insertable<InvitationsTable>): Promise<number> {
  const { id } = await db.insertInto('invitations').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

function invitationsWithNames(db: Db) {
  return db
    .selectFrom('invitations')
    .leftJoin('accounts as creator', 'creator.id', 'invitations.created_by_account_id')
    .leftJoin('accounts as invitee', 'invitee.id', 'invitations.used_by_account_id')
    .selectAll('invitations')
    .select(['creator.username as created_by_username', 'invitee.username as used_by_username']);
}

/** Invitations, newest first: all of them, or those one account created. */
export async function selectInvitations(db: Db, createdBy?: number) {
  let query = invitationsWithNames(db).orderBy('invitations.id', 'desc');
  if (createdBy !== undefined) query = query.where('invitations.created_by_account_id', '=', createdBy);
  return query.execute();
}

/** One invitation by id. */
export async function selectInvitationById(db: Db, id: number) {
  return invitationsWithNames(db).where('invitations.id', '=', id).executeTakeFirst();
}

/** One invitation by the hash of its token. */
export async function selectInvitationByHash(db: Db, tokenHash: string) {
  return invitationsWithNames(db).where('invitations.token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks an invitation used if it still is open at `now`; returns false when someone else used, revoked or outlived it first. */
export async function claimInvitation(db: Db, id: number, now: string): Promise<boolean> {
  return updateWhileOpen(db, id, now, { used_at: now });
}

/** Records which account an invitation created. */
export async function setInvitationUser(db: Db, id: number, accountId: number): Promise<void> {
  await db.updateTable('invitations').set({ used_by_account_id: accountId }).where('id', '=', id).execute();
}

/** Revokes an invitation if it is still open; returns false otherwise. */
export async function revokeOpenInvitation(db: Db, id: number, now: string): Promise<boolean> {
  return updateWhileOpen(db, id, now, { revoked_at: now });
}

// One statement, so that two requests racing for the same invitation cannot both change it.
async function updateWhileOpen(db: Db, id: number, now: string, change: { used_at: string } | { revoked_at: string }): Promise<boolean> {
  const result = await db.updateTable('invitations').set(change).where('id', '=', id)
    .where('used_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

