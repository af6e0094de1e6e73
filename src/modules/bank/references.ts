/**
 * Payment references: the Belgian structured communication (+++ddd/dddd/ddddd+++, mod 97) and the ISO 11649
 * creditor reference (RFcc + up to 21 characters, mod 97-10), as banks and members write them.
 */

/** Check digits of a Belgian structured communication's first ten digits (97 when the remainder is 0). */
export function belgianCheck(first10: string): string {
  const remainder = Number(BigInt(first10) % 97n);
  return String(remainder === 0 ? 97 : remainder).padStart(2, '0');
}

/** True when twelve digits form a valid Belgian structured communication. */
export function isValidBelgianReference(digits: string): boolean {
  return /^\d{12}$/.test(digits) && belgianCheck(digits.slice(0, 10)) === digits.slice(10);
}

/** Writes twelve digits the way members see it: +++123/4567/89002+++. */
export function formatBelgianReference(digits: string): string {
  return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
}

/** The Belgian structured communication for a number (e.g. a person's id), ten digits plus check. */
export function belgianReferenceFor(n: number): string {
  const first10 = String(n).padStart(10, '0');
  if (first10.length > 10) throw new RangeError('reference number too large');
  return first10 + belgianCheck(first10);
}

function mod97(text: string): number {
  let remainder = 0;
  for (const ch of text) {
    const value = /[0-9]/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** True when a text (spaces ignored, any case) is a valid ISO 11649 creditor reference. */
export function isValidRfReference(text: string): boolean {
  const ref = text.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(ref)) return false;
  return mod97(ref.slice(4) + ref.slice(0, 4)) === 1;
}

/** The ISO 11649 creditor reference for a payload (here: the Belgian digits), printed in groups of four. */
export function rfReferenceFor(payload: string): string {
  const body = payload.toUpperCase();
  const check = String(98 - mod97(`${body}RF00`)).padStart(2, '0');
  return `RF${check}${body}`.replace(/(.{4})(?=.)/g, '$1 ');
}
