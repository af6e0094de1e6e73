import type { JsonWebKey } from 'node:crypto';
import Provider, { type Account, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { SYSTEM } from '../../core/actor.js';
import { hmac, safeEqual, sha256 } from '../../core/tokens.js';
import type { AppContext } from '../../http/context.js';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { closeSession } from '../accounts/accounts.service.js';
import { recordChange } from '../audit/audit.service.js';
import { databaseAdapter } from './adapter.js';
import { type AccountClaims, claimsOf, SCOPE_CLAIMS } from './claims.js';
import { findClient, type OidcClientView } from './clients.service.js';
import { ID_TOKEN_TTL } from './keys.service.js';
import { adjustScopes, isFirstParty, SCOPES_PARAM } from './offline.js';
import { renderLoggedOut, renderLogoutQuestion, renderProviderError } from './provider.pages.js';

/** Where the provider lives under Ruche's public address. */
export const OIDC_PREFIX = '/oidc';

/** The provider's issuer: the address apps are given (discovery is under it). */
export function issuerOf(publicUrl: string): string {
  return `${publicUrl}${OIDC_PREFIX}`;
}
/** Cookie names of the provider (its session cookie is read by Ruche's logout). */
export const OIDC_SESSION_COOKIE = 'ruche_oidc_session';

const DAY = 86_400;

/** True when the client is open to an account with these groups (no restriction, or one group in common). */
export function clientAllows(client: Pick<OidcClientView, 'allowedGroups'>, groups: string[]): boolean {
  return client.allowedGroups.length === 0 || client.allowedGroups.some((group) => groups.includes(group));
}

/** The claims of an account for a client, or null when the account is unknown, disabled, or outside the client's groups. */
export async function claimsForClient(ctx: AppContext, sub: string, clientId: string | undefined): Promise<AccountClaims | null> {
  if (!/^\d{1,10}$/.test(sub)) return null;
  const claims = await claimsOf(ctx.db, Number(sub));
  if (!claims) return null; // unknown or disabled: no login, no refresh, no userinfo
  if (clientId) {
    const client = await findClient(ctx.db, clientId);
    if (!client || !clientAllows(client, claims.groups)) return null;
    if (client.quota) return { ...claims, quota: client.quota };
  }
  return claims;
}

// The library asks for an account several times within one request (a code exchange checks it, then fills the ID
// token): each request reads it once.
const claimsOfRequest = new WeakMap<object, Map<string, Promise<AccountClaims | null>>>();

async function findAccount(ctx: AppContext, koa: object, sub: string, token?: { clientId?: string }): Promise<Account | undefined> {
  const known = claimsOfRequest.get(koa) ?? new Map<string, Promise<AccountClaims | null>>();
  claimsOfRequest.set(koa, known);
  const key = `${sub} ${token?.clientId ?? ''}`;
  if (!known.has(key)) known.set(key, claimsForClient(ctx, sub, token?.clientId));
  const claims = await known.get(key);
  return claims ? { accountId: sub, claims: () => ({ ...claims, groups: [...claims.groups] }) } : undefined;
}

function audit(ctx: AppContext, action: string, entityId: string, after: Record<string, unknown>): void {
  recordChange(ctx.db, SYSTEM, { action, entityType: 'oidc', entityId, after }).catch(() => {});
}

function configuration(ctx: AppContext, keys: JsonWebKey[]): Configuration {
  return {
    adapter: databaseAdapter(ctx.db),
    jwks: { keys: keys as never },
    cookies: {
      keys: [hmac(ctx.secret, 'oidc-provider-cookies')],
      names: { session: OIDC_SESSION_COOKIE, interaction: 'ruche_oidc_interaction', resume: 'ruche_oidc_resume' },
      long: { httpOnly: true, sameSite: 'lax', path: '/' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups', 'quota'],
    claims: { ...SCOPE_CLAIMS, acr: null, sid: null, auth_time: null, iss: null } as never,
    conformIdTokenClaims: false, // several apps (Nextcloud's user_oidc, Synapse, BookStack) read claims only from the ID token
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] } as never,
    extraClientMetadata: { properties: ['ruche_first_party'] },
    extraParams: { [SCOPES_PARAM]: adjustScopes }, // no scope means openid; offline_access for first-party apps without prompt=consent
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: renderLogoutQuestion, postLogoutSuccessSource: renderLoggedOut },
    },
    pkce: { required: (_koa, client) => client.clientAuthMethod === 'none' },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: ID_TOKEN_TTL, RefreshToken: 30 * DAY, Interaction: 3600, Session: 14 * DAY, Grant: 365 * DAY },
    rotateRefreshToken: true,
    // Refresh tokens for offline_access (they outlive the login session), and for the collective's own apps even
    // without it (they then end with the session).
    issueRefreshToken: async (_koa, client, code) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || isFirstParty(client)),
    findAccount: (koa, sub, token) => findAccount(ctx, koa, sub, token as { clientId?: string } | undefined),
    interactions: { url: (_koa, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    renderError: (koa, out) => renderProviderError(koa, out),
    // Only admins register clients (no dynamic registration), so the apps' back-channel logout URIs are trusted even on
    // the collective's own network (the library's default refuses loopback and private addresses).
    fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
    clientBasedCORS: (_koa, origin, client) => client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
  };
}

/** Builds the provider over Ruche's database with the given signing keys (newest first). */
export function buildProvider(ctx: AppContext, keys: JsonWebKey[], log: (error: Error) => void): Provider {
  const provider = new Provider(`${ctx.config.publicUrl}${OIDC_PREFIX}`, configuration(ctx, keys));
  provider.proxy = true; // the mount pins X-Forwarded-Proto/Host to the public URL
  // Client secrets are stored as SHA-256 hashes: hash what is presented and compare in constant time.
  provider.Client.prototype.compareClientSecret = function compare(this: { clientSecret?: string }, actual: string) {
    return typeof this.clientSecret === 'string' && safeEqual(this.clientSecret, sha256(actual));
  };
  provider.on('grant.revoked', (koa: KoaContextWithOIDC, grantId: string) =>
    audit(ctx, 'oidc.revoke', grantId, { client_id: koa.oidc?.client?.clientId ?? null, route: koa.oidc?.route ?? null }));
  provider.on('end_session.success', (koa: KoaContextWithOIDC) => endRucheSession(ctx, koa));
  provider.on('server_error', (_koa: unknown, error: Error) => log(error));
  return provider;
}

// Logging out of everything from an app also ends the Ruche session of that browser.
function endRucheSession(ctx: AppContext, koa: KoaContextWithOIDC): void {
  if (!koa.oidc.params?.logout) return;
  const cookie = koa.cookies.get(SESSION_COOKIE);
  if (!cookie) return;
  koa.cookies.set(SESSION_COOKIE, null, { path: '/' });
  closeSession(ctx.db, cookie).catch(() => {});
}
