import type { Config } from '../../config/config.js';
import type { Actor } from '../../core/actor.js';
import { AppError, ValidationError } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/tokens.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { type OutgoingMail, requireMail } from '../mail/mail.service.js';
import { recipientOf, verifyMail } from './account-mail.mails.js';
import * as repo from './account-mail.repository.js';
import { verifyRequestInput } from './account-mail.schema.js';
import { linkInvalid } from './password-reset.service.js';

const HOUR = 3_600_000;
/** A verification link works for a day. */
export const VERIFY_LINK_MS = 24 * HOUR;
const VERIFICATIONS_PER_HOUR = 5;

/** One of an account's addresses and when it was verified (null: never, or changed since). */
export interface AccountEmail {
  email: string;
  verifiedAt: string | null;
}

/** The addresses of the account's person, in order (none for an account without a person). */
export async function emailsOfAccount(db: Db, accountId: number): Promise<AccountEmail[]> {
  const who = await recipientOf(db, accountId);
  if (who.personId === null) return [];
  const rows = await repo.selectEmailsOfPerson(db, who.personId);
  return rows.map((row) => ({ email: row.email, verifiedAt: row.verified_at }));
}

/** A person's first address and whether it is verified: the OIDC `email` and `email_verified` claims. */
export async function primaryEmailOfPerson(db: Db, personId: number): Promise<{ email: string; verified: boolean } | null> {
  const [first] = await repo.selectEmailsOfPerson(db, personId);
  return first ? { email: first.email, verified: first.verified_at !== null } : null;
}

/** Issues a one-day verification link for one of the account's own addresses and returns the mail to send. */
export async function requestEmailVerification(db: Db, config: Config, actor: Actor, accountId: number, input: unknown): Promise<OutgoingMail> {
  requireMail(config);
  const { email } = validate(verifyRequestInput, input);
  const who = await recipientOf(db, accountId);
  if (!(await emailsOfAccount(db, accountId)).some((e) => e.email === email)) throw new ValidationError({ email: 'account_mail.email_unknown' });
  const now = new Date();
  const since = new Date(now.getTime() - HOUR).toISOString();
  if ((await repo.countTokensSince(db, 'email_verify', since, { accountId })) >= VERIFICATIONS_PER_HOUR) {
    throw new AppError(429, 'too_many', 'account_mail.too_many');
  }
  const token = randomToken(32);
  await repo.insertMailToken(db, {
    kind: 'email_verify', token_hash: sha256(token), account_id: accountId, email,
    created_at: now.toISOString(), expires_at: new Date(now.getTime() + VERIFY_LINK_MS).toISOString(),
  });
  await recordChange(db, actor, { action: 'email.verification_sent', entityType: 'person', entityId: who.personId!, after: { email } });
  return verifyMail(db, config, who, email, token);
}

/** Opens a verification link: marks the address verified, once; refused when used, expired, unknown or the address changed since. */
export async function verifyEmail(db: Db, token: string): Promise<{ email: string }> {
  const now = new Date().toISOString();
  const row = await repo.selectLiveToken(db, 'email_verify', sha256(token), now);
  if (!row || row.person_id === null || (await repo.useToken(db, row.id, now)) === 0) throw linkInvalid();
  if ((await repo.markEmailVerified(db, row.person_id, row.email, now)) === 0) throw linkInvalid();
  await recordChange(db, { accountId: row.account_id, label: row.username }, { action: 'email.verified', entityType: 'person', entityId: row.person_id, after: { email: row.email } });
  return { email: row.email };
}
