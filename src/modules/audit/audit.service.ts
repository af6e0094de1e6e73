import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import type { Db } from '../../storage/database.js';
import { insertAudit, insertAudits, redactAuditForEntity, selectAuditForEntity, selectLatestAuditId } from './audit.repository.js';

/** One change as shown in a history. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Records a change (who, what, before, after); every module writes its changes here. */
export async function recordChange(
  db: Db,
  actor: Actor,
  change: { action: string; entityType: string; entityId: string | number; before?: unknown; after?: unknown },
): Promise<void> {
  await insertAudit(db, {
    at: nowIso(),
    actor_account_id: actor.accountId,
    actor_label: actor.label,
    action: change.action,
    entity_type: change.entityType,
    entity_id: String(change.entityId),
    before_json: change.before === undefined ? null : JSON.stringify(change.before),
    after_json: change.after === undefined ? null : JSON.stringify(change.after),
  });
}

/** Records many changes at once, in order (bulk work: one statement per 500 entries). */
export async function recordChanges(db: Db, actor: Actor, changes: { action: string; entityType: string; entityId: string | number; before?: unknown; after?: unknown }[]): Promise<void> {
  const at = nowIso();
  await insertAudits(db, changes.map((change) => ({
    at, actor_account_id: actor.accountId, actor_label: actor.label, action: change.action, entity_type: change.entityType, entity_id: String(change.entityId),
    before_json: change.before === undefined ? null : JSON.stringify(change.before), after_json: change.after === undefined ? null : JSON.stringify(change.after),
  })));
}

/** The history of one entity, newest first. */
export async function historyOf(db: Db, entityType: string, entityId: string | number, page = { limit: 100, offset: 0 }): Promise<AuditEntry[]> {
  const rows = await selectAuditForEntity(db, entityType, String(entityId), page.limit, page.offset);
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor_label,
    action: row.action,
    before: row.before_json ? JSON.parse(row.before_json) : null,
    after: row.after_json ? JSON.parse(row.after_json) : null,
  }));
}

/** Removes personal data from an entity's snapshots when it is purged for good. */
export async function forgetEntity(db: Db, entityType: string, entityId: string | number): Promise<void> {
  await redactAuditForEntity(db, entityType, String(entityId));
}

/** The fields whose values differ between two snapshots, for compact history display. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => comparable(before?.[k]) !== comparable(after?.[k]));
}

// Absent, null, empty text and empty lists all mean "nothing", so they never show as a change.
function comparable(value: unknown): string {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return '';
  return JSON.stringify(value);
}

/** A number that changes whenever data changes (all writes are audited): a cheap key for caches of derived figures. */
export function dataVersion(db: Db): Promise<number> {
  return selectLatestAuditId(db);
}
