// The acceptance test of single sign-on: a real relying party (openid-client) against a Ruche listening on 127.0.0.1.
import * as oidc from 'openid-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createClient } from '../../src/modules/oidc/clients.service.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBrowser, type LiveApp, newAccount, PASSWORD, startLiveApp } from '../helpers/oidc.js';

const CALLBACK = 'https://app.example.org/callback';
const AFTER_LOGOUT = 'https://app.example.org/bye';

async function relyingParty(live: LiveApp, options: { public?: boolean } = {}) {
  const { client, secret } = await createClient(live.ctx.db, SYSTEM, {
    name: 'Cloud', redirect_uris: [CALLBACK], post_logout_redirect_uris: [AFTER_LOGOUT], public: options.public ?? false,
  });
  const auth = secret ? oidc.ClientSecretBasic(secret) : oidc.None();
  const config = await oidc.discovery(new URL(live.issuer), client.clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });
  return { config, clientId: client.clientId, secret };
}

/** Runs the authorization request through a browser (logging in when asked) and returns the callback URL. */
async function authorize(live: LiveApp, config: oidc.Configuration, browser: HttpBrowser, login?: string, scope = 'openid profile email groups offline_access') {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope, state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  let step = await browser.follow(url.href, CALLBACK);
  if (login && !step.url.startsWith(CALLBACK)) {
    expect(step.response?.status).toBe(200);
    expect(browser.lastPage).toContain('name="password"');
    const posted = await browser.submitLogin(login, PASSWORD);
    expect(posted.status).toBe(303);
    step = await browser.follow(new URL(posted.headers.get('location')!, live.base).href, CALLBACK);
  }
  expect(step.url.startsWith(CALLBACK), `ended at ${step.url} (${step.response?.status}) ${browser.lastPage.slice(0, 300)}`).toBe(true);
  return { callback: new URL(step.url), verifier, state, nonce };
}

forEachDialect('OpenID Connect provider with a real relying party', (open) => {
  let live: LiveApp;
  beforeEach(async () => { live = await startLiveApp(await open()); });
  afterEach(() => live.close());

  it('runs discovery, login with PKCE, code exchange, ID token, userinfo, refresh with rotation, revocation and logout', async () => {
    const alice = await newAccount(live.ctx, 'alice', ['member', 'treasurer']);
    const { config } = await relyingParty(live);
    expect(config.serverMetadata().issuer).toBe(live.issuer);
    expect(config.serverMetadata().code_challenge_methods_supported).toContain('S256');

    const browser = new HttpBrowser(live.base);
    const { callback, verifier, state, nonce } = await authorize(live, config, browser, 'alice');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: live.issuer, sub: String(alice), preferred_username: 'alice', name: 'Alice Doe', email: 'alice@example.org',
      email_verified: false, locale: 'fr', groups: ['role-member', 'role-treasurer'],
    });
    expect(tokens.refresh_token).toBeTruthy();

    const info = await oidc.fetchUserInfo(config, tokens.access_token, String(alice));
    expect(info).toMatchObject({ sub: String(alice), preferred_username: 'alice', email: 'alice@example.org', groups: ['role-member', 'role-treasurer'] });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    // Reusing the rotated token revoked the whole grant: the new tokens are gone too.
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);

    // A new login (the single sign-on session is still there: no password asked) and revocation.
    const again = await authorize(live, config, browser);
    const second = await oidc.authorizationCodeGrant(config, again.callback, { pkceCodeVerifier: again.verifier, expectedState: again.state, expectedNonce: again.nonce });
    expect((await oidc.tokenIntrospection(config, second.access_token)).active).toBe(true);
    await oidc.tokenRevocation(config, second.refresh_token!);
    await expect(oidc.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    // RP-initiated logout: the person confirms, lands on the app's address, and is logged out of Ruche too.
    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: second.id_token!, post_logout_redirect_uri: AFTER_LOGOUT, state: 'bye' });
    const question = await browser.follow(logoutUrl.href, AFTER_LOGOUT);
    expect(question.response?.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(browser.lastPage)![1];
    const action = /action="([^"]+)"/.exec(browser.lastPage)![1];
    const confirmed = await browser.request(action, { form: { xsrf, logout: 'yes' } });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${AFTER_LOGOUT}?state=bye`);
    expect((await browser.request('/account')).status).toBe(302);
    const afterLogout = await authorize(live, config, browser, 'alice');
    expect(afterLogout.callback.searchParams.get('code')).toBeTruthy();

    const actions = (await live.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'oidc.%').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['oidc.login', 'oidc.grant', 'oidc.revoke']));
  });
});

forEachDialect('GitLab-compatible user endpoint for Mattermost', (open) => {
  let live: LiveApp;
  beforeEach(async () => { live = await startLiveApp(await open()); });
  afterEach(() => live.close());

  it('answers /api/v4/user for an access token of a client using client_secret_post, and 401 otherwise', async () => {
    const zoe = await newAccount(live.ctx, 'zoe');
    const { client, secret } = await createClient(live.ctx.db, SYSTEM, { name: 'Chat', redirect_uris: [CALLBACK], preset: 'mattermost' });
    const config = await oidc.discovery(new URL(live.issuer), client.clientId, undefined, oidc.ClientSecretPost(secret!), { execute: [oidc.allowInsecureRequests] });
    const { callback, verifier, state, nonce } = await authorize(live, config, new HttpBrowser(live.base), 'zoe', 'openid profile email');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const user = await fetch(`${live.base}/api/v4/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(user.status).toBe(200);
    expect(await user.json()).toEqual({ id: zoe, username: 'zoe', login: 'zoe', email: 'zoe@example.org', name: 'Zoe Doe', state: 'active' });
    const forged = await fetch(`${live.base}/api/v4/user`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(forged.status).toBe(401);
    expect((await fetch(`${live.base}/api/v4/user`)).status).toBe(401);
  });
});
