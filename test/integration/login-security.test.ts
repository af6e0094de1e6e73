// Brute-force protection of the login form, and the page where a person sees and ends their sessions.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createAccount, createApiToken } from '../../src/modules/accounts/accounts.service.js';
import { LOGIN_LIMITS } from '../../src/modules/security/login-guard.js';
import { Browser, csrfOf } from '../helpers/browser-client.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('login protection and sessions', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  /** A login form submitted from an address, as a browser elsewhere would. */
  async function loginFrom(address: string, login: string, password: string) {
    const form = await t.app.inject({ method: 'GET', url: '/login', remoteAddress: address });
    const cookie = form.cookies.map((c: { name: string; value: string }) => `${c.name}=${c.value}`).join('; ');
    const body = new URLSearchParams({ _csrf: csrfOf(form.body), login, password, next: '/' }).toString();
    return t.app.inject({ method: 'POST', url: '/login', remoteAddress: address, payload: body, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** True when a browser's session no longer opens pages (sent to the login page). */
  async function loggedOut(browser: Browser) {
    const response = await browser.get('/account');
    return response.statusCode === 302 && String(response.headers.location).startsWith('/login');
  }

  async function auditActions() {
    return (await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).orderBy('id').execute()).map((r) => `${r.action} ${r.entity_id}`);
  }

  it('locks a login name after repeated failures, even for the right password, and says for how long', async () => {
    const alice = await createAccount(t.ctx.db, SYSTEM, { username: 'alice', password: PASSWORD, roles: [] });
    for (let i = 0; i < LOGIN_LIMITS.login; i++) expect((await loginFrom('203.0.113.9', 'alice', 'wrong password')).statusCode).toBe(422);
    const locked = await loginFrom('203.0.113.9', 'alice', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/Too many failed logins\. Try again in 15 min/);
    expect(locked.cookies.some((c: { name: string }) => c.name === 'ruche_session')).toBe(false);
    const actions = await auditActions();
    expect(actions.filter((a) => a === `auth.login_failed ${alice.id}`)).toHaveLength(LOGIN_LIMITS.login);
    expect(actions.some((a) => a.startsWith('auth.login '))).toBe(false);
  });

  it('answers an unknown name exactly as a known one (no way to tell which accounts exist)', async () => {
    for (let i = 0; i < LOGIN_LIMITS.login; i++) expect((await loginFrom('203.0.113.9', 'nobody', 'wrong password')).statusCode).toBe(422);
    const locked = await loginFrom('203.0.113.9', 'nobody', 'wrong password');
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/Too many failed logins/);
  });

  it('never locks the owner out of a browser where they logged in before, and the lock ends by itself', async () => {
    await createAccount(t.ctx.db, SYSTEM, { username: 'bob', password: PASSWORD, roles: [] });
    const own = new Browser(t.app);
    await own.login('bob', PASSWORD);
    await own.get('/');
    await own.post('/logout');
    expect((await auditActions()).filter((a) => a.startsWith('auth.log'))).toEqual([expect.stringMatching(/^auth\.login \d+$/), expect.stringMatching(/^auth\.logout \d+$/)]);
    for (let i = 0; i < LOGIN_LIMITS.login + 3; i++) await loginFrom('198.51.100.7', 'bob', `guess ${i}`);
    expect((await loginFrom('198.51.100.8', 'bob', PASSWORD)).statusCode).toBe(429);
    await own.login('bob', PASSWORD);
    expect((await own.get('/account')).statusCode).toBe(200);

    await t.ctx.db.updateTable('login_throttle').set({ locked_until: new Date(Date.now() - 1000).toISOString(), window_started_at: '2000-01-01T00:00:00.000Z' }).execute();
    expect((await loginFrom('198.51.100.8', 'bob', PASSWORD)).statusCode).toBe(303);
  });

  it('locks an address that tries many names', async () => {
    for (let i = 0; i < LOGIN_LIMITS.ip; i++) await loginFrom('192.0.2.50', `name${i}`, 'wrong password');
    await createAccount(t.ctx.db, SYSTEM, { username: 'carol', password: PASSWORD, roles: [] });
    expect((await loginFrom('192.0.2.50', 'carol', PASSWORD)).statusCode).toBe(429);
    expect((await loginFrom('192.0.2.51', 'carol', PASSWORD)).statusCode).toBe(303);
  });

  it('shows a person their sessions and lets them end another one, which then stops working', async () => {
    await createAccount(t.ctx.db, SYSTEM, { username: 'dana', password: PASSWORD, roles: [] });
    const laptop = new Browser(t.app, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' });
    const phone = new Browser(t.app, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36' });
    await laptop.login('dana', PASSWORD);
    await phone.login('dana', PASSWORD);

    const page = await laptop.get('/account/sessions');
    expect(page.body).toContain('Firefox / Linux <strong>(this browser)</strong>');
    expect(page.body).toContain('Chrome / Android');
    const listed = JSON.parse((await laptop.get('/api/v1/me/sessions')).body) as { items: { id: string; current: boolean }[] };
    expect(listed.items).toHaveLength(2);
    const other = listed.items.find((s) => !s.current)!;

    await laptop.get('/account/sessions');
    expect((await laptop.post(`/account/sessions/${other.id}/end`, { _csrf: 'forged' })).statusCode).toBe(403);
    expect((await phone.get('/account')).statusCode).toBe(200);
    await laptop.get('/account/sessions');
    expect((await laptop.post(`/account/sessions/${other.id}/end`)).statusCode).toBe(303);
    expect(await loggedOut(phone)).toBe(true);
    expect((await laptop.get('/account')).statusCode).toBe(200);
    const dana = await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'dana').executeTakeFirstOrThrow();
    expect(await auditActions()).toContain(`session.end ${dana.id}`);
  });

  it('ends all other sessions at once, and nobody can end someone else\'s session', async () => {
    await createAccount(t.ctx.db, SYSTEM, { username: 'erin', password: PASSWORD, roles: [] });
    const [first, second, third] = [new Browser(t.app), new Browser(t.app), new Browser(t.app)];
    for (const b of [first, second, third]) await b.login('erin', PASSWORD);
    const stranger = await t.loginAs([]);
    const theirs = JSON.parse((await second.get('/api/v1/me/sessions')).body).items[0].id as string;
    await stranger.get('/account');
    expect((await stranger.json('DELETE', `/api/v1/me/sessions/${theirs}`)).statusCode).toBe(404);
    expect((await stranger.json('DELETE', '/api/v1/me/sessions/%25%25%25%25')).statusCode).toBe(404);

    await first.get('/account/sessions');
    const ended = await first.post('/account/sessions/end-others');
    expect(ended.statusCode).toBe(303);
    expect((await first.get('/account/sessions')).body).toContain('2 other session(s) ended.');
    for (const b of [second, third]) expect(await loggedOut(b)).toBe(true);
  });

  it('a suspended account loses its sessions and API tokens at once', async () => {
    const frank = await createAccount(t.ctx.db, SYSTEM, { username: 'frank', password: PASSWORD, roles: [] });
    const browser = new Browser(t.app);
    await browser.login('frank', PASSWORD);
    const { token } = await createApiToken(t.ctx.db, SYSTEM, frank.id, { name: 'script' });
    const admin = await t.loginAs(['admin']);
    await admin.get(`/accounts/${frank.id}`);
    expect((await admin.post(`/accounts/${frank.id}/disable`)).statusCode).toBe(303);
    expect(await loggedOut(browser)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await loginFrom('192.0.2.60', 'frank', PASSWORD)).statusCode).toBe(422);
  });
});
