/**
 * Weaker hints from names, used when no full name decides: first names alone ("cotisation Lucas"), initials
 * (`A. Martin`), surnames with a title or a family word (`M. et Mme Dupont`, `Familie Peeters`).
 */
import type { FieldNames, NameIndex } from './name-index.js';
import { isNameDecoration } from './names.js';

const NONE: number[] = [];

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
