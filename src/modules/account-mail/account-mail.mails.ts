import type { Config } from '../../config/config.js';
import { notFound } from '../../core/errors.js';
import { isLocale, type Locale, type MessageKey, t } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { renderMail } from '../mail/mail.render.js';
import type { OutgoingMail } from '../mail/mail.service.js';
import { getSettings } from '../settings/settings.service.js';
import { selectRecipient } from './account-mail.repository.js';

/** Who a mail about an account is for: the names to greet and the language to write in. */
export interface Recipient {
  accountId: number;
  username: string;
  personId: number | null;
  name: string;
  locale: Locale;
}

/** The account's name and language: the account's locale, else its person's language, else English. */
export async function recipientOf(db: Db, accountId: number): Promise<Recipient> {
  const row = await selectRecipient(db, accountId);
  if (!row) throw notFound('accounts.not_found');
  const locale = isLocale(row.locale) ? row.locale : isLocale(row.language) ? row.language : 'en';
  return { accountId: row.id, username: row.username, personId: row.person_id, name: row.display_name ?? row.username, locale };
}

interface LinkMail {
  subject: MessageKey;
  body: MessageKey;
  action: MessageKey;
  after: MessageKey;
}

async function linkMail(db: Db, config: Config, who: Recipient, to: string, url: string, keys: LinkMail): Promise<OutgoingMail> {
  const { collective_name: collective } = await getSettings(db);
  const l = who.locale;
  const params = { collective, username: who.username, email: to };
  return renderMail({
    to,
    locale: l,
    subject: t(l, keys.subject, params),
    greeting: t(l, 'mail.greeting', { name: who.name }),
    before: [t(l, keys.body, params)],
    action: { label: t(l, keys.action), url: `${config.publicUrl}${url}` },
    after: [t(l, keys.after)],
    signature: t(l, 'mail.signature', { collective }),
  });
}

/** The mail carrying a password reset link (asked for by the person, or sent by an administrator). */
export function resetMail(db: Db, config: Config, who: Recipient, to: string, token: string, byAdmin = false): Promise<OutgoingMail> {
  return linkMail(db, config, who, to, `/password-reset/${token}`, {
    subject: 'account_mail.reset_subject',
    body: byAdmin ? 'account_mail.reset_body_admin' : 'account_mail.reset_body',
    action: 'account_mail.reset_action',
    after: 'account_mail.reset_after',
  });
}

/** The mail carrying an address verification link. */
export function verifyMail(db: Db, config: Config, who: Recipient, to: string, token: string): Promise<OutgoingMail> {
  return linkMail(db, config, who, to, `/verify-email/${token}`, {
    subject: 'account_mail.verify_subject',
    body: 'account_mail.verify_body',
    action: 'account_mail.verify_action',
    after: 'account_mail.verify_after',
  });
}
