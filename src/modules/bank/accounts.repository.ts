import type { Db } from '../../storage/database.js';

/** Sets (or clears) a bank account's label. */
export async function updateBankAccountLabel(db: Db, id: number, label: string | null): Promise<void> {
  await db.updateTable('bank_accounts').set({ label }).where('id', '=', id).execute();
}
