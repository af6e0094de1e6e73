/**
 * The matcher's rules, strongest first. Each either decides (automatic only when nothing else in the credit
 * contradicts it), sends the credit to review with its best guess, or lets the next rule try.
 */
import type { MatchEvidence, MatchProposal } from './matcher.types.js';
import type { Evidence, MatchIndex } from './match-evidence.js';
import { automatic, forReview, namesOf } from './match-proposal.js';
import { familyMentioned, firstNamesMentioned, initialsCandidates, otherFirstNames, strangerBesideSurname, surnameCandidates } from './name-hints.js';
import type { FieldNames, FoundName } from './name-index.js';

type Rule = (e: Evidence, index: MatchIndex) => MatchProposal | null;

const MAX_FAMILY = 8;

function allIds(names: FoundName[]): number[] {
  return [...new Set(names.flatMap((n) => n.ids))];
}

/** The communication names someone else than `id`, several people, or a household: the credit is not only for `id`. */
function communicationDisagrees(e: Evidence, id: number): boolean {
  const named = e.communication.names;
  return e.communication.household || named.length > 1 || (named.length === 1 && !named[0].ids.includes(id));
}

/** Other people the same words can be read as, with a single letter as an initial (`M. LEMOINE-GERARD`: Mr Gérard Lemoine, or M. Lemoine-Gérard?). */
function otherReadings(field: FieldNames, index: MatchIndex, id: number): number[] {
  return initialsCandidates(field, index.names).filter((other) => other !== id);
}

/** A valid reference of ours (structured field or typed) -> automatic, unless the communication names someone else. */
const byReference: Rule = (e, index) => {
  if (e.referenceIds.length === 0) return null;
  const evidence: MatchEvidence = e.referenceInField ? 'reference' : 'reference_text';
  const reference = e.referenceText;
  if (e.referenceIds.length > 1) {
    return forReview(e.input, e.referenceIds, [], 60, [evidence], 'dues.reason.references_several', { names: namesOf(index, e.referenceIds) });
  }
  const [id] = e.referenceIds;
  const name = namesOf(index, [id]);
  const others = communicationDisagrees(e, id) ? allIds(e.communication.names) : relativesMentioned(e, index, id);
  if (others.length || e.communication.household) {
    return forReview(e.input, [id], others, 60, [evidence, 'name'], 'dues.reason.reference_conflict', { reference, name, other: namesOf(index, others) });
  }
  const key = e.referenceInField ? 'dues.reason.reference' : 'dues.reason.reference_text';
  return automatic(e.input, [id], e.referenceInField ? 100 : 95, [evidence], key, { reference, name });
};

/** Who else the credit points to, and how: names in either text, the IBAN, initials. */
function supportFor(e: Evidence, index: MatchIndex): Map<number, MatchEvidence> {
  const support = new Map<number, MatchEvidence>();
  const initials = [...initialsCandidates(e.communication, index.names), ...initialsCandidates(e.counterparty, index.names)];
  for (const id of initials) support.set(id, 'initials');
  for (const id of e.ibanIds) support.set(id, 'iban');
  for (const id of [...allIds(e.counterparty.names), ...allIds(e.communication.names)]) support.set(id, 'name');
  return support;
}

/** A wrong checksum is never trusted alone: automatic only when exactly one person one typo away is also named or paid for by the IBAN. */
const byMistypedReference: Rule = (e, index) => {
  if (!e.mistyped) return null;
  const { typed, ids } = e.mistyped;
  const support = supportFor(e, index);
  const both = ids.filter((id) => support.has(id));
  if (both.length === 1 && !communicationDisagrees(e, both[0])) {
    const evidence: MatchEvidence[] = ['reference_bad_checksum', support.get(both[0]) ?? 'name'];
    return automatic(e.input, both, 90, evidence, 'dues.reason.bad_checksum_confirmed', { reference: typed, name: namesOf(index, both) });
  }
  const proposed = ids.length === 1 ? ids : both.length === 1 ? both : [];
  return forReview(e.input, proposed, [...ids, ...support.keys()], 50, ['reference_bad_checksum'], 'dues.reason.bad_checksum', {
    reference: typed,
    names: namesOf(index, ids),
  });
};

/** Several people named: a split for review (ambiguous names become alternatives). */
function splitNames(e: Evidence, index: MatchIndex, names: FoundName[]): MatchProposal {
  const sure = names.filter((n) => n.ids.length === 1).map((n) => n.ids[0]);
  const unsure = names.filter((n) => n.ids.length > 1).flatMap((n) => n.ids);
  return forReview(e.input, [...new Set(sure)], unsure, 60, ['name'], 'dues.reason.names_split', { names: namesOf(index, [...new Set([...sure, ...unsure])]) });
}

function homonyms(e: Evidence, index: MatchIndex, ids: number[]): MatchProposal {
  const distinct = [...new Set(ids)];
  return forReview(e.input, [], distinct, 40, ['name'], 'dues.reason.homonyms', { name: namesOf(index, distinct.slice(0, 1)), count: distinct.length });
}

/** "M. et Mme Dupont", "Familie Peeters": the named people and their household (same surname), for review. */
function household(e: Evidence, index: MatchIndex, ids: number[]): MatchProposal {
  const family = new Set(ids);
  for (const id of ids) {
    const last = index.names.people.get(id)?.last;
    for (const other of (last && index.names.surnames.get(last)) || []) if (family.size < MAX_FAMILY) family.add(other);
  }
  const everyone = [...family];
  const shares = everyone.length === 2 ? everyone : ids;
  return forReview(e.input, shares, everyone, 50, ['name'], 'dues.reason.household', { names: namesOf(index, everyone) });
}

/** Members of the payer's family (same surname) whose first name is in the communication ("cotisation Lucas"). */
function relativesMentioned(e: Evidence, index: MatchIndex, id: number): number[] {
  const person = index.names.people.get(id);
  if (!person) return [];
  const mentioned = person.lasts.flatMap((last) => familyMentioned(e.communication, last, index.names));
  return [...new Set(mentioned)].filter((other) => other !== id && !person.firsts.includes(index.names.people.get(other)?.first ?? ''));
}

/** The communication gives someone else's first name: the payer may be paying for them. */
function someoneElse(e: Evidence, index: MatchIndex, id: number, evidence: MatchEvidence): MatchProposal | null {
  const own = index.names.people.get(id)?.firsts ?? [];
  const firsts = otherFirstNames(e.communication, own, index.names);
  const relatives = relativesMentioned(e, index, id);
  if (firsts.length === 0 && relatives.length === 0) return null;
  const payer = namesOf(index, [id]);
  if (relatives.length === 0) return forReview(e.input, [id], [], 50, [evidence], 'dues.reason.other_first_name', { first: firsts.join(', '), payer });
  return forReview(e.input, relatives.length === 1 ? relatives : [], [...relatives, id], 60, [evidence, 'name'], 'dues.reason.relative', { names: namesOf(index, relatives), payer });
}

/** Others in the register with the person's surname (a household the payment may be for). */
function housemates(index: MatchIndex, id: number): number[] {
  const lasts = index.names.people.get(id)?.lasts ?? [];
  return [...new Set(lasts.flatMap((last) => index.names.surnames.get(last) ?? []))].filter((other) => other !== id);
}

/** The communication gives the person's surname with another first name (`cotisation Emma Peeters` for Luc Peeters, `Luc et Emma Peeters`): for review. */
function strangerNamed(e: Evidence, index: MatchIndex, id: number, evidence: MatchEvidence[]): MatchProposal | null {
  const person = index.names.people.get(id);
  if (!person || !strangerBesideSurname(e.communication, person)) return null;
  const others = [...e.ibanIds, ...e.payerIds, ...housemates(index, id)];
  return forReview(e.input, [id], others, 50, evidence, 'dues.reason.someone_else_named', { name: namesOf(index, [id]) });
}

/**
 * One person found by the IBAN or the payer's name: automatic unless the communication points elsewhere (a household
 * with others, someone else's first name, the person's surname with another first name).
 */
function payerDecides(e: Evidence, index: MatchIndex, id: number, confidence: number, evidence: MatchEvidence, key: string): MatchProposal {
  const speaksOfHousehold = e.counterparty.household || e.communication.household;
  if (speaksOfHousehold && housemates(index, id).length > 0) return household(e, index, [id]);
  return someoneElse(e, index, id, evidence) ?? strangerNamed(e, index, id, [evidence])
    ?? automatic(e.input, [id], confidence, [evidence], key, { name: namesOf(index, [id]), iban: e.iban ?? '' });
}

/** People named in the communication are who it is for (a parent paying for a child). */
const byNameInCommunication: Rule = (e, index) => {
  const names = e.communication.names;
  if (names.length === 0) return null;
  if (names.length > 1) return splitNames(e, index, names);
  const [name] = names;
  // Namesakes are never guessed between, not even by the IBAN (a father paying for his son of the same name): the one it pays for comes first.
  if (name.ids.length > 1) return homonyms(e, index, [...name.ids.filter((id) => e.ibanIds.includes(id)), ...name.ids]);
  const id = name.ids[0];
  const other = otherReadings(e.communication, index, id);
  if (!name.clean || other.length) return forReview(e.input, [id], other, 50, ['name'], 'dues.reason.name_partial', { name: namesOf(index, [id]) });
  if (e.communication.household) return household(e, index, [id]);
  const evidence: MatchEvidence[] = e.ibanIds.includes(id) ? ['name', 'iban'] : ['name'];
  const stranger = strangerNamed(e, index, id, evidence);
  if (stranger) return stranger;
  return automatic(e.input, [id], 85, evidence, 'dues.reason.name_in_communication', { name: namesOf(index, [id]) });
};

/** The payer's IBAN: one person -> automatic; several (a couple) -> the one the communication names, else a split for review. */
const byIban: Rule = (e, index) => {
  const ids = e.ibanIds;
  if (ids.length === 0) return null;
  const iban = e.iban ?? '';
  if (ids.length > 1) {
    const named = e.communication.household ? [] : firstNamesMentioned(e.communication, ids, index.names);
    const alone = named.length === 1 && otherFirstNames(e.communication, index.names.people.get(named[0])?.firsts ?? [], index.names).length === 0;
    if (alone) return automatic(e.input, named, 85, ['iban', 'name'], 'dues.reason.iban_named', { iban, name: namesOf(index, named) });
    return forReview(e.input, ids, [], 60, ['iban'], 'dues.reason.iban_shared', { iban, names: namesOf(index, ids) });
  }
  const [id] = ids;
  const payers = e.counterparty.names;
  if (payers.length && !payers.some((n) => n.ids.includes(id))) {
    const others = allIds(payers);
    return forReview(e.input, [id], others, 60, ['iban', 'name'], 'dues.reason.iban_conflict', { iban, name: namesOf(index, [id]), other: namesOf(index, others) });
  }
  return payerDecides(e, index, id, 90, 'iban', 'dues.reason.iban');
};

/**
 * An IBAN only seen paying for someone (in an automatic match nobody confirmed): that person is proposed for review,
 * with whom the payer's own account or name points to as the alternatives; never automatic.
 */
const byRememberedPayer: Rule = (e, index) => {
  const seen = e.payerIds;
  if (seen.length === 0) return null;
  const own = [...e.ibanIds, ...allIds(e.counterparty.names), ...initialsCandidates(e.counterparty, index.names)];
  return forReview(e.input, seen.length === 1 ? seen : [], [...seen, ...own], 50, ['iban'], 'dues.reason.iban_payer', { iban: e.iban ?? '', name: namesOf(index, seen) });
};

/** The payer's name (counterparty): automatic only for a clean, unique full name. */
const byCounterpartyName: Rule = (e, index) => {
  const names = e.counterparty.names;
  if (names.length === 0) return null;
  if (names.length > 1) return splitNames(e, index, names);
  const [name] = names;
  if (name.ids.length > 1) return homonyms(e, index, name.ids);
  const id = name.ids[0];
  const other = otherReadings(e.counterparty, index, id);
  if (!name.clean || other.length) return forReview(e.input, [id], other, 50, ['name'], 'dues.reason.name_partial', { name: namesOf(index, [id]) });
  return payerDecides(e, index, id, 85, 'name', 'dues.reason.name');
};

/** `A. Martin`: candidates for review, never automatic. */
const byInitials: Rule = (e, index) => {
  const ids = [...new Set([...initialsCandidates(e.communication, index.names), ...initialsCandidates(e.counterparty, index.names)])];
  if (ids.length === 0) return null;
  return forReview(e.input, ids.length === 1 ? ids : [], ids, 30, ['initials'], 'dues.reason.initials', { names: namesOf(index, ids) });
};

/** A surname with a title or a family word (`M. et Mme Dupont`, `Familie Peeters`): the household, for review. */
const bySurname: Rule = (e, index) => {
  const fields: FieldNames[] = [e.communication, e.counterparty];
  const ids = [...new Set(fields.flatMap((f) => surnameCandidates(f, index.names)))].slice(0, MAX_FAMILY);
  if (ids.length === 0) return null;
  const shares = ids.length <= 2 && fields.some((f) => f.household) ? ids : ids.length === 1 ? ids : [];
  return forReview(e.input, shares, ids, 30, ['name'], 'dues.reason.household', { names: namesOf(index, ids) });
};

/** The rules in the order they are tried. */
export const RULES: readonly Rule[] = [byReference, byMistypedReference, byNameInCommunication, byRememberedPayer, byIban, byCounterpartyName, byInitials, bySurname];
