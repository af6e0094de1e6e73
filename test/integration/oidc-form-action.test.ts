// The pages of a login that goes back to an app (login form, second step, consent) let their forms be redirected to
// that app's origin: browsers check CSP form-action on every redirect of a submission (the Chromium test caught it).
// Every other page, and a login whose `next` names no live interaction, keeps `form-action 'self'`.
import * as oidc from 'openid-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { createClient } from '../../src/modules/oidc/clients.service.js';
import { beginSetup, confirmSetup } from '../../src/modules/two-factor/two-factor.service.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBrowser, type LiveApp, newAccount, PASSWORD, startLiveApp } from '../helpers/oidc.js';
import { codeAt } from '../helpers/two-factor.js';

const formAction = (response: Response | undefined) => /form-action ([^;]*)/.exec(response?.headers.get('content-security-policy') ?? '')?.[1];

async function appLoginPage(live: LiveApp, browser: HttpBrowser, options: { callback: string; firstParty?: boolean }) {
  const { client, secret } = await createClient(live.ctx.db, SYSTEM, { name: 'App', redirect_uris: [options.callback], first_party: options.firstParty ?? true });
  const config = await oidc.discovery(new URL(live.issuer), client.clientId, undefined, oidc.ClientSecretBasic(secret!), { execute: [oidc.allowInsecureRequests] });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.callback, scope: 'openid profile', state: oidc.randomState(),
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
  });
  return browser.follow(url.href, options.callback);
}

forEachDialect('form-action of the pages of a login for an app', (open) => {
  let live: LiveApp;
  beforeEach(async () => { live = await startLiveApp(await open()); });
  afterEach(() => live.close());

  it('adds the app\'s origin on the login form and the second step of its login, and nowhere else', async () => {
    const account = await createAccount(live.ctx.db, SYSTEM, { username: 'tom', password: PASSWORD, roles: [] });
    const { secret } = await beginSetup(live.ctx.db, live.ctx.secret, account);
    await confirmSetup(live.ctx.db, live.ctx.secret, SYSTEM, account.id, { code: await codeAt(secret, -30) });

    const browser = new HttpBrowser(live.base);
    const login = await appLoginPage(live, browser, { callback: 'https://notes.example.org/callback' });
    expect(login.url).toMatch(/\/login\?next=%2Foidc%2Finteraction%2F/);
    expect(formAction(login.response)).toBe("'self' https://notes.example.org");
    const posted = await browser.submitLogin('tom', PASSWORD);
    expect(posted.headers.get('location')).toBe('/login/two-factor');
    expect(formAction(await browser.request('/login/two-factor'))).toBe("'self' https://notes.example.org");

    // A plain login, or a `next` naming no live interaction, stays at 'self'.
    const other = new HttpBrowser(live.base);
    expect(formAction(await other.request('/login'))).toBe("'self'");
    expect(formAction(await other.request('/login?next=%2Foidc%2Finteraction%2Fnot-a-live-one'))).toBe("'self'");
    expect(formAction(await other.request('/login?next=https%3A%2F%2Fevil.example%2F'))).toBe("'self'");
  });

  it('adds the app\'s origin on the consent page of a third-party app', async () => {
    await newAccount(live.ctx, 'una');
    const browser = new HttpBrowser(live.base);
    const first = await appLoginPage(live, browser, { callback: 'https://elsewhere.example.net/cb', firstParty: false });
    expect(first.response?.status).toBe(200);
    const posted = await browser.submitLogin('una', PASSWORD);
    const consent = await browser.follow(new URL(posted.headers.get('location')!, live.base).href, 'https://elsewhere.example.net/cb');
    expect(browser.lastPage).toContain('/consent"');
    expect(formAction(consent.response)).toBe("'self' https://elsewhere.example.net");
    expect(formAction(await browser.request('/account'))).toBe("'self'");
  });
});
