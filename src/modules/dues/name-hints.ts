/**
 * Weaker hints from names, used when no full name decides: first names alone ("cotisation Lucas"), initials
 * (`A. Martin`), surnames with a title or a family word (`M. et Mme Dupont`, `Familie Peeters`).
 */
import type { NameIndex } from './name-index.js';
import { isNameDecoration } from './names.js';

const NONE: number[] = [];

/** Every run of name words in the text, compacted (`jean pierre` -> jean, jeanpierre, pierre). */
function nameRuns(words: string[], index: NameIndex): Set<string> {
  const runs = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let key = '';
    for (let j = i; j < Math.min(words.length, i + index.maxPartWords) && index.vocabulary.has(words[j]); j++) {
      key = key ? key + words[j] : words[j];
      if (!index.prefixes.has(key)) break;
      runs.add(key);
    }
  }
  return runs;
}

/** The people among `candidates` whose first name is written in the words (`cotisation Lucas`). */
export function firstNamesMentioned(words: string[], candidates: number[], index: NameIndex): number[] {
  const runs = nameRuns(words, index);
  return candidates.filter((id) => {
    const first = index.people.get(id)?.first;
    return first !== undefined && first !== '' && runs.has(first);
  });
}

/** The members of the family `surname` whose first name is written in the words. */
export function familyMentioned(words: string[], surname: string, index: NameIndex): number[] {
  const family = index.families.get(surname);
  if (!family) return [];
  const hits: number[] = [];
  for (let i = 0; i < words.length; i++) {
    let key = '';
    for (let j = i; j < Math.min(words.length, i + index.maxPartWords) && index.vocabulary.has(words[j]); j++) {
      key = key ? key + words[j] : words[j];
      if (!index.prefixes.has(key)) break;
      for (const id of family.get(key) ?? NONE) if (!hits.includes(id)) hits.push(id);
    }
  }
  return hits;
}

/** First names (three letters or more) of anyone in the register written in the words, except `own` (the payer's): "cotisation Lucas". */
export function otherFirstNames(words: string[], own: string[], index: NameIndex): string[] {
  return [...nameRuns(words, index)].filter((key) => key.length > 2 && index.firstNames.has(key) && !own.includes(key));
}

/** People whose surname is written with initials next to it (`A. Martin`, `Martin J.-P.`): proposals only. */
export function initialsCandidates(words: string[], index: NameIndex): number[] {
  if (!words.some((w) => w.length === 1)) return [];
  const hits = new Set<number>();
  forEachSurname(words, index, (start, end, ids) => {
    const before = initialsRun(words, start - 1, -1);
    const after = initialsRun(words, end, 1);
    for (const id of ids) {
      const initials = index.people.get(id)?.initials ?? '';
      if ((before && initials.startsWith(before)) || (after && initials.startsWith(after))) hits.add(id);
    }
  });
  return [...hits];
}

function initialsRun(words: string[], from: number, step: 1 | -1): string {
  let run = '';
  for (let i = from; i >= 0 && i < words.length && words[i].length === 1 && run.length < 3; i += step) {
    run = step === 1 ? run + words[i] : words[i] + run;
  }
  return run;
}

/** People whose surname stands with a title or a family word (`M. et Mme Dupont`, `Familie Peeters`), or alone in the field. */
export function surnameCandidates(words: string[], index: NameIndex): number[] {
  const decorated = words.some((w) => isNameDecoration(w));
  if (!decorated && words.length > index.maxPartWords) return [];
  const hits = new Set<number>();
  forEachSurname(words, index, (start, end, ids) => {
    const alone = words.every((w, i) => (i >= start && i < end) || isNameDecoration(w));
    if (decorated || alone) for (const id of ids) hits.add(id);
  });
  return [...hits];
}

function forEachSurname(words: string[], index: NameIndex, visit: (start: number, end: number, ids: number[]) => void): void {
  for (let i = 0; i < words.length; i++) {
    let key = '';
    for (let j = i + 1; j <= Math.min(words.length, i + index.maxPartWords) && index.vocabulary.has(words[j - 1]); j++) {
      key = key ? key + words[j - 1] : words[j - 1];
      if (!index.prefixes.has(key)) break;
      const ids = index.surnames.get(key);
      if (ids) visit(i, j, ids);
    }
  }
}
