import { isValidBIC } from 'ibantools';
import { z } from 'zod';
import { normalIban } from './parsers/detect.js';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Trims text; an empty or blank value counts as not given (forms send every field). */
function optionalText(max: number, inner: (s: z.ZodString) => z.ZodType<string | undefined> = (s) => s) {
  return z.preprocess((v) => (typeof v === 'string' ? v.trim() || undefined : v ?? undefined), inner(z.string().max(max)).optional());
}

const iban = optionalText(50, (s) => s.refine((v) => normalIban(v) !== null, { error: 'bank_accounts.iban_invalid' })
  .transform((v) => normalIban(v) as string));

const bic = optionalText(11, (s) => s.transform((v) => v.toUpperCase()).refine(isValidBIC, { error: 'bank_accounts.bic_invalid' }));

const currency = z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() || undefined : v ?? undefined),
  z.string().refine((v) => /^[A-Z]{3}$/.test(v) && CURRENCIES.has(v), { error: 'bank_accounts.currency_invalid' }).default('EUR'));

/** A bank account of the collective as the treasurer adds it (page, API and CLI): an IBAN, or a number when it has none. */
export const bankAccountInput = z.object({
  iban,
  number: optionalText(34),
  currency,
  bic,
  holder: optionalText(140),
  label: optionalText(100),
}).superRefine((v, ctx) => {
  if (!!v.iban === !!v.number) ctx.addIssue({ code: 'custom', path: [v.number ? 'number' : 'iban'], message: 'bank_accounts.iban_or_number' });
});

/** A new label for a bank account (empty removes it). */
export const bankAccountLabelInput = z.object({ label: optionalText(100) });
