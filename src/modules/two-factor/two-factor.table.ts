import type { Generated } from 'kysely';

/** An account's TOTP secret (AES-256-GCM encrypted); confirmed_at null until the person proved a code. */
export interface AccountTotpTable {
  account_id: number;
  secret_encrypted: string;
  created_at: string;
  confirmed_at: string | null;
  /** The last accepted time step, so a code is never accepted twice. */
  last_time_step: number | null;
}

/** One-time recovery codes; only a SHA-256 of each code is stored. */
export interface RecoveryCodesTable {
  id: Generated<number>;
  account_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** Logins waiting for their second step (short-lived, bound to a browser cookie). */
export interface LoginChallengesTable {
  id_hash: string;
  account_id: number;
  remember: number;
  next_path: string;
  attempts: Generated<number>;
  created_at: string;
  expires_at: string;
}
