import type { Locale } from '../i18n/index.js';
import { minorDigits } from '../modules/bank/parsers/money.js';

const LOCALE_TAGS: Record<Locale, string> = { en: 'en-GB', fr: 'fr-BE', nl: 'nl-BE' };

/** Writes integer minor units as money in the reader's language, without floating-point arithmetic on the amount. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = BigInt(abs.slice(0, abs.length - digits) || '0');
  const parts = new Intl.NumberFormat(LOCALE_TAGS[locale], { minimumFractionDigits: 1 }).formatToParts(1000.5);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}${grouped}${digits ? decimal + abs.slice(-digits) : ''} ${currency}`;
}
