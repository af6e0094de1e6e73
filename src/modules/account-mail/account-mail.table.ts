import type { Generated } from 'kysely';

/** What a mailed one-time link is for. */
export type MailTokenKind = 'password_reset' | 'email_verify';

/** One-time links sent by mail; only a SHA-256 of the token is stored. */
export interface AccountMailTokensTable {
  id: Generated<number>;
  kind: MailTokenKind;
  token_hash: string;
  account_id: number;
  /** The address the link was sent to (for verification: the address it proves). */
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
