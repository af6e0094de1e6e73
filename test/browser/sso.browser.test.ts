// Single sign-on in a real Chromium (JavaScript off, keyboard only): an admin invites someone, the invitee creates their
// account and sets up TOTP, logs in to a small app through Ruche (password, then code), sees the app's grant next to
// their browser session on Ruche's sessions page, and revokes it. The app is a relying party served by this test
// (node:http + openid-client) on another port of 127.0.0.1. SQLite only: storage is covered on both dialects by the
// integration tests (oidc-flow, oidc-grants); what is checked here is what a person does in a browser.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { createGroup } from '../../src/modules/groups/groups.service.js';
import { createClient } from '../../src/modules/oidc/clients.service.js';
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/database.js';
import { chromiumMissing, openChromium } from '../helpers/chromium.js';
import { type LiveApp, PASSWORD, startLiveApp } from '../helpers/oidc.js';
import { unavailable } from '../helpers/require.js';
import { codeAt } from '../helpers/two-factor.js';

const missing = chromiumMissing();
if (missing) unavailable('browser', missing);

const APP_NAME = 'Pad';
/** The app's own cookie; the browser shares cookies across the ports of 127.0.0.1, so it must not collide with Ruche's. */
const APP_COOKIE = 'pad_login';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A tiny web app logging people in through Ruche: /login starts a code flow with PKCE, /callback greets the person. */
class RelyingParty {
  readonly server: Server = createServer((req, res) => { this.handle(req, res).catch((error: Error) => this.send(res, 500, `<p id="error">${escapeHtml(String(error))}</p>`)); });
  base = '';
  config?: oidc.Configuration;
  /** The tokens of the last completed login, kept as the app would (to call userinfo or refresh later). */
  tokens?: oidc.TokenEndpointResponse;
  private readonly pending = new Map<string, { verifier: string; state: string; nonce: string }>();

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  private send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(`<!doctype html><html lang="en"><head><title>${APP_NAME}</title></head><body>${body}</body></html>`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const config = this.config!;
    if (url.pathname === '/') return this.send(res, 200, `<h1>${APP_NAME}</h1><p><a href="/login">Log in with Ruche</a></p>`);
    if (url.pathname === '/login') {
      const login = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
      const id = randomBytes(16).toString('hex');
      this.pending.set(id, login);
      const target = oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${this.base}/callback`, scope: 'openid profile email groups', state: login.state, nonce: login.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier), code_challenge_method: 'S256',
      });
      res.writeHead(302, { location: target.href, 'set-cookie': `${APP_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
      return void res.end();
    }
    if (url.pathname === '/callback') {
      const id = /(?:^|;\s*)pad_login=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      const login = this.pending.get(id);
      if (!login) return this.send(res, 400, '<p id="error">No login in progress.</p>');
      this.pending.delete(id);
      const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
      this.tokens = tokens;
      const claims = tokens.claims()!;
      const groups = (claims.groups as string[] | undefined) ?? [];
      return this.send(res, 200, `<h1>Hello ${escapeHtml(String(claims.name))}</h1><p>Your groups: <span id="groups">${escapeHtml(groups.join(', '))}</span></p>`);
    }
    return this.send(res, 404, '<p>Not found</p>');
  }
}

/** Does something that submits a form or follows a link, and waits for the browser to land on `url`. */
async function navigate(page: Page, action: () => Promise<void>, url: RegExp | string): Promise<void> {
  await Promise.all([page.waitForURL(url), action()]);
}

/** Waits, when needed, so the next few seconds stay within one 30-second TOTP step (a code typed is still valid). */
async function awayFromStepEdge(): Promise<void> {
  const into = Date.now() % 30_000;
  if (into > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - into + 500));
}

(missing ? describe.skip : describe)('single sign-on in Chromium: invitation, TOTP, an app login, the sessions page [sqlite]', () => {
  let storage: Storage;
  let dataDir: string;
  let live: LiveApp;
  const app = new RelyingParty();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ruche-sso-browser-'));
    storage = openStorage({ databaseUrl: '', dataDir });
    await migrateToLatest(storage.db);
    live = await startLiveApp(storage);
    await createAccount(live.ctx.db, SYSTEM, { username: 'ada', password: PASSWORD, roles: ['admin'] });
    await createGroup(live.ctx.db, SYSTEM, { name: 'chatons', label: 'Chatons' });
    const appBase = await app.listen();
    const { client, secret } = await createClient(live.ctx.db, SYSTEM, { name: APP_NAME, redirect_uris: [`${appBase}/callback`] });
    app.config = await oidc.discovery(new URL(live.issuer), client.clientId, undefined, oidc.ClientSecretBasic(secret!), { execute: [oidc.allowInsecureRequests] });
  });

  afterAll(async () => {
    app.server.closeAllConnections();
    await new Promise((resolve) => app.server.close(resolve));
    await live?.close();
    await storage?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const session = await openChromium({ viewport: { width: 1024, height: 768 }, javaScriptEnabled: false, locale: 'en-GB' });
    onTestFinished(() => session.close());
    return session.context.pages()[0] ?? session.context.newPage();
  }

  /** The admin logs in and creates an invitation link joining the group `chatons`; returns the link shown once. */
  async function inviteSomeone(): Promise<string> {
    const page = await newPage();
    await page.goto(`${live.base}/invitations`);
    expect(page.url()).toBe(`${live.base}/login?next=%2Finvitations`);
    await page.getByLabel('Username or e-mail').fill('ada');
    await page.getByLabel('Password').fill(PASSWORD);
    await navigate(page, () => page.getByLabel('Password').press('Enter'), `${live.base}/invitations`);
    await page.getByLabel(/^Note/).fill('Camille, from the install party');
    await page.getByLabel(/^Groups to join/).fill('chatons');
    await navigate(page, () => page.getByLabel(/^Groups to join/).press('Enter'), `${live.base}/invitations`);
    const link = await page.getByLabel('Invitation link').inputValue();
    expect(link).toMatch(new RegExp(`^${live.base}/invite/[\\w-]+$`));
    return link;
  }

  it('accepts an invitation, sets up TOTP, logs in to an app through Ruche, then sees and revokes the app\'s grant', async () => {
    const link = await inviteSomeone();
    const page = await newPage();
    // Chromium checks form-action on every redirect of a form submission: a login going back to the app must not trip it.
    const blocked: string[] = [];
    page.on('console', (message) => { if (message.text().includes('Content Security Policy')) blocked.push(message.text()); });

    // The invitee opens the link and creates their account.
    await page.goto(link);
    await page.getByLabel('Your name').fill('Camille Martin');
    await page.getByLabel('E-mail').fill('camille@example.org');
    await page.getByLabel(/^Username/).fill('camille');
    await page.getByLabel(/^Password(?! \(again\))/).fill(PASSWORD);
    await page.getByLabel('Password (again)').fill(PASSWORD);
    await navigate(page, () => page.getByLabel('Password (again)').press('Enter'), `${live.base}/account`);
    expect(await page.locator('.flash').first().textContent()).toContain('Welcome, camille! Your account was created.');

    // Two-factor: the secret is shown as text for typing into an app; the code typed proves the app has it.
    await page.goto(`${live.base}/account/two-factor`);
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await awayFromStepEdge();
    await page.getByLabel('Code').fill(await codeAt(secret, -30)); // the previous step's code: the current one stays unused for the login
    await navigate(page, () => page.getByLabel('Code').press('Enter'), `${live.base}/account/two-factor/confirm`);
    const recoveryCodes = await page.locator('ul.recovery-codes li code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);

    // Logged out of Ruche, the person opens the app and logs in through Ruche: password, then a code.
    await navigate(page, () => page.getByRole('button', { name: 'Log out' }).press('Enter'), `${live.base}/login`);
    await page.goto(`${app.base}/`);
    await navigate(page, () => page.getByRole('link', { name: 'Log in with Ruche' }).press('Enter'), /\/login\?next=%2Foidc%2Finteraction%2F/);
    await page.getByLabel('Username or e-mail').fill('camille');
    await page.getByLabel('Password').fill(PASSWORD);
    await navigate(page, () => page.getByLabel('Password').press('Enter'), `${live.base}/login/two-factor`);
    await awayFromStepEdge();
    await page.getByLabel(/^Code/).fill(await codeAt(secret));
    await navigate(page, () => page.getByLabel(/^Code/).press('Enter'), new RegExp(`^${app.base}/callback\\?`))
      .catch(async (error: Error) => {
        await page.waitForTimeout(500); // the console reports the block just after the navigation fails
        throw new Error(`${error.message}\nblocked by the browser: ${blocked.join(' | ')}`);
      });
    expect(blocked).toEqual([]);
    expect(await page.locator('h1').textContent()).toBe('Hello Camille Martin');
    expect((await page.locator('#groups').textContent())!.split(', ')).toContain('chatons');
    expect(app.tokens?.refresh_token).toBeTruthy();

    // Ruche's sessions page: this browser's session, and the app's grant, which the person revokes.
    await page.goto(`${live.base}/account/sessions`);
    const thisBrowser = page.locator('tr', { hasText: '(this browser)' });
    expect(await thisBrowser.count()).toBe(1);
    expect(await thisBrowser.locator('td').first().textContent()).toMatch(/^Chrome \/ Linux/);
    const grantRow = page.locator('#apps + p + table tbody tr');
    expect(await grantRow.count()).toBe(1);
    expect(await grantRow.locator('td').first().textContent()).toBe(APP_NAME);
    expect(await grantRow.locator('td').nth(2).textContent()).toContain('see the groups you belong to');
    await navigate(page, () => page.getByRole('button', { name: `Revoke ${APP_NAME}` }).press('Enter'), `${live.base}/account/sessions#apps`);
    expect(await page.locator('.flash').first().textContent()).toContain(`${APP_NAME} no longer has access to your account.`);
    expect(await page.getByText('No app has access to your account.').count()).toBe(1);

    // The app's tokens stopped working at once; asking again goes through (Ruche's session is still open: no password).
    await expect(oidc.refreshTokenGrant(app.config!, app.tokens!.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(app.config!, app.tokens!.access_token)).active).toBe(false);
    await page.goto(`${app.base}/`);
    await navigate(page, () => page.getByRole('link', { name: 'Log in with Ruche' }).press('Enter'), new RegExp(`^${app.base}/callback\\?`));
    expect(await page.locator('h1').textContent()).toBe('Hello Camille Martin');
  }, 120_000);
});
