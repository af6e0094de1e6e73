import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { conflict, notFound, ValidationError } from '../../core/errors.js';
import { permissionsOf } from '../../core/permissions.js';
import { randomToken, sha256 } from '../../core/tokens.js';
import { validate } from '../../core/validate.js';
import type { z } from 'zod';
import { isLocale, type Locale } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { endOidcOfAccount } from '../oidc/oidc.service.js';
import { createPerson, getPerson } from '../people/people.service.js';
import * as repo from './accounts.repository.js';
import { accountCreateInput, type AccountCreateInput, passwordChangeInput, rolesInput, tokenCreateInput } from './accounts.schema.js';
import { hashPassword, verifyDecoy, verifyPassword } from './password.js';
import type { Principal } from './principal.js';

/** An account as other modules and fronts see it. */
export interface AccountView {
  id: number;
  username: string;
  personId: number | null;
  displayName: string | null;
  disabled: boolean;
  locale: string | null;
  roles: string[];
  createdAt: string;
  lastLoginAt: string | null;
  /** The sponsor whose invitation created the account, if any. */
  invitedBy: { id: number; username: string } | null;
}

/** Creates an account, and a person for it when an e-mail or name is given without a person; `invitedBy` records the sponsor. */
export async function createAccount(db: Db, actor: Actor, input: AccountCreateInput | Record<string, unknown>, origin: { invitedBy?: number } = {}): Promise<AccountView> {
  const data = validate(accountCreateInput, input);
  return insertNewAccount(db, actor, data, () => hashPassword(data.password), origin.invitedBy ?? null);
}

/** Creates an account whose password was hashed earlier (a registration request an admin accepts later): no clear password is ever kept. */
export async function createAccountWithPasswordHash(db: Db, actor: Actor, input: Record<string, unknown>, passwordHash: string): Promise<AccountView> {
  const data = validate(accountCreateInput.omit({ password: true }), input);
  return insertNewAccount(db, actor, data, async () => passwordHash, null);
}

/** True when an account already uses this username (lower-cased), so a request can say so before anything is created. */
export async function isUsernameTaken(db: Db, username: string): Promise<boolean> {
  return (await repo.selectAccountByUsername(db, username.trim().toLowerCase())) !== undefined;
}

type NewAccountData = Omit<z.infer<typeof accountCreateInput>, 'password'>;

async function insertNewAccount(db: Db, actor: Actor, data: NewAccountData, passwordHash: () => Promise<string>, invitedBy: number | null): Promise<AccountView> {
  if (await repo.selectAccountByUsername(db, data.username)) throw conflict('accounts.username_taken', { username: data.username });
  let personId = data.person_id ?? null;
  if (personId !== null && (await getPerson(db, personId).catch(() => null))?.deleted_at !== null) {
    throw new ValidationError({ person_id: 'accounts.person_unknown' });
  }
  if (personId === null && (data.email || data.display_name)) {
    const person = await createPerson(db, actor, {
      kind: 'individual',
      display_name: data.display_name ?? data.username,
      emails: data.email ? [data.email] : [],
      language: data.locale,
    });
    personId = person.id;
  }
  const id = await repo.insertAccount(db, {
    username: data.username,
    password_hash: await passwordHash(),
    person_id: personId,
    locale: data.locale ?? null,
    disabled: 0,
    created_at: nowIso(),
    invited_by_account_id: invitedBy,
  });
  await repo.replaceRoles(db, id, data.roles);
  const after = { username: data.username, person_id: personId, roles: data.roles, ...(invitedBy ? { invited_by_account_id: invitedBy } : {}) };
  await recordChange(db, actor, { action: 'account.create', entityType: 'account', entityId: id, after });
  return getAccount(db, id);
}

/** One account with its roles. */
export async function getAccount(db: Db, id: number): Promise<AccountView> {
  const [row] = await repo.selectAccounts(db, id);
  if (!row) throw notFound();
  return toView(row, await repo.selectRoles(db, id));
}

type AccountRow = {
  id: number; username: string; person_id: number | null; display_name: string | null; disabled: number; locale: string | null;
  created_at: string; last_login_at: string | null; invited_by_account_id: number | null; invited_by_username: string | null;
};

function toView(row: AccountRow, roles: string[]): AccountView {
  return {
    id: row.id,
    username: row.username,
    personId: row.person_id,
    displayName: row.display_name,
    disabled: row.disabled === 1,
    locale: row.locale,
    roles,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    invitedBy: row.invited_by_account_id !== null ? { id: row.invited_by_account_id, username: row.invited_by_username ?? '' } : null,
  };
}

/** Every account with its roles. */
export async function listAccounts(db: Db): Promise<AccountView[]> {
  const rows = await repo.selectAccounts(db);
  return Promise.all(rows.map(async (row) => toView(row, await repo.selectRoles(db, row.id))));
}

/** Accounts tied to a person (shown on the person's page). */
export async function accountsOfPerson(db: Db, personId: number) {
  return repo.selectAccountsOfPerson(db, personId);
}

/** True while no account exists: the one-time setup link is then offered. */
export async function needsSetup(db: Db): Promise<boolean> {
  return (await repo.countAccounts(db)) === 0;
}

/** Replaces an account's roles, recording before and after. */
export async function setRoles(db: Db, actor: Actor, accountId: number, input: unknown): Promise<AccountView> {
  const { roles } = validate(rolesInput, input);
  const before = await getAccount(db, accountId);
  await repo.replaceRoles(db, accountId, roles);
  await recordChange(db, actor, { action: 'account.roles', entityType: 'account', entityId: accountId, before: { roles: before.roles }, after: { roles } });
  return getAccount(db, accountId);
}

/** Disables or re-enables an account; disabling ends its sessions. */
export async function setDisabled(db: Db, actor: Actor, accountId: number, disabled: boolean): Promise<void> {
  await getAccount(db, accountId);
  await repo.updateAccount(db, accountId, { disabled: disabled ? 1 : 0 });
  if (disabled) {
    await repo.deleteSessionsOfAccount(db, accountId);
    await endOidcOfAccount(db, accountId); // single sign-on sessions and every app token end too
  }
  await recordChange(db, actor, { action: disabled ? 'account.disable' : 'account.enable', entityType: 'account', entityId: accountId });
}

/** Sets an account's new password (hashing with argon2id). */
export async function setPassword(db: Db, actor: Actor, accountId: number, password: string): Promise<void> {
  await repo.updateAccount(db, accountId, { password_hash: await hashPassword(password) });
  await recordChange(db, actor, { action: 'account.password', entityType: 'account', entityId: accountId });
}

/** Changes one's own password after checking the current one, and ends the account's other sessions (`keepSession`: the cookie in use). */
export async function changeOwnPassword(db: Db, actor: Actor, accountId: number, input: unknown, keepSession?: string): Promise<void> {
  const { current, password } = validate(passwordChangeInput, input);
  const account = await repo.selectAccountById(db, accountId);
  if (!account || !(await verifyPassword(account.password_hash, current))) throw new ValidationError({ current: 'accounts.wrong_password' });
  await setPassword(db, actor, accountId, password);
  await endSessions(db, accountId, keepSession);
}

/** Ends every browser session of an account, or all but the one whose cookie is kept (after a password change or reset). */
export async function endSessions(db: Db, accountId: number, keepSession?: string): Promise<number> {
  return repo.deleteSessionsOfAccount(db, accountId, keepSession === undefined ? undefined : sha256(keepSession));
}

/** True when the password is the account's own (re-confirming who is there before a sensitive change). */
export async function verifyAccountPassword(db: Db, accountId: number, password: string): Promise<boolean> {
  const account = await repo.selectAccountById(db, accountId);
  if (!account) return false;
  return verifyPassword(account.password_hash, password);
}

/** Remembers an account's language. */
export async function setLocale(db: Db, accountId: number, locale: Locale): Promise<void> {
  await repo.updateAccount(db, accountId, { locale });
}

/** Checks a username-or-e-mail and password; returns the account id or null, in constant-ish time. */
export async function authenticate(db: Db, login: string, password: string): Promise<number | null> {
  const account = await accountForLogin(db, login);
  if (!account || account.disabled) {
    await verifyDecoy(password);
    return null;
  }
  if (!(await verifyPassword(account.password_hash, password))) return null;
  await repo.updateAccount(db, account.id, { last_login_at: nowIso() });
  return account.id;
}

/** The account a login names: its username, or an e-mail address only it has (null otherwise). */
export async function accountForLogin(db: Db, login: string) {
  const normalized = login.trim().toLowerCase();
  const account = await repo.selectAccountByUsername(db, normalized);
  if (account || !normalized.includes('@')) return account ?? null;
  const byEmail = await repo.selectAccountsByEmail(db, normalized);
  return byEmail.length === 1 ? byEmail[0] : null;
}

type CredentialAccount = { account_id: number; username: string; person_id: number | null; locale: string | null };

async function principalOf(db: Db, account: CredentialAccount, via: Principal['via']): Promise<Principal> {
  const roles = await repo.selectRoles(db, account.account_id);
  return {
    accountId: account.account_id,
    username: account.username,
    personId: account.person_id,
    roles,
    permissions: permissionsOf(roles),
    locale: isLocale(account.locale) ? account.locale : null,
    via,
  };
}

/** Builds the principal (account, roles, permissions) for an account id. */
export async function principalFor(db: Db, accountId: number, via: Principal['via']): Promise<Principal | null> {
  const account = await repo.selectAccountById(db, accountId);
  if (!account || account.disabled) return null;
  return principalOf(db, { ...account, account_id: account.id }, via);
}

/** The principal for a username (CLI commands acting as an account). */
export async function principalForUsername(db: Db, username: string): Promise<Principal> {
  const account = await repo.selectAccountByUsername(db, username.trim().toLowerCase());
  const principal = account ? await principalFor(db, account.id, 'cli') : null;
  if (!principal) throw notFound('accounts.not_found');
  return principal;
}

/** Creates an API token for an account; the token is returned once and only its hash is kept. */
export async function createApiToken(db: Db, actor: Actor, accountId: number, input: unknown): Promise<{ id: number; token: string }> {
  const { name } = validate(tokenCreateInput, input);
  await getAccount(db, accountId);
  const token = `ruche_${randomToken(32)}`;
  const id = await repo.insertToken(db, { account_id: accountId, name, token_hash: sha256(token), created_at: nowIso() });
  await recordChange(db, actor, { action: 'token.create', entityType: 'account', entityId: accountId, after: { token_id: id, name } });
  return { id, token };
}

/** Tokens of an account, without their values. */
export async function listApiTokens(db: Db, accountId: number) {
  return repo.selectTokensOfAccount(db, accountId);
}

/** Revokes one of an account's tokens. */
export async function revokeApiToken(db: Db, actor: Actor, accountId: number, tokenId: number): Promise<void> {
  if ((await repo.revokeToken(db, accountId, tokenId, nowIso())) === 0) throw notFound();
  await recordChange(db, actor, { action: 'token.revoke', entityType: 'account', entityId: accountId, after: { token_id: tokenId } });
}

/** The principal a bearer token stands for (its last use recorded at most hourly), or null. */
export async function principalForToken(db: Db, token: string): Promise<Principal | null> {
  const row = await repo.selectLiveTokenByHash(db, sha256(token));
  if (!row) return null;
  const now = new Date();
  if (!row.last_used || now.getTime() - Date.parse(row.last_used) > TOUCH_MS) await repo.touchToken(db, row.token_id, now.toISOString());
  return principalOf(db, row, 'token');
}

/** How long a session lives without use: 30 days when remembered, 12 hours for a browser-session cookie. */
export const SESSION_LIFETIME_SECONDS = { remember: 30 * 86_400, browser: 12 * 3_600 } as const;
// Sessions and tokens record their last use at most this often, so reads do not each cost a write.
const TOUCH_MS = 3_600_000;
// A short session slides more often, so an hour of reading does not end it.
const SHORT_TOUCH_MS = 600_000;

function expiry(from: Date, remember: boolean): string {
  return new Date(from.getTime() + SESSION_LIFETIME_SECONDS[remember ? 'remember' : 'browser'] * 1000).toISOString();
}

/** Opens a browser session (remembered 30 days, or 12 hours), noting the browser and address for the sessions page; returns the cookie value (only its hash is stored). */
export async function openSession(db: Db, accountId: number, options: { remember?: boolean; userAgent?: string; ip?: string } = {}): Promise<string> {
  const value = randomToken(32);
  const now = new Date();
  const remember = options.remember ?? false;
  await repo.insertSession(db, {
    id_hash: sha256(value), account_id: accountId, created_at: now.toISOString(), expires_at: expiry(now, remember), last_seen_at: now.toISOString(), remember: remember ? 1 : 0,
    user_agent: options.userAgent?.slice(0, 300) ?? null, ip: options.ip ?? null,
  });
  return value;
}

/** The principal of a session cookie, sliding its expiry now and then; null when expired. */
export async function principalForSession(db: Db, cookie: string): Promise<Principal | null> {
  const idHash = sha256(cookie);
  const now = new Date();
  const row = await repo.selectLiveSession(db, idHash, now.toISOString());
  if (!row) return null;
  const remember = row.remember === 1;
  if (now.getTime() - Date.parse(row.last_seen_at) > (remember ? TOUCH_MS : SHORT_TOUCH_MS)) await repo.touchSession(db, idHash, now.toISOString(), expiry(now, remember));
  return principalOf(db, row, 'session');
}

/** When the session of a cookie was opened (the password typed), or null: apps may ask for a login newer than their request. */
export async function sessionOpenedAt(db: Db, cookie: string): Promise<Date | null> {
  const at = await repo.selectSessionOpening(db, sha256(cookie));
  return at ? new Date(at) : null;
}

/** Ends a session. */
export async function closeSession(db: Db, cookie: string): Promise<void> {
  await repo.deleteSession(db, sha256(cookie));
}

/** Removes expired sessions (scheduled). */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  await repo.deleteExpiredSessions(db, nowIso());
}
