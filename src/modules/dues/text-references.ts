/**
 * Payment references as people type them: `+++900/0000/04242+++`, `***...***`, `900 0000 04242`, `9000000042 42`,
 * `900.0000.04242`, `RF36 9000 0000 4242`; and the references one typo away from a mistyped one.
 */
import { isValidRfReference } from '../bank/references.js';

/** Digits that look like a Belgian structured communication (12 digits; 11 or 13 when one was dropped or doubled). */
export interface TypedReference {
  digits: string;
  /** The digits as written, for the reason shown to the treasurer. */
  typed: string;
  valid: boolean;
}

const RF_IN_TEXT = /\bRF\s?(\d\d)((?:[\s.]?\d){12})(?!\d)/gi;
const DIGITS = /\d+/g;
const JOINER = /^(?:\s{0,2}[/.\-+*]{0,3}\s{0,2})$/;

/** The reference in the bank's structured field: Belgian digits (formatted or not) or RF with our twelve digits. */
export function referenceInField(field: string | null): TypedReference | null {
  if (!field) return null;
  const compact = field.replace(/\s+/g, '').toUpperCase();
  if (compact.startsWith('RF')) return rfReference(compact);
  const digits = compact.replace(/[+*/.\-]/g, '');
  if (!/^\d{11,13}$/.test(digits)) return null;
  return { digits, typed: field.trim(), valid: isValidReferenceDigits(digits) };
}

function rfReference(compact: string): TypedReference | null {
  const payload = compact.slice(4);
  if (!/^\d{11,13}$/.test(payload)) return null;
  const valid = isValidRfReference(compact) && isValidReferenceDigits(payload);
  return { digits: payload, typed: compact.replace(/(.{4})(?=.)/g, '$1 '), valid };
}

/** Every reference-like number in a free text; in a run of digit groups, valid references hide the invalid readings. */
export function referencesInText(text: string | null): TypedReference[] {
  if (!text || digitCount(text) < 11) return [];
  const found: TypedReference[] = [];
  const rest = text.replace(RF_IN_TEXT, (match) => {
    const ref = rfReference(match.replace(/[\s.]/g, '').toUpperCase());
    if (ref) found.push({ ...ref, typed: match.trim() });
    return ' '.repeat(match.length);
  });
  for (const run of digitRuns(rest)) found.push(...readingsOf(run));
  return found;
}

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

interface DigitGroup {
  digits: string;
  start: number;
  end: number;
}

/** Digit groups separated only by spaces, slashes, dots, dashes, `+` or `*` form one run. */
function digitRuns(text: string): Array<{ groups: DigitGroup[]; text: string }> {
  const runs: Array<{ groups: DigitGroup[]; text: string }> = [];
  let current: DigitGroup[] = [];
  for (const match of text.matchAll(DIGITS)) {
    const group = { digits: match[0], start: match.index, end: match.index + match[0].length };
    const previous = current[current.length - 1];
    if (previous && !JOINER.test(text.slice(previous.end, group.start))) {
      runs.push({ groups: current, text });
      current = [];
    }
    current.push(group);
  }
  if (current.length) runs.push({ groups: current, text });
  return runs;
}

function readingsOf(run: { groups: DigitGroup[]; text: string }): TypedReference[] {
  const readings: TypedReference[] = [];
  const { groups } = run;
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length && digits.length < 13; j++) {
      digits += groups[j].digits;
      if (digits.length < 11 || digits.length > 13) continue;
      const typed = run.text.slice(groups[i].start, groups[j].end);
      readings.push({ digits, typed, valid: isValidReferenceDigits(digits) });
    }
  }
  const valid = readings.filter((r) => r.valid);
  return valid.length ? valid : readings;
}

/** Twelve digits forming a valid Belgian structured communication (checked without regular expressions: it runs on every typo candidate). */
export function isValidReferenceDigits(digits: string): boolean {
  if (digits.length !== 12) return false;
  let value = 0;
  for (let i = 0; i < 12; i++) {
    const digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (i < 10) value = value * 10 + digit;
  }
  const check = (digits.charCodeAt(10) - 48) * 10 + (digits.charCodeAt(11) - 48);
  return (value % 97 || 97) === check;
}

/** Valid references one typo away (one digit changed, two neighbours swapped, one dropped or doubled), kept when `known`. */
export function correctionsOf(digits: string, known: (digits: string) => boolean = () => true): string[] {
  const candidates =
    digits.length === 12 ? [...substitutions(digits), ...transpositions(digits)]
    : digits.length === 11 ? insertions(digits)
    : digits.length === 13 ? [...digits].map((_, i) => digits.slice(0, i) + digits.slice(i + 1))
    : [];
  return [...new Set(candidates.filter((c) => c !== digits && isValidReferenceDigits(c) && known(c)))];
}

/** One digit changed, found with arithmetic: the ten digits' remainder must equal the check digits (97 for 0). */
function substitutions(digits: string): string[] {
  const first10 = Number(digits.slice(0, 10));
  const check = Number(digits.slice(10));
  const out: string[] = [];
  const wanted = check === 97 ? 0 : check;
  for (let i = 0; i < 10; i++) {
    const weight = 10 ** (9 - i);
    const base = first10 - Number(digits[i]) * weight;
    for (let d = 0; d <= 9; d++) if (check >= 1 && check <= 97 && (base + d * weight) % 97 === wanted) out.push(digits.slice(0, i) + d + digits.slice(i + 1));
  }
  const remainder = first10 % 97 || 97;
  const expected = String(remainder).padStart(2, '0');
  if (expected[0] === digits[10] || expected[1] === digits[11]) out.push(digits.slice(0, 10) + expected);
  return out;
}

function transpositions(digits: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < 11; i++) out.push(digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2));
  return out;
}

function insertions(digits: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= 11; i++) for (let d = 0; d <= 9; d++) out.push(digits.slice(0, i) + d + digits.slice(i));
  return out;
}
