// Each preset's README recipe, run the way that app runs it (its scopes, token-endpoint authentication, PKCE or not)
// with openid-client against a Ruche on 127.0.0.1, asserting the claims the app reads where it reads them.
import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimsForClient } from '../../src/modules/oidc/provider.js';
import { PRESET_NAMES } from '../../src/modules/oidc/presets.js';
import { recipeFor } from '../../src/modules/oidc/recipes.js';
import { forEachDialect } from '../helpers/dialects.js';
import { type LiveApp, newAccount, startLiveApp } from '../helpers/oidc.js';
import { appLogin, bearerGet, registerApp } from '../helpers/oidc-apps.js';

const PROFILE = (id: number) => ({ sub: String(id), preferred_username: 'alice', name: 'Alice Doe', email: 'alice@example.org' });

function idTokenOf(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers) {
  return tokens.claims() as Record<string, unknown>;
}

forEachDialect('App presets and their recipes', (open) => {
  let live: LiveApp;
  let alice: number;
  beforeEach(async () => {
    live = await startLiveApp(await open());
    alice = await newAccount(live.ctx, 'alice', ['member', 'admin']);
  });
  afterEach(() => live.close());

  it('nextcloud: client_secret_post, PKCE, the claims parameter; groups and the quota in the ID token', async () => {
    const app = await registerApp(live, 'nextcloud', { register: { quota: '5 GB' } });
    const claimsParam = JSON.stringify({ id_token: { email: null, name: null, quota: null, groups: null }, userinfo: { email: null, name: null, quota: null, groups: null } });
    const { tokens } = await appLogin(live, app, 'nextcloud', 'alice', { nonce: true, extra: { claims: claimsParam } });
    expect(idTokenOf(tokens)).toMatchObject({ ...PROFILE(alice), groups: ['role-admin', 'role-member'], quota: '5 GB', aud: app.client.clientId });
    // Another Nextcloud without a quota of its own tells Nextcloud to use its default quota.
    const other = await registerApp(live, 'nextcloud');
    expect(other.client.quota).toBe('default');
    expect((await claimsForClient(live.ctx, String(alice), other.client.clientId))?.quota).toBe('default');
    // A wrong secret is refused, whichever way it is sent.
    const wrong = await oidc.discovery(new URL(live.issuer), app.client.clientId, undefined, oidc.ClientSecretPost('wrong'), { execute: [oidc.allowInsecureRequests] });
    await expect(oidc.refreshTokenGrant(wrong, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('mattermost: no scope, no PKCE, client_secret_post; GitLab’s /api/v4/user answers', async () => {
    const app = await registerApp(live, 'mattermost');
    const { tokens } = await appLogin(live, app, 'mattermost', 'alice');
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    const user = await bearerGet(`${live.base}/api/v4/user`, tokens.access_token);
    expect(user).toEqual({ status: 200, body: { id: alice, username: 'alice', login: 'alice', email: 'alice@example.org', name: 'Alice Doe', state: 'active' } });
    expect((await bearerGet(`${live.base}/api/v4/user`, 'forged')).status).toBe(401);
  });

  it('synapse: client_secret_basic, PKCE and nonce; the profile in the ID token', async () => {
    const app = await registerApp(live, 'synapse');
    const { tokens } = await appLogin(live, app, 'synapse', 'alice', { nonce: true });
    expect(idTokenOf(tokens)).toMatchObject({ ...PROFILE(alice), iss: live.issuer, aud: app.client.clientId });
  });

  it('grafana: client_secret_basic (InHeader), PKCE; groups in the ID token and from api_url for role mapping', async () => {
    const app = await registerApp(live, 'grafana');
    const { tokens } = await appLogin(live, app, 'grafana', 'alice');
    expect(idTokenOf(tokens)).toMatchObject({ ...PROFILE(alice), groups: ['role-admin', 'role-member'] });
    const info = await bearerGet(`${live.issuer}/me`, tokens.access_token);
    expect(info.body).toMatchObject({ ...PROFILE(alice), groups: ['role-admin', 'role-member'] });
    const groups = info.body.groups as string[];
    expect(groups.includes('role-admin') ? 'Admin' : 'Viewer').toBe('Admin'); // role_attribute_path of the recipe
    expect(tokens.refresh_token).toBeTruthy(); // use_refresh_token
  });

  it('outline: client_secret_post without PKCE; the profile from the userinfo endpoint', async () => {
    const app = await registerApp(live, 'outline');
    const { tokens } = await appLogin(live, app, 'outline', 'alice');
    expect((await bearerGet(`${live.issuer}/me`, tokens.access_token)).body).toMatchObject(PROFILE(alice));
  });

  it('bookstack: a Basic header with client_id in the body too, PKCE; groups in the ID token', async () => {
    const basicWithId = (secret: string): oidc.ClientAuth => (as, client, body, headers) => {
      oidc.ClientSecretBasic(secret)(as, client, body, headers);
      body.set('client_id', client.client_id);
    };
    const app = await registerApp(live, 'bookstack', { auth: basicWithId });
    const { tokens } = await appLogin(live, app, 'bookstack', 'alice');
    expect(idTokenOf(tokens)).toMatchObject({ ...PROFILE(alice), groups: ['role-admin', 'role-member'], iss: live.issuer, aud: app.client.clientId });
  });

  it('generic: everything in the ID token and userinfo, and a refresh token for offline_access', async () => {
    const app = await registerApp(live, 'generic');
    const { tokens } = await appLogin(live, app, 'generic', 'alice', { nonce: true });
    expect(idTokenOf(tokens)).toMatchObject({ ...PROFILE(alice), email_verified: false, locale: 'fr', groups: ['role-admin', 'role-member'] });
    expect(tokens.scope?.split(' ')).toContain('offline_access');
    expect(await oidc.fetchUserInfo(app.config, tokens.access_token, String(alice))).toMatchObject(PROFILE(alice));
  });
});

describe('README recipes', () => {
  it('carry the settings the tests above use, for every preset', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const preset of PRESET_NAMES) {
      const recipe = recipeFor(preset, { publicUrl: 'https://ruche.example.org', clientId: 'CLIENT_ID', secret: null, public: false });
      expect(readme, `recipe of ${preset}`).toContain(recipe.snippet);
      if (recipe.callbackHint) expect(readme).toContain(recipe.callbackHint);
    }
  });
});
