/**
 * People's names as members and banks write them: folded words, first name and surname parts compared without
 * spaces, hyphens or apostrophes (`Jean-Pierre` = `JEAN PIERRE`, `Van der Berg` = `VANDERBERG`), in either order.
 */
import { detached, fold } from '../../core/text.js';
import type { DirectoryPerson } from './matcher.types.js';

/** Legal forms of organisations, ignored when comparing organisation names. */
export const ORG_SUFFIXES: ReadonlySet<string> = new Set([
  'asbl', 'aisbl', 'vzw', 'ivzw', 'sprl', 'srl', 'sa', 'nv', 'bv', 'scrl', 'sc', 'cv', 'cvba', 'bvba', 'gmbh', 'ltd',
  'sarl', 'sas', 'scs', 'snc', 'vof', 'commv', 'ag', 'inc', 'llc',
]);
/** Courtesy titles (French, Dutch, English) that precede a name. */
export const TITLES: ReadonlySet<string> = new Set([
  'm', 'mr', 'mme', 'mlle', 'mrs', 'ms', 'miss', 'monsieur', 'madame', 'mademoiselle', 'dhr', 'hr', 'heer', 'mevr',
  'mevrouw', 'mw', 'juffrouw', 'dr', 'mx',
]);
/** Words saying that a payment is for a household rather than one person. */
export const FAMILY_WORDS: ReadonlySet<string> = new Set([
  'famille', 'familie', 'fam', 'family', 'gezin', 'epoux', 'echtpaar', 'echtgenoten', 'couple', 'menage', 'consorts',
]);
/** Words joining two names ("Alice et Bob Martin"); `&` disappears when a text is cut into words. */
export const CONJUNCTIONS: ReadonlySet<string> = new Set(['et', 'en', 'and', 'und']);
const PARTICLES = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'das', 'dos', 'du', 'des', 'la', 'le', 'l', 'd', 't',
  'ten', 'ter', 'te', 'vande', 'vanden', 'vander', 'el', 'al', 'mac', 'mc', 'st', 'saint', 'sainte', 'op', 'het',
]);

const ASCII = /^[\x00-\x7f]*$/;

// Names repeat (first names, surnames): folding each word once saves most of the Unicode normalisation.
const FOLDED = new Map<string, string>();
const MAX_FOLDED = 50_000;

function foldWord(word: string): string {
  let folded = FOLDED.get(word);
  if (folded === undefined) {
    folded = detached(fold(word));
    if (FOLDED.size >= MAX_FOLDED) FOLDED.clear();
    FOLDED.set(detached(word), folded);
  }
  return folded;
}

/** The folded words of a text, spelled-out legal forms joined: `Jean-Pierre D'Hondt, A.S.B.L.` -> jean pierre d hondt asbl. */
export function nameTokens(text: string): string[] {
  const folded = ASCII.test(text) ? text.toLowerCase() : text.split(/\s+/).map(foldWord).join(' ');
  const words = folded.match(/[a-z0-9]+/g) ?? [];
  return words.some((w) => w.length === 1) ? joinSpelledSuffixes(words) : words;
}

function joinSpelledSuffixes(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const end = spelledSuffixEnd(words, i);
    out.push(end > i ? words.slice(i, end).join('') : words[i]);
    if (end > i) i = end - 1;
  }
  return out;
}

function spelledSuffixEnd(words: string[], start: number): number {
  for (let end = Math.min(words.length, start + 5); end >= start + 2; end--) {
    const run = words.slice(start, end);
    if (run.every((w) => w.length === 1) && ORG_SUFFIXES.has(run.join(''))) return end;
  }
  return start;
}

/** A first name / surname reading of a person's name, as folded words. */
export interface NameSplit {
  first: string[];
  last: string[];
}

/** The readings of an individual's name: `Surname, First` from the sort name, else every cut of the display name (the likely one first). */
export function nameSplits(person: Pick<DirectoryPerson, 'displayName' | 'sortName'>): NameSplit[] {
  const comma = person.sortName?.indexOf(',') ?? -1;
  if (person.sortName && comma > 0) {
    const split = { first: nameTokens(person.sortName.slice(comma + 1)), last: nameTokens(person.sortName.slice(0, comma)) };
    if (split.first.length && split.last.length) return [split];
  }
  return displaySplits(person.displayName);
}

function displaySplits(displayName: string): NameSplit[] {
  const words = displayName.trim().split(/\s+/).map(nameTokens).filter((w) => w.length > 0);
  if (words.length < 2) return [];
  let cut = words.length - 1;
  while (cut > 1 && words[cut - 1].every((t) => PARTICLES.has(t))) cut--;
  const splitAt = (at: number): NameSplit => ({ first: words.slice(0, at).flat(), last: words.slice(at).flat() });
  const others = words.slice(1).map((_, i) => i + 1).filter((at) => at !== cut);
  return [splitAt(cut), ...others.map(splitAt)];
}

/** An organisation's name without its legal form, as one compact string (`Les Amis du Libre asbl` -> lesamisdulibre). */
export function organisationKey(name: string): string {
  const words = nameTokens(name);
  let start = 0;
  let end = words.length;
  while (start < end && ORG_SUFFIXES.has(words[start])) start++;
  while (end > start && ORG_SUFFIXES.has(words[end - 1])) end--;
  return words.slice(start, end).join('');
}

/** True when a word is only decoration around a name (title, legal form, family word, conjunction). */
export function isNameDecoration(word: string): boolean {
  return TITLES.has(word) || ORG_SUFFIXES.has(word) || FAMILY_WORDS.has(word) || CONJUNCTIONS.has(word);
}

/** True when a field speaks of a household: a family word, or two titles ("M. et Mme", "Mr & Mrs", "Dhr. en Mevr."). */
export function speaksOfHousehold(words: string[]): boolean {
  let titles = 0;
  for (const w of words) {
    if (FAMILY_WORDS.has(w)) return true;
    if (TITLES.has(w)) titles++;
  }
  return titles >= 2;
}
