import { StatementError } from './types.js';

// ISO 4217 currencies whose minor unit is not two digits.
const EXPONENTS: Record<string, number> = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
};

/** Digits after the decimal point in a currency's minor unit (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/**
 * Converts a decimal amount written as text ("1234.5", "-0.07", "1.525,00" once normalised) into integer minor
 * units without going through floating point; refuses more decimals than the currency has.
 */
export function toMinorUnits(text: string, currency: string, where: string | null = null): number {
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new StatementError('bank.bad_amount', where, text);
  const digits = minorDigits(currency);
  const [, sign, whole, fraction = ''] = match;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > digits) throw new StatementError('bank.bad_amount', where, text);
  const units = Number(whole) * 10 ** digits + Number(trimmed.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(units)) throw new StatementError('bank.bad_amount', where, text);
  return sign === '-' ? -units : units;
}

/** Minor units as a decimal number for a spreadsheet cell (built from the digits, so 1999 EUR cents is exactly 19.99). */
export function minorToDecimal(minor: number, currency: string): number {
  const digits = minorDigits(currency);
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits ? `${abs.slice(0, -digits)}.${abs.slice(-digits)}` : abs;
  return Number(minor < 0 ? `-${text}` : text);
}

/** An amount as people type it ("20", "20,50", "1 000.50", "1'000"), in the currency's minor units; a StatementError when it is not one. */
export function typedToMinorUnits(text: string, currency: string): number {
  return toMinorUnits(text.replace(/[\s\u00a0\u202f']/g, '').replace(',', '.'), currency);
}
