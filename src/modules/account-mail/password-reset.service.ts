import type { Config } from '../../config/config.js';
import type { Actor } from '../../core/actor.js';
import { AppError, notFound } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/tokens.js';
import { validate } from '../../core/validate.js';
import { type Db, inTransaction } from '../../storage/database.js';
import { endSessions, setPassword } from '../accounts/accounts.service.js';
import { recordChange } from '../audit/audit.service.js';
import { endOidcSessionsOfAccount } from '../oidc/oidc.service.js';
import { type MailFailure, type OutgoingMail, requireMail, runInBackground, sendMail } from '../mail/mail.service.js';
import { recipientOf, resetMail } from './account-mail.mails.js';
import * as repo from './account-mail.repository.js';
import { resetConfirmInput, resetRequestInput } from './account-mail.schema.js';

const HOUR = 3_600_000;
/** A reset link works for one hour. */
export const RESET_LINK_MS = HOUR;
// At most this many reset mails per account, and per address, in an hour: enough for a lost mail, not for a mail bomb.
const RESETS_PER_HOUR = 3;

const ANONYMOUS: Actor = { accountId: null, label: 'password reset form' };

/** The answer for a reset or verification link that was used, expired or never existed. */
export function linkInvalid(): AppError {
  return new AppError(410, 'link_invalid', 'account_mail.link_invalid');
}

// The accounts a "forgot your password" answer may concern, each with the address to write to.
async function resetTargets(db: Db, login: string): Promise<{ accountId: number; email: string }[]> {
  if (login.includes('@')) return (await repo.selectEnabledAccountIdsByEmail(db, login)).map((accountId) => ({ accountId, email: login }));
  const accountId = await repo.selectEnabledAccountId(db, login);
  if (accountId === undefined) return [];
  const who = await recipientOf(db, accountId);
  const [primary] = who.personId === null ? [] : await repo.selectEmailsOfPerson(db, who.personId);
  return primary ? [{ accountId, email: primary.email }] : [];
}

async function overLimit(db: Db, target: { accountId: number; email: string }): Promise<boolean> {
  const since = new Date(Date.now() - HOUR).toISOString();
  return (await repo.countTokensSince(db, 'password_reset', since, { accountId: target.accountId })) >= RESETS_PER_HOUR
    || (await repo.countTokensSince(db, 'password_reset', since, { email: target.email })) >= RESETS_PER_HOUR;
}

async function issueResetToken(db: Db, accountId: number, email: string): Promise<string> {
  const token = randomToken(32);
  const now = new Date();
  await repo.insertMailToken(db, {
    kind: 'password_reset', token_hash: sha256(token), account_id: accountId, email,
    created_at: now.toISOString(), expires_at: new Date(now.getTime() + RESET_LINK_MS).toISOString(),
  });
  return token;
}

// Reset requests are worked through one at a time, so the hourly limits hold when requests arrive together.
let queue: Promise<void> = Promise.resolve();

async function issueResetMails(db: Db, config: Config, login: string): Promise<OutgoingMail[]> {
  const mails: OutgoingMail[] = [];
  for (const target of await resetTargets(db, login)) {
    if (await overLimit(db, target)) continue;
    const token = await issueResetToken(db, target.accountId, target.email);
    await recordChange(db, ANONYMOUS, { action: 'account.password_reset_requested', entityType: 'account', entityId: target.accountId });
    mails.push(await resetMail(db, config, await recipientOf(db, target.accountId), target.email, token));
  }
  return mails;
}

/**
 * "Forgot your password?": checks the input now, then, after the answer has gone, issues a one-hour link for the
 * account(s) a username or address names and mails it. Nothing is sent for an unknown login, a disabled account or
 * one over its hourly limit; the caller answers the same in every case and at once, so neither the answer nor its
 * time tells whether an account exists. A failure after the answer goes to `report` (the server's log).
 */
export function startPasswordReset(db: Db, config: Config, input: unknown, report: (failure: MailFailure) => void): void {
  requireMail(config);
  const { login } = validate(resetRequestInput, input);
  const work = queue.then(async () => {
    const mails = await inTransaction(db, (trx) => issueResetMails(trx, config, login));
    for (const mail of mails) await sendMail(config, mail);
  });
  queue = work.catch(() => {});
  runInBackground(() => work, report);
}

/** A reset link for an administrator to pass on (`ruche accounts reset-link`), with the mail when it is to be sent. */
export async function adminResetLink(db: Db, config: Config, actor: Actor, username: string, send: boolean): Promise<{ url: string; email: string | null; mail: OutgoingMail | null }> {
  if (send) requireMail(config);
  const accountId = await repo.selectEnabledAccountId(db, username.trim().toLowerCase());
  if (accountId === undefined) throw notFound('accounts.not_found');
  const who = await recipientOf(db, accountId);
  const [primary] = who.personId === null ? [] : await repo.selectEmailsOfPerson(db, who.personId);
  if (send && !primary) throw new AppError(422, 'no_email', 'account_mail.account_without_email', { username: who.username });
  const token = await issueResetToken(db, accountId, primary?.email ?? '');
  await recordChange(db, actor, { action: 'account.reset_link', entityType: 'account', entityId: accountId, after: { sent_to: send ? primary!.email : null } });
  const mail = send ? await resetMail(db, config, who, primary!.email, token, true) : null;
  return { url: `${config.publicUrl}/password-reset/${token}`, email: primary?.email ?? null, mail };
}

/** The username a live reset link is for, or null when the link was used, expired or is unknown (nothing is used up). */
export async function resetLinkUsername(db: Db, token: string): Promise<string | null> {
  const row = await repo.selectLiveToken(db, 'password_reset', sha256(token), new Date().toISOString());
  return row?.username ?? null;
}

/** Sets a new password through a reset link: uses the link up, retires the account's other links, ends every session, records it. */
export async function resetPassword(db: Db, input: unknown): Promise<{ accountId: number; username: string }> {
  const { token, password } = validate(resetConfirmInput, input);
  const now = new Date().toISOString();
  const row = await repo.selectLiveToken(db, 'password_reset', sha256(token), now);
  if (!row || (await repo.useToken(db, row.id, now)) === 0) throw linkInvalid();
  const actor: Actor = { accountId: row.account_id, label: row.username };
  await setPassword(db, actor, row.account_id, password);
  await repo.retireTokens(db, row.account_id, 'password_reset', now);
  await endSessions(db, row.account_id);
  await endOidcSessionsOfAccount(db, row.account_id); // single sign-on sessions too; the app grants stay
  await recordChange(db, actor, { action: 'account.password_reset', entityType: 'account', entityId: row.account_id, after: { via: 'mail link', sessions_ended: true } });
  return { accountId: row.account_id, username: row.username };
}

/** Drops links that expired over a day ago (hourly housekeeping). */
export async function purgeStaleMailTokens(db: Db): Promise<void> {
  await repo.deleteStaleTokens(db, new Date(Date.now() - 24 * HOUR).toISOString());
}
