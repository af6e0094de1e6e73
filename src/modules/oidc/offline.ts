import type { KoaContextWithOIDC } from 'oidc-provider';

type ClientLike = { grantTypeAllowed(type: string): boolean } & Record<string, unknown>;

/** True for the collective's own apps (granted without a consent page). */
export function isFirstParty(client: unknown): boolean {
  return (client as Record<string, unknown> | undefined)?.ruche_first_party === true;
}

function requestedScope(ctx: KoaContextWithOIDC): unknown {
  const body = ctx.oidc.body as Record<string, unknown> | undefined;
  return ctx.method === 'POST' ? body?.scope : ctx.query.scope;
}

/**
 * Adjusts the scopes of an authorization request, as an authorization-parameter validator running after the library's
 * scope check: a request without any scope (Mattermost's GitLab login) is taken as `openid`, which the library would
 * otherwise refuse as granting nothing; `offline_access` is put back for first-party clients.
 */
export async function adjustScopes(ctx: KoaContextWithOIDC, _value: unknown, client: unknown): Promise<void> {
  const params = ctx.oidc.params as Record<string, unknown>;
  if (params.scope === undefined && requestedScope(ctx) === undefined) params.scope = 'openid';
  keepOfflineAccess(ctx, client);
}

/**
 * Puts `offline_access` back for first-party clients: oidc-provider drops it unless the request says `prompt=consent`,
 * which would show a consent page the collective's own apps never need. Third-party apps keep the library's rule.
 */
function keepOfflineAccess(ctx: KoaContextWithOIDC, client: unknown): void {
  const asked = requestedScope(ctx);
  if (typeof asked !== 'string' || !asked.split(' ').includes('offline_access')) return;
  if (!isFirstParty(client) || !(client as ClientLike).grantTypeAllowed('refresh_token')) return;
  const scopes = new Set((ctx.oidc.params?.scope as string | undefined)?.split(' ').filter(Boolean) ?? []);
  if (scopes.has('offline_access')) return;
  scopes.add('offline_access');
  (ctx.oidc.params as Record<string, unknown>).scope = [...scopes].join(' ');
}

/** The name under which `adjustScopes` is registered (an authorization parameter nobody sends). */
export const SCOPES_PARAM = 'ruche_scopes';
