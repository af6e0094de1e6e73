import type { Generated } from 'kysely';

/** Self-registration requests waiting for an admin; the password is kept only as an argon2id hash, until decided. */
export interface RegistrationRequestsTable {
  id: Generated<number>;
  username: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  message: string | null;
  locale: string | null;
  /** pending, accepted or refused. */
  status: string;
  created_at: string;
  decided_at: string | null;
  decided_by_account_id: number | null;
  refusal_reason: string | null;
  account_id: number | null;
}
