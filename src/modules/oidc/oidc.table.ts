/** What oidc-provider stores (sessions, grants, codes, tokens, interactions...), one JSON payload per model and id. */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  client_id: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

/** RS256 signing keys (private JWK); a retired key stays published until `drop_after`. */
export interface OidcKeysTable {
  kid: string;
  jwk: string;
  created_at: string;
  retired_at: string | null;
  drop_after: string | null;
}

/** Relying parties allowed to log people in through Ruche; secrets stored as SHA-256 hashes. */
export interface OidcClientsTable {
  client_id: string;
  name: string;
  secret_hash: string | null;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  /** JSON array of exact post-logout redirect URIs. */
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string | null;
  public: number;
  first_party: number;
  preset: string;
  /** JSON array of group names; empty means everyone with an account. */
  allowed_groups: string;
  /** Storage quota announced in the `quota` claim (`5 GB`, `default`, `none`), or null for none. */
  quota: string | null;
  created_at: string;
}
