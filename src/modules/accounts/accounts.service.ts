import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { conflict, notFound, ValidationError } from '../../core/errors.js';
import { permissionsOf } from '../../core/permissions.js';
import { randomToken, sha256 } from '../../core/tokens.js';
import { validate } from '../../core/validate.js';
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
}

/** Creates an account, and a person for it when an e-mail or name is given without a person. */
export async function createAccount(db: Db, actor: Actor, input: AccountCreateInput | Record<string, unknown>): Promise<AccountView> {
  const data = validate(accountCreateInput, input);
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
    password_hash: await hashPassword(data.password),
    person_id: personId,
    locale: data.locale ?? null,
    disabled: 0,
    created_at: nowIso(),
  });
  await repo.replaceRoles(db, id, data.roles);
  const after = { username: data.username, person_id: personId, roles: data.roles };
  await recordChange(db, actor, { action: 'account.create', entityType: 'account', entityId: id, after });
  return getAccount(db, id);
}

/** One account with its roles. */
export async function getAccount(db: Db, id: number): Promise<AccountView> {
  const [row] = await repo.selectAccounts(db, id);
  if (!row) throw notFound();
  return toView(row, await repo.selectRoles(db, id));
}

function toView(row: { id: number; username: string; person_id: number | null; display_name: string | null; disabled: number; locale: string | null; created_at: string; last_login_at: string | null }, roles: string[]): AccountView {
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

/** Changes one's own password after checking the current one. */
export async function changeOwnPassword(db: Db, actor: Actor, accountId: number, input: unknown): Promise<void> {
  const { current, password } = validate(passwordChangeInput, input);
  const account = await repo.selectAccountById(db, accountId);
  if (!account || !(await verifyPassword(account.password_hash, current))) throw new ValidationError({ current: 'accounts.wrong_password' });
  await setPassword(db, actor, accountId, password);
}

/** Remembers an account's language. */
export async function setLocale(db: Db, accountId: number, locale: Locale): Promise<void> {
  await repo.updateAccount(db, accountId, { locale });
}

/** Checks a username-or-e-mail and password; returns the account id or null, in constant-ish time. */
export async function authenticate(db: Db, login: string, password: string): Promise<number | null> {
  const normalized = login.trim().toLowerCase();
  let account = await repo.selectAccountByUsername(db, normalized);
  if (!account && normalized.includes('@')) {
    const byEmail = await repo.selectAccountsByEmail(db, normalized);
    if (byEmail.length === 1) account = byEmail[0];
  }
  if (!account || account.disabled) {
    await verifyDecoy(password);
    return null;
  }
  if (!(await verifyPassword(account.password_hash, password))) return null;
  await repo.updateAccount(db, account.id, { last_login_at: nowIso() });
  return account.id;
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

const SESSION_DAYS = 14;
// Sessions and tokens record their last use at most this often, so reads do not each cost a write.
const TOUCH_MS = 3_600_000;

function expiry(from: Date): string {
  return new Date(from.getTime() + SESSION_DAYS * 86_400_000).toISOString();
}

/** Opens a browser session; returns the cookie value (only its hash is stored). */
export async function openSession(db: Db, accountId: number): Promise<string> {
  const value = randomToken(32);
  const now = new Date();
  await repo.insertSession(db, { id_hash: sha256(value), account_id: accountId, created_at: now.toISOString(), expires_at: expiry(now), last_seen_at: now.toISOString() });
  return value;
}

/** The principal of a session cookie, sliding its expiry at most once an hour; null when expired. */
export async function principalForSession(db: Db, cookie: string): Promise<Principal | null> {
  const idHash = sha256(cookie);
  const now = new Date();
  const row = await repo.selectLiveSession(db, idHash, now.toISOString());
  if (!row) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_MS) await repo.touchSession(db, idHash, now.toISOString(), expiry(now));
  return principalOf(db, row, 'session');
}

/** Ends a session. */
export async function closeSession(db: Db, cookie: string): Promise<void> {
  await repo.deleteSession(db, sha256(cookie));
}

/** Removes expired sessions (scheduled). */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  await repo.deleteExpiredSessions(db, nowIso());
}
