import type { Db } from '../../storage/database.js';

/** Stores an uploaded file waiting for its next step. */
export async function insertUpload(db: Db, row: { id: string; account_id: number; filename: string; content_base64: string; created_at: string }): Promise<void> {
  await db.insertInto('uploads').values(row).execute();
}

/** One upload of an account (others' uploads are invisible). */
export async function selectUpload(db: Db, id: string, accountId: number) {
  return db.selectFrom('uploads').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

/** Removes one upload. */
export async function deleteUpload(db: Db, id: string): Promise<void> {
  await db.deleteFrom('uploads').where('id', '=', id).execute();
}

/** Removes the uploads created before a moment; returns how many. */
export async function deleteUploadsBefore(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('uploads').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
