import type { Generated } from 'kysely';

/** The append-only audit log shared by all modules. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_account_id: number | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
}
