import { accountMailMessages } from '../modules/account-mail/account-mail.i18n.js';
import { accountsMessages } from '../modules/accounts/accounts.i18n.js';
import { bankMessages } from '../modules/bank/bank.i18n.js';
import { duesMessages } from '../modules/dues/dues.i18n.js';
import { reviewUiMessages } from '../modules/dues/review-ui.i18n.js';
import { overviewMessages } from '../modules/dues/overview.i18n.js';
import { importPreviewMessages } from '../modules/bank/import-preview.i18n.js';
import { parseDetailMessages } from '../modules/bank/parse-details.i18n.js';
import { bankAccountsMessages } from '../modules/bank/accounts.i18n.js';
import { duesCliMessages } from '../modules/dues/cli.i18n.js';
import { groupsMessages } from '../modules/groups/groups.i18n.js';
import { peopleMessages } from '../modules/people/people.i18n.js';
import { mailMessages } from '../modules/mail/mail.i18n.js';
import { exchangeMessages } from '../modules/people-exchange/exchange.i18n.js';
import { invitationsMessages } from '../modules/invitations/invitations.i18n.js';
import { registrationsMessages } from '../modules/registrations/registrations.i18n.js';
import { securityMessages } from '../modules/security/security.i18n.js';
import { twoFactorMessages } from '../modules/two-factor/two-factor.i18n.js';
import { oidcMessages } from '../modules/oidc/oidc.i18n.js';
import { coreMessages } from './core.i18n.js';
import { LOCALES, type Locale } from './define.js';

export { LOCALES, type Locale } from './define.js';

const catalogues = [
  coreMessages, peopleMessages, exchangeMessages, accountsMessages, bankMessages, duesMessages, securityMessages,
  twoFactorMessages, groupsMessages, invitationsMessages, registrationsMessages, mailMessages,
  accountMailMessages, oidcMessages, reviewUiMessages, overviewMessages, importPreviewMessages, parseDetailMessages, bankAccountsMessages,
  duesCliMessages,
];

type Merged = (typeof catalogues)[number]['en'];
/** Every translation key of Ruche. */
export type MessageKey = Merged extends infer M ? (M extends Record<infer K, string> ? K : never) : never;

const tables: Record<Locale, Map<string, string>> = { en: new Map(), fr: new Map(), nl: new Map() };
for (const catalogue of catalogues) {
  for (const locale of LOCALES) {
    for (const [key, text] of Object.entries(catalogue[locale])) tables[locale].set(key, text as string);
  }
}

/** A message inside another (a place in a file, a list of names), translated in the same language as it. */
export interface NestedMessage {
  key: MessageKey;
  params?: Params;
}

export type Params = Record<string, string | number | NestedMessage>;

/** Translates a key into a locale, filling `{name}` placeholders. */
export function t(locale: Locale, key: MessageKey, params?: Params): string {
  const text = tables[locale].get(key) ?? tables.en.get(key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole: string, name: string, at: number) => (name in params ? paramText(locale, params[name], SENTENCE_START.test(text.slice(0, at))) : whole));
}

// A nested message put where a sentence starts ("… (line 3). {detail}") starts with a capital, as a sentence does.
const SENTENCE_START = /[.!?]\s+$/;

function paramText(locale: Locale, value: Params[string], sentenceStart: boolean): string {
  if (typeof value !== 'object') return String(value);
  const text = t(locale, value.key, value.params);
  return sentenceStart ? text.charAt(0).toLocaleUpperCase(locale) + text.slice(1) : text;
}

/** True when the string is a known message key (used for errors carrying a key). */
export function isMessageKey(key: string): key is MessageKey {
  return tables.en.has(key);
}

/** A translator bound to one locale, handed to pages. */
export type Translate = (key: MessageKey, params?: Params) => string;

/** Binds `t` to a locale. */
export function translator(locale: Locale): Translate {
  return (key, params) => t(locale, key, params);
}

/** True when the value is one of the supported locales. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.find((entry) => isLocale(entry.lang))?.lang as Locale | undefined ?? 'en';
}

/** Number of keys per locale, for the catalogue completeness test. */
export function catalogueSizes(): Record<Locale, number> {
  return { en: tables.en.size, fr: tables.fr.size, nl: tables.nl.size };
}
