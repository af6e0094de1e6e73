// Two-factor at login: the second step (TOTP code or recovery code), its expiry and limits, remember-me sessions.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { CHALLENGE_MAX_ATTEMPTS } from '../../src/modules/two-factor/challenge.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';
import { accountWithTotp, codeAt, passwordStep, pinClock } from '../helpers/two-factor.js';

forEachDialect('two-factor login', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    pinClock();
    t = await startTestApp(await open());
  });
  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  const loggedIn = async (browser: Browser) => (await browser.get('/account')).statusCode === 200;

  it('asks for a code after the password, refuses a wrong one, and opens the session with the right one', async () => {
    const { secret } = await accountWithTotp(t, 'alice');
    const browser = new Browser(t.app);
    const first = await passwordStep(browser, 'alice');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/login/two-factor');
    expect(browser.cookies.has('ruche_session')).toBe(false);
    expect(await loggedIn(browser)).toBe(false);

    const step = await browser.get('/login/two-factor');
    expect(step.body).toContain('autocomplete="one-time-code"');
    const wrong = await browser.post('/login/two-factor', { code: '000000' === (await codeAt(secret)) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('This code is not valid.');
    expect(browser.cookies.has('ruche_session')).toBe(false);

    const right = await browser.post('/login/two-factor', { code: await codeAt(secret) });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/account');
    expect(await loggedIn(browser)).toBe(true);
    expect(browser.cookies.has('ruche_2fa')).toBe(false);

    // The same code cannot open a second session (replay), the next step's code can.
    const other = new Browser(t.app);
    await passwordStep(other, 'alice');
    await other.get('/login/two-factor');
    expect((await other.post('/login/two-factor', { code: await codeAt(secret) })).statusCode).toBe(422);
    expect((await other.post('/login/two-factor', { code: await codeAt(secret, 30) })).statusCode).toBe(303);
    expect(await loggedIn(other)).toBe(true);
  });

  it('accepts a recovery code once only, and records its use', async () => {
    const { account, recoveryCodes } = await accountWithTotp(t, 'bob');
    expect(recoveryCodes).toHaveLength(10);
    const browser = new Browser(t.app);
    await passwordStep(browser, 'bob');
    await browser.get('/login/two-factor');
    expect((await browser.post('/login/two-factor', { code: recoveryCodes[3].toUpperCase() })).statusCode).toBe(303);
    expect(await loggedIn(browser)).toBe(true);
    const used = (await historyOf(t.ctx.db, 'account', account.id)).find((h) => h.action === 'account.2fa_recovery_used');
    expect(used?.after).toEqual({ recovery_codes_left: 9 });

    const again = new Browser(t.app);
    await passwordStep(again, 'bob');
    await again.get('/login/two-factor');
    const refused = await again.post('/login/two-factor', { code: recoveryCodes[3] });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('This code is not valid.');
    expect(await loggedIn(again)).toBe(false);
  });

  it('lets the pending step expire after five minutes, and ends it after too many wrong codes', async () => {
    const { secret } = await accountWithTotp(t, 'carol');
    const slow = new Browser(t.app);
    await passwordStep(slow, 'carol');
    await slow.get('/login/two-factor');
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1_000);
    const late = await slow.post('/login/two-factor', { code: await codeAt(secret) });
    expect(late.statusCode).toBe(303);
    expect(late.headers.location).toBe('/login');
    expect((await slow.get('/login')).body).toContain('Your login took too long');
    expect(await loggedIn(slow)).toBe(false);

    const guesser = new Browser(t.app);
    await passwordStep(guesser, 'carol');
    await guesser.get('/login/two-factor');
    for (let i = 1; i < CHALLENGE_MAX_ATTEMPTS; i++) expect((await guesser.post('/login/two-factor', { code: `${100000 + i}` })).statusCode).toBe(422);
    const last = await guesser.post('/login/two-factor', { code: '999999' });
    expect(last.headers.location).toBe('/login');
    expect((await guesser.get('/login')).body).toContain('Too many wrong codes');
    // The right code no longer helps: the password must be typed again.
    expect((await guesser.post('/login/two-factor', { code: await codeAt(secret) })).headers.location).toBe('/login');
    expect(await loggedIn(guesser)).toBe(false);
  });

  it('a second step without a pending login, or from another browser, goes back to the login page', async () => {
    const { secret } = await accountWithTotp(t, 'dan');
    const stranger = new Browser(t.app);
    expect((await stranger.get('/login/two-factor')).headers.location).toBe('/login');
    const victim = new Browser(t.app);
    await passwordStep(victim, 'dan');
    await stranger.get('/login');
    const stolen = await stranger.post('/login/two-factor', { code: await codeAt(secret) });
    expect(stolen.headers.location).toBe('/login');
    expect(await loggedIn(stranger)).toBe(false);
  });

  it('remember me: a 30-day cookie and session; without it, a browser-session cookie and a 12-hour session', async () => {
    await t.loginAs(['member'], 'erin');
    const sessionCookie = (response: { cookies: unknown }) =>
      (response.cookies as { name: string; maxAge?: number; expires?: Date }[]).find((c) => c.name === 'ruche_session');
    const expiries = async () => (await t.ctx.db.selectFrom('sessions').innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select(['sessions.expires_at', 'sessions.remember']).where('accounts.username', '=', 'erin').orderBy('sessions.created_at').execute());
    const now = Date.now();

    const remembered = await passwordStep(new Browser(t.app), 'erin', { remember: 'on' });
    expect(sessionCookie(remembered)).toMatchObject({ maxAge: 30 * 86_400 });
    const [loginAsSession, rememberedRow] = await expiries();
    expect(Date.parse(rememberedRow.expires_at) - now).toBe(30 * 86_400_000);
    expect(rememberedRow.remember).toBe(1);

    const browserOnly = await passwordStep(new Browser(t.app), 'erin');
    const cookie = sessionCookie(browserOnly);
    expect(cookie).toBeDefined();
    expect(cookie?.maxAge).toBeUndefined();
    expect(cookie?.expires).toBeUndefined();
    const rows = await expiries();
    expect(Date.parse(rows[2].expires_at) - now).toBe(12 * 3_600_000);
    expect(Date.parse(loginAsSession.expires_at) - now).toBe(12 * 3_600_000);

    // The short session ends 12 hours after its last use; the remembered one is still there.
    const shortBrowser = new Browser(t.app);
    await passwordStep(shortBrowser, 'erin');
    const longBrowser = new Browser(t.app);
    await passwordStep(longBrowser, 'erin', { remember: 'on' });
    vi.setSystemTime(now + 13 * 3_600_000);
    expect(await loggedIn(shortBrowser)).toBe(false);
    expect(await loggedIn(longBrowser)).toBe(true);
  });

  it('remember me is carried through the second step', async () => {
    const { secret } = await accountWithTotp(t, 'fay');
    const browser = new Browser(t.app);
    await passwordStep(browser, 'fay', { remember: 'on' });
    await browser.get('/login/two-factor');
    const done = await browser.post('/login/two-factor', { code: await codeAt(secret) });
    expect((done.cookies as { name: string; maxAge?: number }[]).find((c) => c.name === 'ruche_session')?.maxAge).toBe(30 * 86_400);
  });

  it('refuses a forged second step (no CSRF token)', async () => {
    const { secret } = await accountWithTotp(t, 'gus');
    const browser = new Browser(t.app);
    await passwordStep(browser, 'gus');
    await browser.get('/login/two-factor');
    expect((await browser.post('/login/two-factor', { code: await codeAt(secret), _csrf: 'forged' })).statusCode).toBe(403);
    expect(await loggedIn(browser)).toBe(false);
  });
});
