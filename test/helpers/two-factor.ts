// Two-factor helpers for tests: codes computed with otplib as an authenticator app would, accounts with TOTP turned on.
import { generate } from 'otplib';
import { vi } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { beginSetup, confirmSetup } from '../../src/modules/two-factor/two-factor.service.js';
import { PASSWORD, type TestApp } from './app.js';
import type { Browser } from './browser-client.js';

/** Pins the clock (Date only) to the middle of a 30-second TOTP step, so codes never straddle a step boundary. */
export function pinClock(): number {
  const middle = Math.floor(Date.now() / 30_000) * 30_000 + 15_000;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(middle);
  return middle;
}

/** The code an app shows now, or `offsetSeconds` from now. */
export function codeAt(secret: string, offsetSeconds = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
}

/** The TOTP secret shown on the setup page (grouped by four for reading). */
export function secretOf(page: string): string {
  const match = /<code id="totp-secret">([^<]+)<\/code>/.exec(page);
  if (!match) throw new Error('no TOTP secret on the page');
  return match[1].replace(/\s/g, '');
}

/** The recovery codes listed on a page. */
export function recoveryCodesOf(page: string): string[] {
  return [...page.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
}

/** A new account with two-factor on (confirmed with the previous step's code, so the current one is still unused). */
export async function accountWithTotp(t: TestApp, username: string, roles: string[] = ['member']) {
  const account = await createAccount(t.ctx.db, SYSTEM, { username, password: PASSWORD, roles });
  const { secret } = await beginSetup(t.ctx.db, t.ctx.secret, account);
  const recoveryCodes = await confirmSetup(t.ctx.db, t.ctx.secret, SYSTEM, account.id, { code: await codeAt(secret, -30) });
  return { account, secret, recoveryCodes };
}

/** Types the username and password on the login page (the first step). */
export async function passwordStep(browser: Browser, username: string, fields: Record<string, string> = {}) {
  await browser.get('/login');
  return browser.post('/login', { login: username, password: PASSWORD, next: '/account', ...fields });
}
