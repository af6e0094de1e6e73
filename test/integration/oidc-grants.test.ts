// A person's app grants on their sessions page and in the API: a grant made by a real code flow (openid-client against
// a listening Ruche) is listed, revoking it stops the app's tokens at once, nobody revokes someone else's grant.
import * as oidc from 'openid-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createApiToken } from '../../src/modules/accounts/accounts.service.js';
import { createClient } from '../../src/modules/oidc/clients.service.js';
import { csrfOf } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBrowser, type LiveApp, newAccount, PASSWORD, startLiveApp } from '../helpers/oidc.js';

const CALLBACK = 'https://notes.example.org/callback';

interface GrantItem { id: string; clientId: string; client: string; scopes: string[]; grantedAt: string }

/** A confidential relying party registered in Ruche and discovered by openid-client. */
async function relyingParty(live: LiveApp, name: string) {
  const { client, secret } = await createClient(live.ctx.db, SYSTEM, { name, redirect_uris: [CALLBACK] });
  return oidc.discovery(new URL(live.issuer), client.clientId, undefined, oidc.ClientSecretBasic(secret!), { execute: [oidc.allowInsecureRequests] });
}

/** Runs a full code flow with PKCE in `browser` (logging in as `login` when Ruche asks) and returns the app's tokens. */
async function logInToApp(live: LiveApp, config: oidc.Configuration, browser: HttpBrowser, login?: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid profile email groups offline_access', state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  let step = await browser.follow(url.href, CALLBACK);
  if (login && !step.url.startsWith(CALLBACK)) {
    const posted = await browser.submitLogin(login, PASSWORD);
    step = await browser.follow(new URL(posted.headers.get('location')!, live.base).href, CALLBACK);
  }
  expect(step.url.startsWith(CALLBACK), `ended at ${step.url}`).toBe(true);
  return oidc.authorizationCodeGrant(config, new URL(step.url), { pkceCodeVerifier: verifier, expectedState: state });
}

async function grantsOf(browser: HttpBrowser): Promise<GrantItem[]> {
  const response = await browser.request('/api/v1/me/grants');
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: GrantItem[] }).items;
}

forEachDialect('app grants on the sessions page', (open) => {
  let live: LiveApp;
  beforeEach(async () => { live = await startLiveApp(await open()); });
  afterEach(() => live.close());

  it('lists the grant of a real code flow, and revoking it makes the app\'s tokens fail until it asks again', async () => {
    const alice = await newAccount(live.ctx, 'alice');
    const config = await relyingParty(live, 'Notes');
    const browser = new HttpBrowser(live.base);
    const tokens = await logInToApp(live, config, browser, 'alice');
    expect(tokens.refresh_token).toBeTruthy();

    // The page (in English for the assertions) shows the app, since when, and what it may do.
    await browser.request('/account/sessions');
    await browser.request('/lang', { form: { _csrf: csrfOf(browser.lastPage), lang: 'en', back: '/account/sessions' } });
    const page = await browser.request('/account/sessions');
    expect(page.status).toBe(200);
    const body = browser.lastPage;
    expect(body).toContain('<h2 id="apps">Apps</h2>');
    expect(body).toMatch(/<tr><td>Notes<\/td><td>\d{4}-\d\d-\d\d \d\d:\d\d<\/td>/);
    // A first-party app asking offline_access holds a refresh token: the person is told it stays connected.
    expect(body).toContain('<td>know who you are (your account identifier); see your username, name and language; see your e-mail address; see the groups you belong to; stay connected when you are away</td>');
    expect(body).toContain('aria-label="Revoke Notes"');
    const [grant] = await grantsOf(browser);
    expect(grant).toMatchObject({ client: 'Notes', scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'] });
    expect(body).toContain(`action="/account/grants/${grant.id}/revoke"`);

    // A forged form changes nothing: the app still refreshes.
    const forged = await browser.request(`/account/grants/${grant.id}/revoke`, { form: { _csrf: 'forged' } });
    expect(forged.status).toBe(403);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);

    // The real button: the grant goes, with the app's access and refresh tokens, at once.
    await browser.request('/account/sessions');
    const revoked = await browser.request(`/account/grants/${grant.id}/revoke`, { form: { _csrf: csrfOf(browser.lastPage) } });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe('/account/sessions#apps');
    await browser.request('/account/sessions');
    expect(browser.lastPage).toContain('Notes no longer has access to your account.');
    expect(browser.lastPage).toContain('No app has access to your account.');
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, String(alice))).rejects.toThrow();
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
    expect(await grantsOf(browser)).toEqual([]);
    const audit = await live.ctx.db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_label']).where('action', '=', 'oidc.revoke').execute();
    expect(audit).toEqual([expect.objectContaining({ entity_id: String(alice) })]);

    // The app asks again (the Ruche session is still there: no password) and gets a new grant.
    const again = await logInToApp(live, config, browser);
    expect((await oidc.fetchUserInfo(config, again.access_token, String(alice))).preferred_username).toBe('alice');
    const [renewed] = await grantsOf(browser);
    expect(renewed.id).not.toBe(grant.id);
  });

  it('refuses to revoke someone else\'s grant (404, nothing changed), by form or API, and needs CSRF for the cookie API', async () => {
    await newAccount(live.ctx, 'alice');
    const bob = await newAccount(live.ctx, 'bob');
    const config = await relyingParty(live, 'Wiki');
    const alicesBrowser = new HttpBrowser(live.base);
    const tokens = await logInToApp(live, config, alicesBrowser, 'alice');
    const [grant] = await grantsOf(alicesBrowser);

    const bobsBrowser = new HttpBrowser(live.base);
    await bobsBrowser.request('/login');
    expect((await bobsBrowser.submitLogin('bob', PASSWORD)).status).toBe(303);
    await bobsBrowser.request('/account/sessions');
    expect(bobsBrowser.lastPage).not.toContain('Wiki');
    const byForm = await bobsBrowser.request(`/account/grants/${grant.id}/revoke`, { form: { _csrf: csrfOf(bobsBrowser.lastPage) } });
    expect(byForm.status).toBe(404);
    const { token } = await createApiToken(live.ctx.db, SYSTEM, bob, { name: 'script' });
    const byApi = await fetch(`${live.base}/api/v1/me/grants/${grant.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(byApi.status).toBe(404);
    const garbage = await fetch(`${live.base}/api/v1/me/grants/${encodeURIComponent('%%%')}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(garbage.status).toBe(404);
    expect(((await (await fetch(`${live.base}/api/v1/me/grants`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] }).items).toEqual([]);

    // Alice's own session cookie without the CSRF header cannot revoke through the API either.
    const cookie = alicesBrowser.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const noCsrf = await fetch(`${live.base}/api/v1/me/grants/${grant.id}`, { method: 'DELETE', headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    expect(await grantsOf(alicesBrowser)).toHaveLength(1);
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeTruthy();

    // With her own API token, Alice can.
    const mine = await createApiToken(live.ctx.db, SYSTEM, (await live.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id, { name: 'script' });
    const deleted = await fetch(`${live.base}/api/v1/me/grants/${grant.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${mine.token}` } });
    expect(deleted.status).toBe(204);
    expect(await grantsOf(alicesBrowser)).toEqual([]);
    expect(await live.ctx.db.selectFrom('oidc_payloads').select('model').where('grant_id', '=', grant.id).execute()).toEqual([]);
  });
});
