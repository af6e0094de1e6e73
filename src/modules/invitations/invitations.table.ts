import type { Generated } from 'kysely';

/** Single-use invitation links created by a sponsor; only a SHA-256 of the token is stored. */
export interface InvitationsTable {
  id: Generated<number>;
  token_hash: string;
  created_by_account_id: number | null;
  note: string | null;
  /** JSON array of static group names the invitee joins. */
  groups_json: Generated<string>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by_account_id: number | null;
  revoked_at: string | null;
}

