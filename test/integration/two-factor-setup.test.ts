// Two-factor setup by the person (QR code, confirmation, recovery codes), turning it off, roles that require it, admin reset.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { beginSetup, twoFactorEnabled } from '../../src/modules/two-factor/two-factor.service.js';
import { openStorage } from '../../src/storage/database.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { ruche } from '../helpers/cli.js';
import { forEachDialect } from '../helpers/dialects.js';
import { accountWithTotp, codeAt, passwordStep, pinClock, recoveryCodesOf, secretOf } from '../helpers/two-factor.js';

forEachDialect('two-factor setup and policy', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    pinClock();
    t = await startTestApp(await open());
  });
  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  it('sets up two-factor with the QR code page, shows the recovery codes once, then asks for a code at login', async () => {
    const browser = await t.loginAs(['member'], 'hana');
    expect((await browser.get('/account')).body).toContain('href="/account/two-factor"');
    const page = await browser.get('/account/two-factor');
    expect(page.body).toMatch(/<svg [^>]*role="img"[^>]*viewBox/);
    const secret = secretOf(page.body);
    expect(secretOf((await browser.get('/account/two-factor')).body)).toBe(secret); // a reload keeps the same key
    const row = await t.ctx.db.selectFrom('account_totp').selectAll().executeTakeFirstOrThrow();
    expect(row.secret_encrypted).not.toContain(secret);
    expect(row.confirmed_at).toBeNull();

    const wrong = await browser.post('/account/two-factor/confirm', { code: '12345' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('This code is not valid.');
    const done = await browser.post('/account/two-factor/confirm', { code: await codeAt(secret, -30) });
    expect(done.statusCode).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    const codes = recoveryCodesOf(done.body);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(done.body).toContain('keep them somewhere safe');
    const stored = await t.ctx.db.selectFrom('recovery_codes').select('code_hash').execute();
    expect(stored.map((r) => r.code_hash).join()).not.toContain(codes[0].replace('-', ''));

    const status = await browser.get('/account/two-factor');
    expect(status.body).toContain('Recovery codes left: 10.');
    expect(status.body).not.toContain('totp-secret');
    const account = (await t.ctx.db.selectFrom('accounts').select('id').where('username', '=', 'hana').executeTakeFirstOrThrow());
    expect((await historyOf(t.ctx.db, 'account', account.id)).map((h) => h.action)).toContain('account.2fa_enable');

    const again = new Browser(t.app);
    expect((await passwordStep(again, 'hana')).headers.location).toBe('/login/two-factor');
    await again.get('/login/two-factor');
    expect((await again.post('/login/two-factor', { code: await codeAt(secret) })).statusCode).toBe(303);
  });

  it('names the collective as issuer and the username as label in the otpauth URI', async () => {
    const account = await createAccount(t.ctx.db, SYSTEM, { username: 'ines', password: PASSWORD, roles: [] });
    await t.ctx.db.insertInto('settings').values({ key: 'collective', value: JSON.stringify({ collective_name: 'Le Nid' }) }).execute();
    const { uri, secret } = await beginSetup(t.ctx.db, t.ctx.secret, account);
    expect(uri).toBe(`otpauth://totp/Le%20Nid:ines?secret=${secret}&issuer=Le%20Nid`);
  });

  it('turns off only with the password or a code, and renews recovery codes (the old ones stop working)', async () => {
    const { account, secret, recoveryCodes } = await accountWithTotp(t, 'jules');
    const browser = new Browser(t.app);
    await passwordStep(browser, 'jules');
    await browser.get('/login/two-factor');
    await browser.post('/login/two-factor', { code: await codeAt(secret) });
    await browser.get('/account/two-factor');

    const refused = await browser.post('/account/two-factor/disable', { confirmation: 'not my password' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Neither your password nor a valid code.');
    expect(await twoFactorEnabled(t.ctx.db, account.id)).toBe(true);

    const renewed = await browser.post('/account/two-factor/recovery-codes', { confirmation: await codeAt(secret, 30) });
    expect(renewed.statusCode).toBe(200);
    const fresh = recoveryCodesOf(renewed.body);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);

    await browser.get('/account/two-factor');
    const off = await browser.post('/account/two-factor/disable', { confirmation: PASSWORD });
    expect(off.statusCode).toBe(303);
    expect(await twoFactorEnabled(t.ctx.db, account.id)).toBe(false);
    expect(await t.ctx.db.selectFrom('recovery_codes').selectAll().execute()).toHaveLength(0);
    const actions = (await historyOf(t.ctx.db, 'account', account.id)).map((h) => h.action);
    expect(actions).toEqual(expect.arrayContaining(['account.2fa_enable', 'account.2fa_recovery_regenerate', 'account.2fa_disable']));
    expect((await passwordStep(new Browser(t.app), 'jules')).headers.location).toBe('/account');
  });

  it('sends a person whose role requires two-factor to the setup page, and closes everything else until it is set up', async () => {
    const admin = await t.loginAs(['admin'], 'root');
    const policy = await admin.get('/settings/two-factor');
    expect(policy.statusCode).toBe(200);
    expect((await admin.post('/settings/two-factor', { required_roles: ['emperor'] })).statusCode).toBe(422);
    expect((await admin.post('/settings/two-factor', { required_roles: ['treasurer'] })).statusCode).toBe(303);
    expect((await admin.get('/people')).statusCode).toBe(200); // the admin's role is not in the list
    const token = await t.tokenFor(['treasurer']);

    const kim = await t.loginAs(['treasurer'], 'kim');
    const people = await kim.get('/people');
    expect(people.statusCode).toBe(303);
    expect(people.headers.location).toBe('/account/two-factor');
    const setup = await kim.get('/account/two-factor');
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toContain('Your role requires two-factor authentication');
    expect((await kim.post('/account/password', { current: PASSWORD, password: 'another long password' })).statusCode).toBe(403);
    const api = await kim.get('/api/v1/me');
    expect(api.statusCode).toBe(403);
    expect(api.json().error.code).toBe('two_factor_required');
    // API tokens are not interactive logins: they keep working.
    expect((await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);

    const secret = secretOf(setup.body);
    expect((await kim.post('/account/two-factor/confirm', { code: await codeAt(secret) })).statusCode).toBe(200);
    expect((await kim.get('/people')).statusCode).toBe(200);

    // Logout and the language switch stay open to a gated person.
    const lee = await t.loginAs(['treasurer'], 'lee');
    await lee.get('/account/two-factor');
    expect((await lee.post('/lang', { lang: 'fr', back: '/account/two-factor' })).statusCode).toBe(303);
    await lee.get('/account/two-factor');
    expect((await lee.post('/logout')).headers.location).toBe('/login');
  });

  it('lets an admin remove a person\'s two-factor from the account page, and refuses others', async () => {
    const { account } = await accountWithTotp(t, 'mona');
    const admin = await t.loginAs(['admin'], 'chief');
    const page = await admin.get(`/accounts/${account.id}`);
    expect(page.body).toContain('On (10 recovery codes left).');
    expect(page.body).toContain(`action="/accounts/${account.id}/two-factor/reset"`);

    const treasurer = await t.loginAs(['treasurer']);
    await treasurer.get('/people');
    expect((await treasurer.post(`/accounts/${account.id}/two-factor/reset`)).statusCode).toBe(403);
    const memberToken = await t.tokenFor(['member']);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/accounts/${account.id}/two-factor`, headers: { authorization: `Bearer ${memberToken}` } })).statusCode).toBe(403);
    expect(await twoFactorEnabled(t.ctx.db, account.id)).toBe(true);

    await admin.get(`/accounts/${account.id}`);
    const reset = await admin.post(`/accounts/${account.id}/two-factor/reset`);
    expect(reset.statusCode).toBe(303);
    expect(await twoFactorEnabled(t.ctx.db, account.id)).toBe(false);
    expect((await admin.get(`/accounts/${account.id}`)).body).toContain('Off.');
    const entry = (await historyOf(t.ctx.db, 'account', account.id)).find((h) => h.action === 'account.2fa_reset');
    expect(entry?.actor).toBe('chief');
    expect((await passwordStep(new Browser(t.app), 'mona')).headers.location).toBe('/account');

    // Through the API: status, then a reset of an account without two-factor is a conflict.
    const adminToken = await t.tokenFor(['admin']);
    const auth = { authorization: `Bearer ${adminToken}` };
    expect((await t.app.inject({ url: `/api/v1/accounts/${account.id}/two-factor`, headers: auth })).json()).toMatchObject({ enabled: false });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/accounts/${account.id}/two-factor`, headers: auth })).statusCode).toBe(409);
    expect((await t.app.inject({ url: '/api/v1/accounts/999999/two-factor', headers: auth })).statusCode).toBe(404);
  });

  it('refuses every two-factor form without its CSRF token', async () => {
    const { account, secret } = await accountWithTotp(t, 'nora');
    const admin = await t.loginAs(['admin']);
    await admin.get('/settings/two-factor');
    expect((await admin.post('/settings/two-factor', { required_roles: 'member', _csrf: 'forged' })).statusCode).toBe(403);
    expect((await admin.post(`/accounts/${account.id}/two-factor/reset`, { _csrf: 'forged' })).statusCode).toBe(403);

    const fresh = await t.loginAs(['member'], 'otto');
    const setup = await fresh.get('/account/two-factor');
    expect((await fresh.post('/account/two-factor/confirm', { code: await codeAt(secretOf(setup.body)), _csrf: 'forged' })).statusCode).toBe(403);

    const nora = new Browser(t.app);
    await passwordStep(nora, 'nora');
    await nora.get('/login/two-factor');
    await nora.post('/login/two-factor', { code: await codeAt(secret) });
    await nora.get('/account/two-factor');
    expect((await nora.post('/account/two-factor/recovery-codes', { confirmation: PASSWORD, _csrf: 'forged' })).statusCode).toBe(403);
    expect((await nora.post('/account/two-factor/disable', { confirmation: PASSWORD, _csrf: 'forged' })).statusCode).toBe(403);
    expect(await twoFactorEnabled(t.ctx.db, account.id)).toBe(true);
    expect(await t.ctx.db.selectFrom('account_totp').selectAll().where('confirmed_at', 'is not', null).execute()).toHaveLength(1);
  });
});

describe('ruche accounts 2fa-reset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruche-2fa-cli-'));
  const saved = { ...process.env };
  afterEach(() => {
    process.env = saved;
  });

  it('removes the two-factor of the named account, and says so when there is none', async () => {
    Object.assign(process.env, { RUCHE_DATA_DIR: dir, DATABASE_URL: '', RUCHE_SECRET: 'cli-2fa-secret-0123456789abcdef', LANG: 'C', LC_ALL: '', LC_MESSAGES: '' });
    try {
      expect((await ruche(['migrate'])).code).toBe(0);
      const storage = openStorage({ databaseUrl: '', dataDir: dir });
      try {
        const fake = { app: null as never, ctx: { db: storage.db, secret: process.env.RUCHE_SECRET! } } as unknown as TestApp;
        await accountWithTotp(fake, 'pia');
      } finally {
        await storage.close();
      }
      const done = await ruche(['accounts', '2fa-reset', 'pia']);
      expect(done.code).toBe(0);
      expect(done.out.text()).toContain('Two-factor authentication removed for pia.');
      const twice = await ruche(['accounts', '2fa-reset', 'pia']);
      expect(twice.code).toBe(1);
      expect(twice.err.text()).toContain('Two-factor authentication is not on for this account.');
      expect((await ruche(['accounts', '2fa-reset', 'nobody'])).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
