import type { ClientMetadata } from 'oidc-provider';
import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { notFound } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/tokens.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { clientCreateInput, type ClientCreateInput } from './oidc.schema.js';
import * as repo from './oidc.repository.js';
import { PRESETS, type PresetName, presetOf } from './presets.js';

/** A registered client as pages, API and CLI show it (never its secret). */
export interface OidcClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  public: boolean;
  firstParty: boolean;
  preset: PresetName;
  allowedGroups: string[];
  /** The `quota` claim this app is given (its own, else its preset's default), or null. */
  quota: string | null;
  createdAt: string;
}

type ClientRow = NonNullable<Awaited<ReturnType<typeof repo.selectClient>>>;

function toView(row: ClientRow): OidcClientView {
  const preset = (row.preset in PRESETS ? row.preset : 'generic') as PresetName;
  return {
    clientId: row.client_id,
    name: row.name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    backchannelLogoutUri: row.backchannel_logout_uri,
    public: row.public === 1,
    firstParty: row.first_party === 1,
    preset,
    allowedGroups: JSON.parse(row.allowed_groups) as string[],
    quota: row.quota ?? presetOf(preset).defaultQuota,
    createdAt: row.created_at,
  };
}

/** Registers a client; returns it with its secret (shown once; only a SHA-256 of it is kept), null for public clients. */
export async function createClient(db: Db, actor: Actor, input: ClientCreateInput | Record<string, unknown>): Promise<{ client: OidcClientView; secret: string | null }> {
  const data = validate(clientCreateInput, input);
  const clientId = randomToken(15);
  const secret = data.public ? null : randomToken(32);
  await repo.insertClient(db, {
    client_id: clientId,
    name: data.name,
    secret_hash: secret === null ? null : sha256(secret),
    redirect_uris: JSON.stringify(data.redirect_uris),
    post_logout_redirect_uris: JSON.stringify(data.post_logout_redirect_uris),
    backchannel_logout_uri: data.backchannel_logout_uri ?? null,
    public: data.public ? 1 : 0,
    first_party: data.first_party ? 1 : 0,
    preset: data.preset,
    allowed_groups: JSON.stringify(data.allowed_groups),
    quota: data.quota ?? null,
    created_at: nowIso(),
  });
  const client = await getClient(db, clientId);
  const { createdAt: _c, ...after } = client;
  await recordChange(db, actor, { action: 'oidc_client.create', entityType: 'oidc_client', entityId: clientId, after });
  return { client, secret };
}

/** One client, or a 404. */
export async function getClient(db: Db, clientId: string): Promise<OidcClientView> {
  const row = await repo.selectClient(db, clientId);
  if (!row) throw notFound('oidc.client_not_found');
  return toView(row);
}

/** One client, or null (lookups by the provider and the login interaction). */
export async function findClient(db: Db, clientId: string): Promise<OidcClientView | null> {
  const row = await repo.selectClient(db, clientId);
  return row ? toView(row) : null;
}

/** Every registered client. */
export async function listClients(db: Db): Promise<OidcClientView[]> {
  return (await repo.selectClients(db)).map(toView);
}

/** Removes a client and everything issued to it: its apps can no longer log anyone in or use their tokens. */
export async function removeClient(db: Db, actor: Actor, clientId: string): Promise<void> {
  const before = await getClient(db, clientId);
  await repo.deleteClient(db, clientId);
  await repo.deletePayloadsOfClient(db, clientId);
  await recordChange(db, actor, { action: 'oidc_client.remove', entityType: 'oidc_client', entityId: clientId, before: { name: before.name, redirectUris: before.redirectUris } });
}

/** The metadata oidc-provider needs for a client (its secret is the stored hash, compared by hashing what is presented). */
export async function clientMetadata(db: Db, clientId: string): Promise<ClientMetadata | undefined> {
  const row = await repo.selectClient(db, clientId);
  if (!row) return undefined;
  const client = toView(row);
  const preset = PRESETS[client.preset];
  return {
    client_id: client.clientId,
    client_name: client.name,
    ...(row.secret_hash ? { client_secret: row.secret_hash } : {}),
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ruche_first_party: client.firstParty,
    token_endpoint_auth_method: client.public ? 'none' : preset.authMethod,
    // Custom schemes and loopback http are the native apps' redirect URIs; oidc-provider checks each kind by its rules.
    application_type: client.redirectUris.every((uri) => uri.startsWith('https:')) ? 'web' : 'native',
    ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
  };
}
