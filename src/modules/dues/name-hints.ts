/**
 * Weaker hints from names, used when no full name decides: first names alone ("cotisation Lucas"), initials
 * (`A. Martin`), surnames with a title or a family word (`M. et Mme Dupont`, `Familie Peeters`).
 */
import type { FieldNames, NameIndex, PersonName } from './name-index.js';
import { CONJUNCTIONS, isNameDecoration, TITLES } from './names.js';

const NONE: number[] = [];

/** Where the run of whole words from `start` that spells `key` (compact: `van der berg` for vanderberg) ends, or -1. */
export function runEnd(words: string[], start: number, key: string): number {
  let at = 0;
  for (let j = start; j < words.length && key.startsWith(words[j], at); j++) {
    at += words[j].length;
    if (at === key.length) return at > 0 ? j + 1 : -1;
  }
  return -1;
}

// Words that stand next to a surname in a communication without being a first name: what the payment is, for whom,
// which year. Any other word of letters there may be someone's first name ("cotisation Emma Peeters").
const NOT_FIRST_NAMES: ReadonlySet<string> = new Set([
  'cotisation', 'cotisations', 'cotis', 'cot', 'lidgeld', 'lidgelden', 'lidmaatschap', 'adhesion', 'membership', 'member', 'membre',
  'membres', 'lid', 'leden', 'dues', 'fee', 'fees', 'annuelle', 'annuel', 'jaarlijks', 'annual', 'yearly', 'annee', 'jaar', 'year',
  'pour', 'voor', 'for', 'de', 'du', 'des', 'van', 'of', 'par', 'door', 'by', 'from', 'le', 'la', 'les', 'het', 'the',
  'mon', 'ma', 'mes', 'notre', 'mijn', 'onze', 'my', 'our', 'fils', 'fille', 'enfant', 'enfants', 'zoon', 'dochter', 'kind',
  'kinderen', 'son', 'daughter', 'child', 'children', 'paiement', 'payment', 'betaling', 'versement', 'storting', 'virement',
  'overschrijving', 'transfer', 'contribution', 'bijdrage', 'participation', 'deelname', 'merci', 'bedankt', 'thanks',
  'asbl', 'vzw', 'ruche', 'collectif', 'collectief', 'hebergement', 'hosting', 'ref', 'reference', 'communication', 'mededeling',
]);

/**
 * True when the field gives the person's surname with a word beside it that could be another first name (`cotisation
 * Emma Peeters` for Luc Peeters, `Luc et Emma Peeters`, `E. Peeters`): someone the register may not know, named next
 * to the person. The person's own first names and initials, titles, conjunctions and common words do not count.
 */
export function strangerBesideSurname(field: FieldNames, person: PersonName): boolean {
  const { words } = field;
  for (const last of person.lasts) {
    if (!last) continue;
    for (let i = 0; i < words.length; i++) {
      const end = runEnd(words, i, last);
      if (end < 0) continue;
      if (strangerFrom(words, i - 1, -1, person) || strangerFrom(words, end, 1, person)) return true;
    }
  }
  return false;
}

// Walks away from a surname over the person's own first names, titles and conjunctions; true if the next word may be a stranger's first name.
function strangerFrom(words: string[], from: number, step: 1 | -1, person: PersonName): boolean {
  for (let j = from; j >= 0 && j < words.length; j += step) {
    const word = words[j];
    if (CONJUNCTIONS.has(word) || TITLES.has(word) || ownFirstWord(word, person)) continue;
    return mayBeFirstName(word);
  }
  return false;
}

function ownFirstWord(word: string, person: PersonName): boolean {
  for (const first of person.firsts) if (word.length === 1 ? first[0] === word : first.includes(word)) return true;
  if (word.length === 1) return person.initials.includes(word);
  return false;
}

// Letters only (not a year or an amount), not a common word around names.
function mayBeFirstName(word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c < 97 || c > 122) return false;
  }
  return !NOT_FIRST_NAMES.has(word) && !isNameDecoration(word);
}

/** Every run of name words in the field, compacted (`jean pierre` -> jean, jeanpierre, pierre). */
function nameRuns(field: FieldNames, index: NameIndex): Set<string> {
  if (field.hints.runs) return field.hints.runs;
  const { words } = field;
  const runs = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let key = '';
    for (let j = i; j < Math.min(words.length, i + index.maxPartWords) && index.vocabulary.has(words[j]); j++) {
      key = key ? key + words[j] : words[j];
      if (!index.prefixes.has(key)) break;
      runs.add(key);
    }
  }
  field.hints.runs = runs;
  return runs;
}

/** The people among `candidates` whose first name is written in the field (`cotisation Lucas`). */
export function firstNamesMentioned(field: FieldNames, candidates: number[], index: NameIndex): number[] {
  const runs = nameRuns(field, index);
  return candidates.filter((id) => {
    const first = index.people.get(id)?.first;
    return first !== undefined && first !== '' && runs.has(first);
  });
}

/** The members of the family `surname` whose first name is written in the field. */
export function familyMentioned(field: FieldNames, surname: string, index: NameIndex): number[] {
  const family = index.families.get(surname);
  if (!family) return [];
  const hits: number[] = [];
  for (const key of nameRuns(field, index)) for (const id of family.get(key) ?? NONE) if (!hits.includes(id)) hits.push(id);
  return hits;
}

/** First names (three letters or more) of anyone in the register written in the field, except `own` (the payer's): "cotisation Lucas". */
export function otherFirstNames(field: FieldNames, own: string[], index: NameIndex): string[] {
  field.hints.firstNames ??= [...nameRuns(field, index)].filter((key) => key.length > 2 && index.firstNames.has(key));
  return field.hints.firstNames.filter((key) => !own.includes(key));
}

/** People whose surname is written with initials next to it (`A. Martin`, `Martin J.-P.`): proposals only. */
export function initialsCandidates(field: FieldNames, index: NameIndex): number[] {
  field.hints.initials ??= initialsIn(field.words, index);
  return field.hints.initials;
}

/** People whose surname stands with a title or a family word (`M. et Mme Dupont`, `Familie Peeters`), or alone in the field. */
export function surnameCandidates(field: FieldNames, index: NameIndex): number[] {
  field.hints.surnames ??= surnamesIn(field.words, index);
  return field.hints.surnames;
}

function initialsIn(words: string[], index: NameIndex): number[] {
  const hits = new Set<number>();
  for (let start = 0; start < words.length; start++) {
    if (words[start].length !== 1) continue;
    let end = start;
    while (end < words.length && words[end].length === 1 && end - start < 3) end++;
    for (let cut = start + 1; cut <= end; cut++) {
      const initials = words.slice(start, cut).join('');
      surnameFrom(words, cut, index, (surname) => addWithInitials(hits, surname, initials, index));
    }
    surnameEndingAt(words, start, index, (surname) => addWithInitials(hits, surname, words.slice(start, end).join(''), index));
    start = end - 1;
  }
  return [...hits];
}

function addWithInitials(hits: Set<number>, surname: string, initials: string, index: NameIndex): void {
  for (const id of index.initials.get(surname)?.get(initials[0]) ?? NONE) if (index.people.get(id)?.initials.startsWith(initials)) hits.add(id);
}

/** Calls `visit` with each surname of the register written from `start` on. */
function surnameFrom(words: string[], start: number, index: NameIndex, visit: (surname: string) => void): void {
  let key = '';
  for (let j = start; j < Math.min(words.length, start + index.maxPartWords) && index.vocabulary.has(words[j]); j++) {
    key = key ? key + words[j] : words[j];
    if (!index.prefixes.has(key)) break;
    if (index.surnames.has(key)) visit(key);
  }
}

function surnameEndingAt(words: string[], end: number, index: NameIndex, visit: (surname: string) => void): void {
  let key = '';
  for (let i = end - 1; i >= Math.max(0, end - index.maxPartWords) && index.vocabulary.has(words[i]); i--) {
    key = words[i] + key;
    if (index.surnames.has(key)) visit(key);
  }
}

function surnamesIn(words: string[], index: NameIndex): number[] {
  if (!words.some((w) => isNameDecoration(w))) return words.length ? [...(index.surnames.get(words.join('')) ?? NONE)] : [];
  const hits = new Set<number>();
  for (let i = 0; i < words.length; i++) surnameFrom(words, i, index, (surname) => index.surnames.get(surname)?.forEach((id) => hits.add(id)));
  return [...hits];
}
