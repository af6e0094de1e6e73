import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { notFound } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { listClients } from './clients.service.js';
import * as repo from './oidc.repository.js';

/** oidc-provider's ids are URL-safe random strings; anything else cannot be a grant. */
const GRANT_ID = /^[A-Za-z0-9_-]{8,128}$/;

/** One app a person let log in as them, as they see it on their sessions page and in the API. */
export interface GrantView {
  id: string;
  clientId: string;
  client: string;
  scopes: string[];
  grantedAt: string | null;
  expiresAt: string | null;
}

interface GrantPayload { iat?: number; openid?: { scope?: string } }

function scopesOf(payload: GrantPayload): string[] {
  return [...new Set((payload.openid?.scope ?? '').split(' ').filter(Boolean))];
}

type GrantRow = { id: string; client_id: string | null; payload: string; expires_at: string | null };

function toView(row: GrantRow, names: Map<string, string>): GrantView {
  const payload = JSON.parse(row.payload) as GrantPayload;
  const clientId = row.client_id ?? '';
  return {
    id: row.id, clientId, client: names.get(clientId) ?? clientId, scopes: scopesOf(payload),
    grantedAt: typeof payload.iat === 'number' ? nowIso(new Date(payload.iat * 1000)) : null, expiresAt: row.expires_at,
  };
}

async function clientNames(db: Db): Promise<Map<string, string>> {
  return new Map((await listClients(db)).map((client) => [client.clientId, client.name]));
}

/** The live app grants of an account, newest first, each with the app's name and the scopes it may use. */
export async function listGrants(db: Db, accountId: number): Promise<GrantView[]> {
  const rows = await repo.selectGrantsOfAccount(db, String(accountId), nowIso());
  if (!rows.length) return [];
  const names = await clientNames(db);
  return rows.map((row) => toView(row, names))
    .sort((a, b) => (b.grantedAt ?? '').localeCompare(a.grantedAt ?? '') || a.id.localeCompare(b.id));
}

/**
 * Revokes one of an account's app grants: the grant and its codes, access and refresh tokens are deleted at once,
 * so the app's tokens stop working and it must ask again. Someone else's (or an unknown) grant is a 404.
 */
export async function revokeGrant(db: Db, actor: Actor, accountId: number, grantId: string): Promise<GrantView> {
  if (!GRANT_ID.test(grantId)) throw notFound('security.no_grant');
  const row = await repo.selectGrantOfAccount(db, String(accountId), grantId, nowIso());
  if (!row) throw notFound('security.no_grant');
  const grant = toView(row, await clientNames(db));
  await repo.deleteGrantWithTokens(db, grantId);
  await recordChange(db, actor, {
    action: 'oidc.revoke', entityType: 'account', entityId: accountId,
    before: { grant: grant.id, client_id: grant.clientId, client: grant.client, scopes: grant.scopes },
  });
  return grant;
}
