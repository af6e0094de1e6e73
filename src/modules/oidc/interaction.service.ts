import type Provider from 'oidc-provider';
import type { Actor } from '../../core/actor.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { groupNamesOf } from './claims.js';
import { findClient, type OidcClientView } from './clients.service.js';
import { clientAllows } from './provider.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** What the login interaction page does next. */
export type InteractionStep =
  | { kind: 'done'; returnTo: string }
  | { kind: 'consent'; client: OidcClientView; scopes: string[] }
  | { kind: 'refused'; client: OidcClientView }
  | { kind: 'unknown_client' };

async function finish(interaction: Interaction, result: Record<string, unknown>, merge = true): Promise<string> {
  interaction.result = merge ? { ...interaction.lastSubmission, ...result } : result;
  await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
  return interaction.returnTo;
}

function requestedScopes(interaction: Interaction): string[] {
  const scope = interaction.params.scope;
  return typeof scope === 'string' ? [...new Set(scope.split(' ').filter(Boolean))] : ['openid'];
}

async function grantFor(provider: Provider, interaction: Interaction, accountId: string, clientId: string, scopes: string[]): Promise<string> {
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing && existing.accountId === accountId && existing.clientId === clientId ? existing : new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(scopes.join(' '));
  return grant.save();
}

/**
 * Continues a login interaction for the account logged in to Ruche: refuses accounts outside the client's groups,
 * grants first-party clients what they ask, asks consent for third-party ones (`consentGiven` once they said yes).
 */
export async function continueInteraction(db: Db, provider: Provider, interaction: Interaction, actor: Actor & { accountId: number }, consentGiven = false): Promise<InteractionStep> {
  const clientId = String(interaction.params.client_id ?? '');
  const client = await findClient(db, clientId);
  if (!client) return { kind: 'unknown_client' };
  const accountId = String(actor.accountId);
  if (client.allowedGroups.length && !clientAllows(client, await groupNamesOf(db, actor.accountId))) {
    await recordChange(db, actor, { action: 'oidc.refused', entityType: 'account', entityId: accountId, after: { client_id: clientId, client: client.name } });
    return { kind: 'refused', client };
  }
  const needsLogin = interaction.prompt.name === 'login' || interaction.session?.accountId !== accountId;
  const login = needsLogin ? { login: { accountId } } : {};
  if (needsLogin) await recordChange(db, actor, { action: 'oidc.login', entityType: 'account', entityId: accountId, after: { client_id: clientId, client: client.name } });
  const scopes = requestedScopes(interaction);
  if (!client.firstParty && !consentGiven) {
    // A third-party app: log in first; the provider then asks for consent only if no earlier grant covers the request.
    if (interaction.prompt.name === 'login') return { kind: 'done', returnTo: await finish(interaction, login) };
    return { kind: 'consent', client, scopes };
  }
  const grantId = await grantFor(provider, interaction, accountId, clientId, scopes);
  await recordChange(db, actor, { action: 'oidc.grant', entityType: 'account', entityId: accountId, after: { client_id: clientId, client: client.name, scopes } });
  return { kind: 'done', returnTo: await finish(interaction, { ...login, consent: { grantId } }) };
}

/** Ends an interaction with access_denied (the person refused consent). */
export async function abortInteraction(interaction: Interaction): Promise<string> {
  return finish(interaction, { error: 'access_denied', error_description: 'The person refused.' }, false);
}
