// Security of single sign-on over real HTTP: exact redirect URIs, PKCE for public clients, code replay, disabled accounts,
// group restrictions, consent for third-party apps, logout from Ruche, signing key rotation.
import * as oidc from 'openid-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { setDisabled } from '../../src/modules/accounts/accounts.service.js';
import { createClient } from '../../src/modules/oidc/clients.service.js';
import { listSigningKeys, rotateSigningKey } from '../../src/modules/oidc/keys.service.js';
import { setTwoFactorPolicy } from '../../src/modules/two-factor/policy.service.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBrowser, type LiveApp, newAccount, PASSWORD, startLiveApp } from '../helpers/oidc.js';

const CALLBACK = 'https://app.example.org/callback';

async function register(live: LiveApp, input: Record<string, unknown> = {}) {
  const { client, secret } = await createClient(live.ctx.db, SYSTEM, { name: 'Wiki', redirect_uris: [CALLBACK], ...input });
  const auth = secret ? oidc.ClientSecretBasic(secret) : oidc.None();
  return oidc.discovery(new URL(live.issuer), client.clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });
}

async function authUrl(config: oidc.Configuration, extra: Record<string, string> = {}, pkce = true) {
  const verifier = oidc.randomPKCECodeVerifier();
  const params: Record<string, string> = { redirect_uri: CALLBACK, scope: 'openid profile groups', state: 'xyz', ...extra };
  if (pkce) Object.assign(params, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  return { url: oidc.buildAuthorizationUrl(config, params).href, verifier };
}

/** Logs in through the authorization request and returns where the browser was sent (the callback, or a Ruche page). */
async function logIn(live: LiveApp, browser: HttpBrowser, url: string, login?: string) {
  let step = await browser.follow(url, CALLBACK);
  if (login && browser.lastPage.includes('name="password"') && !step.url.startsWith(CALLBACK)) {
    const posted = await browser.submitLogin(login, PASSWORD);
    step = await browser.follow(new URL(posted.headers.get('location')!, live.base).href, CALLBACK);
  }
  return step;
}

async function codeFlow(live: LiveApp, config: oidc.Configuration, browser: HttpBrowser, login?: string) {
  const { url, verifier } = await authUrl(config);
  const step = await logIn(live, browser, url, login);
  expect(step.url.startsWith(CALLBACK), `ended at ${step.url}`).toBe(true);
  return { callback: new URL(step.url), verifier };
}

forEachDialect('OpenID Connect security', (open) => {
  let live: LiveApp;
  beforeEach(async () => { live = await startLiveApp(await open()); });
  afterEach(() => live.close());

  it('asks for the password again when an app requests prompt=login or a max_age the login is older than', async () => {
    await newAccount(live.ctx, 'erin');
    const config = await register(live);
    const browser = new HttpBrowser(live.base);
    await codeFlow(live, config, browser, 'erin');
    // Logged in to Ruche: a plain request goes straight back to the app...
    expect((await browser.follow((await authUrl(config)).url, CALLBACK)).url.startsWith(CALLBACK)).toBe(true);
    // ...but prompt=login and an exceeded max_age show the password form, and go back to the app only after it.
    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      await new Promise((r) => setTimeout(r, 1100)); // the last login is now at least a second old
      const { url } = await authUrl(config, extra);
      const asked = await browser.follow(url, CALLBACK);
      expect(asked.url.startsWith(CALLBACK), JSON.stringify(extra)).toBe(false);
      expect(browser.lastPage).toContain('name="password"');
      const step = await logIn(live, browser, url, 'erin');
      expect(step.url.startsWith(CALLBACK), JSON.stringify(extra)).toBe(true);
    }
  });

  it('holds the two-factor requirement of a role for app logins too', async () => {
    await newAccount(live.ctx, 'tess', ['member', 'treasurer']);
    await setTwoFactorPolicy(live.ctx.db, SYSTEM, { required_roles: ['treasurer'] });
    const config = await register(live);
    const browser = new HttpBrowser(live.base);
    const step = await logIn(live, browser, (await authUrl(config)).url, 'tess');
    expect(step.url.startsWith(CALLBACK)).toBe(false);
    expect(step.url).toContain('/account/two-factor');
  });

  it('refuses a redirect URI not registered exactly, without redirecting to it', async () => {
    const config = await register(live);
    const browser = new HttpBrowser(live.base);
    for (const evil of [`${CALLBACK}/../evil`, `${CALLBACK}?next=x`, 'https://app.example.org/callbacks', 'https://evil.example/callback']) {
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: evil, scope: 'openid', state: 's' });
      const response = await browser.request(url.href);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('redirect_uri');
    }
  });

  it('refuses a public client without PKCE, and one whose verifier does not match', async () => {
    await newAccount(live.ctx, 'bob');
    const config = await register(live, { public: true });
    const browser = new HttpBrowser(live.base);
    const { url } = await authUrl(config, {}, false);
    const refused = await browser.follow(url, CALLBACK);
    const back = new URL(refused.url);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('code')).toBeNull();

    const { callback } = await codeFlow(live, config, browser, 'bob');
    await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: 'xyz' }))
      .rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('fails a code used twice and revokes the tokens issued from it', async () => {
    await newAccount(live.ctx, 'carol');
    const config = await register(live);
    const { callback, verifier } = await codeFlow(live, config, new HttpBrowser(live.base), 'carol');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'xyz' });
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
    await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'xyz' }))
      .rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it("stops a disabled account's refresh token and userinfo, and refuses its login", async () => {
    const dave = await newAccount(live.ctx, 'dave');
    const config = await register(live);
    const browser = new HttpBrowser(live.base);
    const { callback, verifier } = await codeFlow(live, config, browser, 'dave');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'xyz' });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    await setDisabled(live.ctx.db, SYSTEM, dave, true);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, String(dave))).rejects.toMatchObject({ code: 'OAUTH_WWW_AUTHENTICATE_CHALLENGE', cause: [{ scheme: 'bearer', parameters: { error: 'invalid_token' } }] });
    const other = new HttpBrowser(live.base);
    const step = await other.follow((await authUrl(config)).url, CALLBACK);
    expect(step.response?.status).toBe(200);
    const posted = await other.submitLogin('dave', PASSWORD);
    expect(posted.status).toBe(422);
    expect(await posted.text()).toContain('Wrong username or password');
  });

  it('refuses a person outside the groups a client is reserved to, with a clear page', async () => {
    await newAccount(live.ctx, 'erin', ['member']);
    await newAccount(live.ctx, 'frank', ['treasurer']);
    const config = await register(live, { allowed_groups: 'role-treasurer' });
    const { url } = await authUrl(config);
    const refused = await logIn(live, new HttpBrowser(live.base), url, 'erin');
    expect(refused.response?.status).toBe(403);
    expect(await refused.response?.text()).toContain('réservée aux groupes role-treasurer');
    expect(refused.url.startsWith(CALLBACK)).toBe(false);
    await codeFlow(live, config, new HttpBrowser(live.base), 'frank');
  });

  it('asks consent for a third-party app only, and a refusal goes back as access_denied', async () => {
    await newAccount(live.ctx, 'gina');
    const config = await register(live, { first_party: false, name: 'Outside app' });
    const browser = new HttpBrowser(live.base);
    const { url } = await authUrl(config);
    const consent = await logIn(live, browser, url, 'gina');
    expect(consent.response?.status).toBe(200);
    expect(browser.lastPage).toContain('Autoriser Outside app ?');
    const action = /action="([^"]+\/abort)"/.exec(browser.lastPage)![1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(browser.lastPage)![1];
    const denied = await browser.request(action, { form: { _csrf: csrf } });
    const back = await browser.follow(new URL(denied.headers.get('location')!, live.base).href, CALLBACK);
    expect(new URL(back.url).searchParams.get('error')).toBe('access_denied');

    const again = await logIn(live, browser, (await authUrl(config)).url);
    const allow = /action="([^"]+\/consent)"/.exec(browser.lastPage)![1];
    const allowed = await browser.request(allow, { form: { _csrf: /name="_csrf" value="([^"]+)"/.exec(browser.lastPage)![1] } });
    expect(again.response?.status).toBe(200);
    const done = await browser.follow(new URL(allowed.headers.get('location')!, live.base).href, CALLBACK);
    expect(new URL(done.url).searchParams.get('code')).toBeTruthy();
    // Once granted, the same request goes straight back to the app.
    expect((await logIn(live, browser, (await authUrl(config)).url)).url.startsWith(CALLBACK)).toBe(true);
  });

  it('ends the single sign-on session when the person logs out of Ruche', async () => {
    await newAccount(live.ctx, 'hugo');
    const config = await register(live);
    const browser = new HttpBrowser(live.base);
    await codeFlow(live, config, browser, 'hugo');
    expect((await logIn(live, browser, (await authUrl(config)).url)).url.startsWith(CALLBACK)).toBe(true);
    await browser.request('/');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(browser.lastPage)![1];
    expect((await browser.request('/logout', { form: { _csrf: csrf } })).status).toBe(303);
    const step = await logIn(live, browser, (await authUrl(config)).url);
    expect(step.url.startsWith(CALLBACK)).toBe(false);
    expect(browser.lastPage).toContain('name="password"');
  });

  it('rotates the signing key: both keys published, new tokens signed by the new key', async () => {
    await newAccount(live.ctx, 'ines');
    const config = await register(live);
    const [first] = await listSigningKeys(live.ctx.db);
    const newKid = await rotateSigningKey(live.ctx.db, live.ctx.secret);
    await live.app.oidc.provider(true);
    const jwks = await (await fetch(`${live.issuer}/jwks`)).json() as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([first.kid, newKid].sort());
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    const { callback, verifier } = await codeFlow(live, config, new HttpBrowser(live.base), 'ines');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'xyz' });
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0], 'base64url').toString()) as { kid: string; alg: string };
    expect(header).toMatchObject({ kid: newKid, alg: 'RS256' });
    const keys = await listSigningKeys(live.ctx.db);
    expect(keys.find((k) => k.kid === first.kid)?.dropAfter).toBeTruthy();
  });
});
