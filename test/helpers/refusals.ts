import { expect } from 'vitest';
import { t, type Locale } from '../../src/i18n/index.js';
import { unreadable } from '../../src/modules/bank/import.service.js';
import type { StatementError } from '../../src/modules/bank/parsers/types.js';

/** The message a user reads when a statement file is refused, in a language (pages, API and CLI all show it). */
export function shown(error: StatementError, locale: Locale = 'en'): string {
  const refusal = unreadable(error);
  return t(locale, refusal.key, refusal.params);
}

/** English words the parsers' details used to leave in French and Dutch messages. */
const ENGLISH = /\b(missing|expected|got|not accepted|bytes|root element|unclosed|should|cannot|inside|found|unknown|empty)\b/i;

/** Checks that a refusal reads in French and Dutch without English words (every parser test's refusal goes through it). */
export function expectTranslated(error: StatementError): void {
  for (const locale of ['fr', 'nl'] as const) expect(shown(error, locale), `${locale}: ${error.message}`).not.toMatch(ENGLISH);
}
