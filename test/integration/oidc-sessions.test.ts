// How single sign-on sessions end: offline_access tokens that outlive the login session (without a consent page),
// back-channel logout tokens to a real receiver on 127.0.0.1 (checked against Ruche's JWKS), and password resets.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { setDisabled } from '../../src/modules/accounts/accounts.service.js';
import { adminResetLink, resetPassword } from '../../src/modules/account-mail/password-reset.service.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBrowser, type LiveApp, newAccount, startLiveApp } from '../helpers/oidc.js';
import { appLogin, registerApp } from '../helpers/oidc-apps.js';

const OFFLINE = 'openid profile offline_access';

/** An app's back-channel logout endpoint: keeps the logout tokens it receives, answers 200. */
class LogoutReceiver {
  readonly tokens: string[] = [];
  private server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (req.method === 'POST' && req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') && token) this.tokens.push(token);
      res.writeHead(token ? 200 : 400).end();
    });
  });

  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/backchannel-logout`;
  }

  /** Waits for the n-th token (delivery after a suspension happens in the background). */
  async token(n = 1): Promise<string> {
    for (let i = 0; i < 100 && this.tokens.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    expect(this.tokens.length).toBeGreaterThanOrEqual(n);
    return this.tokens[n - 1];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Verifies a logout token's RS256 signature against the issuer's published JWKS and returns its header and claims. */
async function verifiedLogoutToken(live: LiveApp, token: string) {
  const [head, body, signature] = token.split('.');
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string; kid: string; typ?: string };
  const jwks = await (await fetch(`${live.issuer}/jwks`)).json() as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  expect(header.alg).toBe('RS256');
  expect(jwk, 'the signing key is published').toBeTruthy();
  const valid = verify('sha256', Buffer.from(`${head}.${body}`), createPublicKey({ key: jwk!, format: 'jwk' }), Buffer.from(signature, 'base64url'));
  expect(valid, 'signature checks against the JWKS').toBe(true);
  return { header, claims: JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown> };
}

function expectLogoutToken(live: LiveApp, claims: Record<string, unknown>, clientId: string, sub: number, sid: unknown): void {
  expect(claims).toMatchObject({ iss: live.issuer, aud: clientId, sub: String(sub), sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
  expect(claims.jti).toBeTruthy();
  expect(claims.iat).toBeTypeOf('number');
  expect(claims.nonce).toBeUndefined();
}

async function logoutOfRuche(browser: HttpBrowser): Promise<void> {
  await browser.request('/');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(browser.lastPage)![1];
  expect((await browser.request('/logout', { form: { _csrf: csrf } })).status).toBe(303);
}

forEachDialect('Single sign-on sessions: offline access, back-channel logout, password reset', (open) => {
  let live: LiveApp;
  let receiver: LogoutReceiver;
  beforeEach(async () => {
    live = await startLiveApp(await open());
    receiver = new LogoutReceiver();
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.close();
    await live.close();
  });

  it('gives a first-party app asking offline_access a refresh token that outlives the session, without a consent page', async () => {
    const carl = await newAccount(live.ctx, 'carl');
    const app = await registerApp(live, 'nextcloud');
    const { tokens: offline, browser } = await appLogin(live, app, 'nextcloud', 'carl', { scope: OFFLINE });
    expect(browser.lastPage).not.toContain('/consent'); // no consent page on the way
    expect(offline.scope?.split(' ')).toContain('offline_access');
    const { tokens: online } = await appLogin(live, app, 'nextcloud', 'carl', { scope: 'openid profile' }, browser);
    expect(online.refresh_token).toBeTruthy();

    await logoutOfRuche(browser);
    // The session-bound token ended with the session; the offline one goes on (and rotates).
    await expect(oidc.refreshTokenGrant(app.config, online.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const refreshed = await oidc.refreshTokenGrant(app.config, offline.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(String(carl));

    // Revoking the grant (the app's own revocation) stops it, and the access tokens issued under it.
    await oidc.tokenRevocation(app.config, refreshed.refresh_token!);
    await expect(oidc.refreshTokenGrant(app.config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(app.config, refreshed.access_token)).active).toBe(false);

    // A new offline token stops when the account is suspended.
    const { tokens: again } = await appLogin(live, app, 'nextcloud', 'carl', { scope: OFFLINE });
    await setDisabled(live.ctx.db, SYSTEM, carl, true);
    await expect(oidc.refreshTokenGrant(app.config, again.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('keeps the library’s rule for third-party apps: offline_access needs prompt=consent', async () => {
    await newAccount(live.ctx, 'dina');
    const app = await registerApp(live, 'generic', { register: { first_party: false } });
    const browser = new HttpBrowser(live.base);
    const url = oidc.buildAuthorizationUrl(app.config, { redirect_uri: app.callback, scope: OFFLINE, state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    await browser.follow(url.href, app.callback);
    const posted = await browser.submitLogin('dina', 'correct horse battery staple');
    await browser.follow(new URL(posted.headers.get('location')!, live.base).href, app.callback);
    expect(browser.lastPage).toContain('/consent');
    expect(browser.lastPage).not.toContain('stay connected when you are away');
    expect(browser.lastPage).not.toContain('rester connectée en votre absence');
  });

  it('sends a signed logout token to the app when the person logs out of Ruche, and when the account is suspended', async () => {
    const erin = await newAccount(live.ctx, 'erin');
    const app = await registerApp(live, 'synapse', { register: { backchannel_logout_uri: receiver.url } });
    const { tokens, browser } = await appLogin(live, app, 'synapse', 'erin', { nonce: true });
    const sid = tokens.claims()?.sid;
    expect(sid).toBeTruthy();

    await logoutOfRuche(browser);
    const first = await verifiedLogoutToken(live, await receiver.token(1));
    expect(first.header.typ).toBe('logout+jwt');
    expectLogoutToken(live, first.claims, app.client.clientId, erin, sid);

    const second = await appLogin(live, app, 'synapse', 'erin', { nonce: true }, browser);
    await setDisabled(live.ctx.db, SYSTEM, erin, true);
    const { claims } = await verifiedLogoutToken(live, await receiver.token(2));
    expectLogoutToken(live, claims, app.client.clientId, erin, second.tokens.claims()?.sid);
  });

  it('ends the single sign-on sessions after a password reset, keeping the app grants', async () => {
    await newAccount(live.ctx, 'fred');
    const app = await registerApp(live, 'nextcloud', { register: { backchannel_logout_uri: receiver.url } });
    const { tokens: offline, browser } = await appLogin(live, app, 'nextcloud', 'fred', { scope: OFFLINE });
    const { tokens: online } = await appLogin(live, app, 'nextcloud', 'fred', { scope: 'openid profile' }, browser);

    const { url } = await adminResetLink(live.ctx.db, live.ctx.config, SYSTEM, 'fred', false);
    await resetPassword(live.ctx.db, { token: url.split('/').pop(), password: 'a brand new passphrase 42' });

    // Ruche's own session and the single sign-on session are gone: the app's next login asks for the password.
    const step = await browser.follow(oidc.buildAuthorizationUrl(app.config, { redirect_uri: app.callback, scope: 'openid', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }).href, app.callback);
    expect(step.url.startsWith(app.callback)).toBe(false);
    expect(browser.lastPage).toContain('name="password"');
    await expect(oidc.refreshTokenGrant(app.config, online.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.refreshTokenGrant(app.config, offline.refresh_token!)).access_token).toBeTruthy();
    const { claims } = await verifiedLogoutToken(live, await receiver.token(1));
    expect(claims.aud).toBe(app.client.clientId);
  });
});
