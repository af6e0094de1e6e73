import { insertRows } from '../../storage/bulk.js';
import type { Db } from '../../storage/database.js';
import type { AuditLogTable } from './audit.table.js';
import type { Insertable } from 'kysely';

/** Appends one entry to the audit log. */
export async function insertAudit(db: Db, row: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** Entries about one entity, newest first. */
export async function selectAuditForEntity(db: Db, entityType: string, entityId: string, limit: number, offset: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Drops the personal snapshots of a purged entity, keeping the fact that changes happened. */
export async function redactAuditForEntity(db: Db, entityType: string, entityId: string): Promise<void> {
  await db
    .updateTable('audit_log')
    .set({ before_json: null, after_json: null })
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .execute();
}

/** Id of the newest audit entry (0 when empty): every committed change moves it, so caches key on it. */
export async function selectLatestAuditId(db: Db): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Appends many entries to the audit log at once (bulk work such as an import). */
export async function insertAudits(db: Db, rows: Insertable<AuditLogTable>[]): Promise<void> {
  await insertRows(db, 'audit_log', rows);
}
