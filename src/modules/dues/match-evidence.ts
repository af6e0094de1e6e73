/** What a credit says about who it is for, read once against the register's indexes. */
import { runSteps, type Steps } from '../../core/steps.js';
import { formatBelgianReference } from '../bank/references.js';
import type { Directory, DirectoryPerson, MatchInput } from './matcher.types.js';
import { type FieldNames, type NameIndex, nameIndexing, scanField } from './name-index.js';
import { personIdFromReference } from './payment-reference.js';
import { correctionsOf, referenceInField, referencesInText, type TypedReference } from './text-references.js';

/** The register, indexed once by `buildMatchIndex` and passed to every `matchCredit` call. */
export interface MatchIndex {
  readonly kind: 'match-index';
  readonly byId: ReadonlyMap<number, DirectoryPerson>;
  /** Twelve reference digits -> person. */
  readonly byReference: ReadonlyMap<string, number>;
  /** Electronic IBAN -> the live people it has paid for. */
  readonly ibans: ReadonlyMap<string, number[]>;
  /** Electronic IBAN -> the live people it was only seen paying for (proposed, never trusted). */
  readonly payers: ReadonlyMap<string, number[]>;
  readonly names: NameIndex;
}

/** Everything a credit says, before any rule decides. */
export interface Evidence {
  input: MatchInput;
  /** People named by valid references of ours, the structured field's first. */
  referenceIds: number[];
  referenceText: string;
  referenceInField: boolean;
  /** A mistyped reference and the people one typo away from it. */
  mistyped: { typed: string; ids: number[] } | null;
  iban: string | null;
  ibanIds: number[];
  /** People the payer's IBAN was only seen paying for (not among `ibanIds`): proposals for review, never automatic. */
  payerIds: number[];
  communication: FieldNames;
  readonly counterparty: FieldNames;
}

const ELECTRONIC = /^[0-9A-Z]*$/;

/** Normalises an IBAN to its electronic format (upper case, no spaces). */
export function electronicIban(iban: string): string {
  if (ELECTRONIC.test(iban)) return iban; // as the parsers already give it
  return iban.replace(/[^0-9a-z]/gi, '').toUpperCase();
}

/** Indexes a directory once (references, IBANs, names) so that each credit is matched in microseconds. */
export function buildMatchIndex(directory: Directory): MatchIndex {
  return runSteps(matchIndexing(directory));
}

/** The same work in steps (see nameIndexing): an import indexes the register while the database writes. */
export function* matchIndexing(directory: Directory): Steps<MatchIndex> {
  const byId = new Map(directory.people.map((p) => [p.id, p]));
  const byReference = new Map<string, number>();
  for (const person of directory.people) byReference.set(person.reference.replace(/\D/g, ''), person.id);
  yield;
  const ibans = liveIbans(directory.ibans, byId);
  const payers = liveIbans(directory.payers ?? new Map(), byId);
  yield;
  return { kind: 'match-index', byId, byReference, ibans, payers, names: yield* nameIndexing(directory.people) };
}

function liveIbans(known: ReadonlyMap<string, number[]>, byId: ReadonlyMap<number, DirectoryPerson>): Map<string, number[]> {
  const ibans = new Map<string, number[]>();
  for (const [iban, ids] of known) {
    const live = [...new Set(ids)].filter((id) => byId.has(id));
    const key = electronicIban(iban);
    if (live.length) ibans.set(key, [...new Set([...(ibans.get(key) ?? []), ...live])]);
  }
  return ibans;
}

/** Reads a credit: references in the structured field and in the texts, the payer's IBAN, names in both texts. */
export function gatherEvidence(input: MatchInput, index: MatchIndex): Evidence {
  return new CreditEvidence(input, index);
}

// A class, not an object literal with a getter: a literal's getter is a new closure for every credit, and V8 gives
// each such object a shape of its own.
class CreditEvidence implements Evidence {
  readonly referenceIds: number[];
  readonly referenceText: string;
  readonly referenceInField: boolean;
  readonly mistyped: Evidence['mistyped'];
  readonly iban: string | null;
  readonly ibanIds: number[];
  readonly payerIds: number[];
  readonly communication: FieldNames;
  private read: FieldNames | null = null;

  constructor(
    readonly input: MatchInput,
    private readonly index: MatchIndex,
  ) {
    const typed = typedReferences(input);
    const known = typed.length ? typed.filter((r) => r.valid && personFor(r.digits, index) !== null) : NONE;
    this.referenceIds = known.length ? distinct(known.map((r) => personFor(r.digits, index) as number)) : NONE;
    this.referenceText = known.length ? formatBelgianReference(known[0].digits) : '';
    this.referenceInField = known.length > 0 && known[0].inField;
    this.mistyped = known.length || !typed.length ? null : mistyped(typed, index);
    this.iban = input.counterpartyIban ? electronicIban(input.counterpartyIban) : null;
    this.ibanIds = this.iban ? (index.ibans.get(this.iban) ?? NONE) : NONE;
    this.payerIds = this.iban && index.payers.size ? payersOnly(index.payers.get(this.iban), this.ibanIds) : NONE;
    this.communication = scanField(input.communication, index.names, false);
  }

  /** The names in the payer's name, read only when a rule needs them (a valid reference usually decides first). */
  get counterparty(): FieldNames {
    this.read ??= scanField(this.input.counterpartyName, this.index.names, true);
    return this.read;
  }
}

// Shared by every credit that has none: frozen, so that nothing can add to it.
const NONE = Object.freeze([]) as never[];

// The people an IBAN was seen paying for, less those it is surely known to pay for.
function payersOnly(seen: number[] | undefined, sure: number[]): number[] {
  if (!seen) return NONE;
  return sure.length ? seen.filter((id) => !sure.includes(id)) : seen;
}

function distinct<T>(values: T[]): T[] {
  return values.length < 2 ? values : [...new Set(values)];
}

function typedReferences(input: MatchInput): Array<TypedReference & { inField: boolean }> {
  const field = referenceInField(input.structuredReference);
  // Written out rather than spread: this runs for every credit of an import.
  const typed = (r: TypedReference, inField: boolean) => ({ digits: r.digits, typed: r.typed, valid: r.valid, inField });
  const found = field ? [typed(field, true)] : [];
  for (const text of [input.communication, input.counterpartyName]) for (const r of referencesInText(text)) found.push(typed(r, false));
  return found;
}

/** The person a valid reference stands for: a reference on record, else one of ours for a live person. */
function personFor(digits: string, index: MatchIndex): number | null {
  const recorded = index.byReference.get(digits);
  if (recorded !== undefined) return recorded;
  const id = personIdFromReference(digits);
  return id !== null && index.byId.has(id) ? id : null;
}

function mistyped(typed: TypedReference[], index: MatchIndex): Evidence['mistyped'] {
  for (const ref of typed) {
    if (ref.valid) continue;
    const ids = correctionsOf(ref.digits, (d) => index.byReference.has(d)).map((d) => index.byReference.get(d) as number);
    if (ids.length) return { typed: ref.typed, ids: [...new Set(ids)] };
  }
  return null;
}
