import type { Generated } from 'kysely';

/** A login account, optionally tied to a person. */
export interface AccountsTable {
  id: Generated<number>;
  person_id: number | null;
  username: string;
  password_hash: string;
  locale: string | null;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
  /** The sponsor whose invitation created this account. */
  invited_by_account_id: number | null;
}

/** Roles assigned to an account. */
export interface AccountRolesTable {
  account_id: number;
  role: string;
}

/** API tokens; only a SHA-256 of the token is stored. */
export interface ApiTokensTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Browser sessions; only a SHA-256 of the cookie value is stored. */
export interface SessionsTable {
  id_hash: string;
  account_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  /** The browser and address that opened it, shown on the sessions page. */
  user_agent: string | null;
  ip: string | null;
  /** 1: a 30-day cookie (remember me); 0: a browser-session cookie with a short server-side lifetime. */
  remember: number;
}
