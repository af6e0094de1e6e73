/**
 * A person's permanent payment reference: a Belgian structured communication whose ten digits are 9 followed by the
 * person's id on nine digits, then the mod-97 check (person 42: 9000000042 + 57 = +++900/0000/04257+++).
 */
import { belgianReferenceFor, isValidBelgianReference } from '../bank/references.js';

const BASE = 9_000_000_000;
const MAX_ID = 999_999_999;

/** The twelve digits a person puts on their transfers (`900000004257` for person 42). */
export function personReference(personId: number): string {
  if (!Number.isInteger(personId) || personId < 1 || personId > MAX_ID) throw new RangeError('person id out of range for a payment reference');
  return belgianReferenceFor(BASE + personId);
}

/** The person id behind a valid reference of ours (digits, formatted or not), or null. */
export function personIdFromReference(digits: string): number | null {
  const compact = digits.replace(/[\s+*/.\-]/g, '');
  if (!isValidBelgianReference(compact) || compact[0] !== '9') return null;
  const id = Number(compact.slice(0, 10)) - BASE;
  return id >= 1 && id <= MAX_ID ? id : null;
}
