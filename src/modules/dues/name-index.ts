/**
 * The register's names, indexed once, and the search for them in a counterparty name or a communication: full names
 * in either order, organisations without their legal form, "Alice et Bob Martin", initials, surnames with a title.
 */
import type { Steps } from '../../core/steps.js';
import { detached } from '../../core/text.js';
import type { DirectoryPerson } from './matcher.types.js';
import { CONJUNCTIONS, isNameDecoration, nameSplits, nameTokens, organisationKey, speaksOfHousehold } from './names.js';

/** What the matcher knows of one person's name (compact strings, '' for organisations). */
export interface PersonName {
  id: number;
  organisation: boolean;
  first: string;
  last: string;
  /** First letters of the first name's words (`jp` for Jean-Pierre). */
  initials: string;
  /** Every reading of the first name (a display name without sort name can be cut several ways). */
  firsts: string[];
  lasts: string[];
}

/** The register's names, ready for lookups. */
export interface NameIndex {
  people: Map<number, PersonName>;
  /** Compact first name -> compact surname -> people. */
  pairs: Map<string, Map<string, number[]>>;
  /** Every compact first name and surname. */
  parts: Set<string>;
  /** Every beginning of a part or an organisation name, to stop extending a word run as soon as it cannot become a name. */
  prefixes: Set<string>;
  /** Every word of every name (and every compact part): a word outside it cannot be in a name. */
  vocabulary: Set<string>;
  surnames: Map<string, number[]>;
  /** Compact first name -> people. */
  firstNames: Map<string, number[]>;
  /** Compact surname -> first letter of the first name -> people (`A. Martin`). */
  initials: Map<string, Map<string, number[]>>;
  /** Compact surname -> compact first name -> people (a household's members, "cotisation Lucas"). */
  families: Map<string, Map<string, number[]>>;
  /** Organisation name without legal form (compact) -> organisations. */
  orgs: Map<string, number[]>;
  maxPartWords: number;
  maxOrgWords: number;
  /** Fields already read (texts repeat on statements: "cotisation 2024", the same payers); results are shared, never changed. */
  read: { counterparty: Map<string, FieldNames>; communication: Map<string, FieldNames> };
}

/** A name found in a text: the words it covers, who it can be, and whether words around it could belong to it. */
export interface FoundName {
  start: number;
  end: number;
  ids: number[];
  /** The compact surnames it can be read with (`martin` in `Alice Martin`), for "Alice et Bob Martin". */
  surnames: string[];
  clean: boolean;
}

/** What one field (counterparty name or communication) says about people. */
export interface FieldNames {
  words: string[];
  names: FoundName[];
  household: boolean;
  /** Weaker hints, computed when a rule asks (name-hints.ts) and kept with the field. */
  hints: { runs?: Set<string>; firstNames?: string[]; initials?: number[]; surnames?: number[] };
}

const MAX_PART_WORDS = 8;
const MAX_ORG_WORDS = 10;

function add(map: Map<string, number[]>, key: string, id: number): void {
  const ids = map.get(key);
  if (!ids) map.set(key, [id]);
  else if (!ids.includes(id)) ids.push(id);
}

// People indexed between two yields of nameIndexing (a fraction of a millisecond of work).
const PEOPLE_PER_STEP = 100;

/** Indexes the names of the register's people once, for many lookups; in steps of a hundred people (see matchIndexing). */
export function* nameIndexing(people: DirectoryPerson[]): Steps<NameIndex> {
  const index: NameIndex = {
    people: new Map(), pairs: new Map(), parts: new Set(), prefixes: new Set(), vocabulary: new Set(), surnames: new Map(), firstNames: new Map(), initials: new Map(), families: new Map(), orgs: new Map(), maxPartWords: 1, maxOrgWords: 1,
    read: { counterparty: new Map(), communication: new Map() },
  };
  for (let i = 0; i < people.length; i++) {
    const person = people[i];
    if (person.kind === 'organisation') indexOrganisation(index, person);
    else indexIndividual(index, person);
    if (i % PEOPLE_PER_STEP === PEOPLE_PER_STEP - 1) yield;
  }
  yield;
  for (const key of [...index.parts, ...index.orgs.keys()]) for (let n = 1; n <= key.length; n++) index.prefixes.add(key.slice(0, n));
  return index;
}

function addNested(map: Map<string, Map<string, number[]>>, outer: string, inner: string, id: number): void {
  let nested = map.get(outer);
  if (!nested) map.set(outer, (nested = new Map()));
  add(nested, inner, id);
}

function indexOrganisation(index: NameIndex, person: DirectoryPerson): void {
  index.people.set(person.id, { id: person.id, organisation: true, first: '', last: '', initials: '', firsts: [], lasts: [] });
  for (const name of [person.displayName, person.sortName]) {
    const key = name ? organisationKey(name) : '';
    if (!key) continue;
    add(index.orgs, key, person.id);
    for (const word of nameTokens(name ?? '')) index.vocabulary.add(word);
    index.vocabulary.add(key);
    index.maxOrgWords = Math.min(MAX_ORG_WORDS, Math.max(index.maxOrgWords, nameTokens(name ?? '').length));
  }
}

function indexIndividual(index: NameIndex, person: DirectoryPerson): void {
  const splits = nameSplits(person);
  const likely = splits[0];
  index.people.set(person.id, {
    id: person.id,
    organisation: false,
    first: likely ? likely.first.join('') : '',
    last: likely ? likely.last.join('') : nameTokens(person.displayName).join(''),
    initials: likely ? likely.first.map((w) => w[0]).join('') : '',
    firsts: splits.map((split) => split.first.join('')),
    lasts: splits.map((split) => split.last.join('')),
  });
  if (!likely) {
    const whole = nameTokens(person.displayName).join('');
    if (whole) add(index.orgs, whole, person.id); // a one-word name: matched as a whole, like an organisation
    index.vocabulary.add(whole);
    return;
  }
  for (const split of splits) {
    const first = split.first.join('');
    const last = split.last.join('');
    addNested(index.pairs, first, last, person.id);
    addNested(index.families, last, first, person.id);
    addNested(index.initials, last, first[0], person.id);
    add(index.surnames, last, person.id);
    add(index.firstNames, first, person.id);
    index.parts.add(first);
    index.parts.add(last);
    for (const word of [first, last, ...split.first, ...split.last]) index.vocabulary.add(word);
    index.maxPartWords = Math.min(MAX_PART_WORDS, Math.max(index.maxPartWords, split.first.length, split.last.length));
  }
}

const MAX_READ = 5_000;

/** Finds the people named in a field; `strict` (the counterparty name) wants nothing but the name and decoration around it. */
export function scanField(text: string | null, index: NameIndex, strict: boolean): FieldNames {
  if (!text) return { words: [], names: [], household: false, hints: {} };
  const read = strict ? index.read.counterparty : index.read.communication;
  let field = read.get(text);
  if (!field) {
    field = readField(text, index, strict);
    if (read.size >= MAX_READ) read.clear();
    read.set(detached(text), field);
  }
  return field;
}

function readField(text: string, index: NameIndex, strict: boolean): FieldNames {
  const words = nameTokens(text);
  if (!words.some((w) => index.vocabulary.has(w))) return { words, names: [], household: speaksOfHousehold(words), hints: {} };
  const spans: FoundName[] = [];
  const runs = partRuns(words, index, spans);
  pairSpans(runs, index, spans);
  if (strict && spans.length === 0) spans.push(...wholeFieldOrg(words, index));
  const found = resolveOverlaps(spans);
  const names = [...found, ...coordinated(words, found, index)].sort((a, b) => a.start - b.start);
  markClean(words, names, index, strict);
  return { words, names, household: speaksOfHousehold(words), hints: {} };
}

interface PartRun {
  end: number;
  key: string;
}

const NO_RUNS: PartRun[] = [];
const NONE: number[] = [];

/** For each word, the first names or surnames that start there (`van der berg` over three words); organisations go to `spans`. */
function partRuns(words: string[], index: NameIndex, spans: FoundName[]): PartRun[][] {
  const n = words.length;
  const maxWords = Math.max(index.maxPartWords, index.maxOrgWords);
  const runs: PartRun[][] = new Array<PartRun[]>(n);
  for (let i = 0; i < n; i++) {
    let list: PartRun[] | null = null;
    let key = '';
    for (let j = i + 1; j <= Math.min(n, i + maxWords) && index.vocabulary.has(words[j - 1]); j++) {
      key = key ? key + words[j - 1] : words[j - 1];
      if (!index.prefixes.has(key)) break;
      if (j - i <= index.maxPartWords && index.parts.has(key)) (list ??= []).push({ end: j, key });
      const orgs = index.orgs.get(key);
      if (orgs && (j - i > 1 || key.length >= 6)) spans.push({ start: i, end: j, ids: orgs, surnames: [], clean: true });
    }
    runs[i] = list ?? NO_RUNS;
  }
  return runs;
}

/** Two parts side by side that are a person's first name and surname, in either order. */
function pairSpans(runs: PartRun[][], index: NameIndex, spans: FoundName[]): void {
  for (let i = 0; i < runs.length; i++) {
    for (const a of runs[i]) {
      if (a.end >= runs.length) continue;
      for (const b of runs[a.end]) pushPair(spans, index, i, b.end, a.key, b.key);
    }
  }
}

function pushPair(spans: FoundName[], index: NameIndex, start: number, end: number, a: string, b: string): void {
  const firstLast = index.pairs.get(a)?.get(b) ?? NONE;
  const lastFirst = index.pairs.get(b)?.get(a) ?? NONE;
  if (firstLast.length + lastFirst.length === 0) return;
  const ids = lastFirst.length === 0 ? firstLast : firstLast.length === 0 ? lastFirst : [...new Set([...firstLast, ...lastFirst])];
  const surnames = lastFirst.length === 0 ? [b] : firstLast.length === 0 ? [a] : [a, b];
  spans.push({ start, end, ids, surnames, clean: true });
}

/** A short one-word organisation name counts only when it is the whole counterparty name (`UBIK ASBL`). */
function wholeFieldOrg(words: string[], index: NameIndex): FoundName[] {
  const kept = words.map((w, i) => ({ w, i })).filter(({ w }) => !isNameDecoration(w));
  if (kept.length !== 1) return [];
  const ids = index.orgs.get(kept[0].w);
  return ids ? [{ start: kept[0].i, end: kept[0].i + 1, ids, surnames: [], clean: true }] : [];
}

/** Longest names win over names inside them; names that cross each other become one name with all their people. */
function resolveOverlaps(spans: FoundName[]): FoundName[] {
  spans.sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start);
  const kept: FoundName[] = [];
  for (const span of spans) {
    const same = kept.find((k) => k.start === span.start && k.end === span.end);
    if (same) merge(same, span);
    else if (kept.some((k) => k.start <= span.start && span.end <= k.end)) continue;
    else {
      const crossing = kept.find((k) => span.start < k.end && k.start < span.end);
      if (crossing) {
        merge(crossing, span);
        crossing.clean = false; // two names overlapping: which one is meant is a guess
      }
      else kept.push({ ...span, ids: [...span.ids] });
    }
  }
  return kept;
}

function merge(into: FoundName, other: FoundName): void {
  into.start = Math.min(into.start, other.start);
  into.end = Math.max(into.end, other.end);
  for (const id of other.ids) if (!into.ids.includes(id)) into.ids.push(id);
  into.surnames = [...new Set([...into.surnames, ...other.surnames])];
}

/** "Alice et Bob Martin", "Alice & Bob Martin": a first name next to a full name, with the same surname in the register. */
function coordinated(words: string[], names: FoundName[], index: NameIndex): FoundName[] {
  const extra: FoundName[] = [];
  for (const name of names) {
    for (const surname of name.surnames) {
      const family = index.families.get(surname);
      if (!family) continue;
      const before = name.start > 0 && CONJUNCTIONS.has(words[name.start - 1]) ? name.start - 1 : name.start;
      const hit = firstNameEndingAt(words, before, family, index) ?? firstNameStartingAt(words, afterConjunction(words, name.end), family, index);
      if (hit && !covered(names, hit.start, hit.end) && !covered(extra, hit.start, hit.end)) extra.push(hit);
    }
  }
  return extra;
}

function afterConjunction(words: string[], at: number): number {
  return at < words.length && CONJUNCTIONS.has(words[at]) ? at + 1 : at;
}

function firstNameEndingAt(words: string[], end: number, family: Map<string, number[]>, index: NameIndex): FoundName | null {
  let key = '';
  for (let start = end - 1; start >= Math.max(0, end - index.maxPartWords); start--) {
    key = words[start] + key;
    const ids = family.get(key);
    if (ids) return { start, end, ids: [...ids], surnames: [], clean: true };
  }
  return null;
}

function firstNameStartingAt(words: string[], start: number, family: Map<string, number[]>, index: NameIndex): FoundName | null {
  let key = '';
  for (let end = start + 1; end <= Math.min(words.length, start + index.maxPartWords); end++) {
    key += words[end - 1];
    if (!index.prefixes.has(key)) break;
    const ids = family.get(key);
    if (ids) return { start, end, ids: [...ids], surnames: [], clean: true };
  }
  return null;
}

function covered(names: FoundName[], start: number, end: number): boolean {
  return names.some((n) => start < n.end && n.start < end);
}

/** A name is clean when no word next to it could extend it (`Anne` before `Marie Martin`); in a counterparty, when only decoration is left. */
function markClean(words: string[], names: FoundName[], index: NameIndex, strict: boolean): void {
  const free = (i: number): boolean => i >= 0 && i < words.length && !names.some((n) => i >= n.start && i < n.end);
  if (strict) {
    const leftover = words.some((w, i) => free(i) && !isNameDecoration(w));
    for (const name of names) name.clean &&= !leftover;
    return;
  }
  const nameLike = (i: number): boolean => free(i) && index.parts.has(words[i]);
  const nameWord = (i: number): boolean => free(i) && index.vocabulary.has(words[i]);
  for (const name of names) {
    const before = name.start - 1;
    const after = name.end;
    const joinedBefore = free(before) && CONJUNCTIONS.has(words[before]) && nameLike(before - 1);
    const joinedAfter = free(after) && CONJUNCTIONS.has(words[after]) && nameLike(after + 1);
    // After a name, any word of a name (`van` in `Op de Beeck-Van de Velde`) may continue its surname.
    name.clean &&= !nameLike(before) && !nameWord(after) && !joinedBefore && !joinedAfter;
  }
}
