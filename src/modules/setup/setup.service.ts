import { AppError } from '../../core/errors.js';
import { randomToken, safeEqual, sha256 } from '../../core/tokens.js';
import { SYSTEM } from '../../core/actor.js';
import type { Db } from '../../storage/database.js';
import { type AccountView, createAccount, needsSetup } from '../accounts/accounts.service.js';
import { dropInternalSetting, getInternalSetting, putInternalSetting } from '../settings/settings.service.js';

const KEY = 'setup_token';
const VALID_HOURS = 24;

/** Issues the one-time setup link's token while no account exists (printed at start); null once set up. */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (!(await needsSetup(db))) return null;
  const token = randomToken(24);
  const expires = new Date(Date.now() + VALID_HOURS * 3_600_000).toISOString();
  await putInternalSetting(db, KEY, JSON.stringify({ hash: sha256(token), expires }));
  return token;
}

/** True when the token is the current, unexpired setup token and no account exists yet. */
export async function isValidSetupToken(db: Db, token: string): Promise<boolean> {
  const raw = await getInternalSetting(db, KEY);
  if (!raw || !(await needsSetup(db))) return false;
  const { hash, expires } = JSON.parse(raw) as { hash: string; expires: string };
  return safeEqual(hash, sha256(token)) && expires > new Date().toISOString();
}

/** Creates the first admin account from the setup link, then retires the link. */
export async function completeSetup(db: Db, token: string, input: Record<string, unknown>): Promise<AccountView> {
  if (!(await isValidSetupToken(db, token))) throw new AppError(404, 'setup_link_invalid', 'setup.link_invalid');
  const account = await createAccount(db, SYSTEM, { ...input, roles: ['admin'] });
  await dropInternalSetting(db, KEY);
  return account;
}
