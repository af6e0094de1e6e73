/**
 * Who a credit is for: a valid reference, a reference typed in the text, the payer's IBAN, names in the counterparty
 * or the communication, the amount as a hint. Pure: index the register once with `buildMatchIndex`, then match.
 */
import { buildMatchIndex, type Evidence, gatherEvidence, type MatchIndex } from './match-evidence.js';
import { nobody, withAmountHint } from './match-proposal.js';
import { RULES } from './match-rules.js';
import type { Directory, MatchInput, MatchProposal } from './matcher.types.js';
import { runEnd } from './name-hints.js';
import type { NameIndex, PersonName } from './name-index.js';
import { isNameDecoration, nameTokens } from './names.js';

export { buildMatchIndex, electronicIban, type MatchIndex, matchIndexing } from './match-evidence.js';
export { personIdFromReference, personReference } from './payment-reference.js';

/** Every reason key the matcher produces, for the translation catalogues. */
export const MATCH_REASON_KEYS = [
  'dues.reason.reference', 'dues.reason.reference_text', 'dues.reason.reference_conflict', 'dues.reason.references_several',
  'dues.reason.bad_checksum', 'dues.reason.bad_checksum_confirmed', 'dues.reason.iban', 'dues.reason.iban_named',
  'dues.reason.iban_shared', 'dues.reason.iban_conflict', 'dues.reason.name', 'dues.reason.name_in_communication',
  'dues.reason.name_partial', 'dues.reason.names_split', 'dues.reason.homonyms', 'dues.reason.household', 'dues.reason.relative',
  'dues.reason.other_first_name', 'dues.reason.initials', 'dues.reason.none', 'dues.reason.debit', 'dues.reason.iban_payer',
  'dues.reason.someone_else_named',
] as const;

function isIndex(source: Directory | MatchIndex): source is MatchIndex {
  return 'kind' in source && source.kind === 'match-index';
}

/** Proposes who a credit is for; pass `buildMatchIndex(directory)` when matching many credits (a bare directory is indexed on each call). */
export function matchCredit(input: MatchInput, source: Directory | MatchIndex): MatchProposal {
  if (!(input.amount > 0)) return nobody('dues.reason.debit');
  const index = isIndex(source) ? source : buildMatchIndex(source);
  const evidence = gatherEvidence(input, index);
  for (const rule of RULES) {
    const proposal = rule(evidence, index);
    if (proposal) {
      proposal.payerFor = payerForAnother(proposal, evidence, index);
      return withAmountHint(proposal, input, index);
    }
  }
  return nobody('dues.reason.none');
}

/**
 * The payer's IBAN when a sure match goes to someone the payer evidently is not: the IBAN is not yet known for them
 * and the counterparty's name does not name them (the reference or the communication did). A parent or a partner
 * with the same surname pays for someone else too: the surname alone settles nothing. Checked only for sure matches
 * of IBANs new to the person, and most payers are settled by their words without reading the names in them.
 */
function payerForAnother(proposal: MatchProposal, e: Evidence, index: MatchIndex): string | null {
  if (!proposal.automatic || proposal.shares.length !== 1 || !e.iban || !e.input.counterpartyName) return null;
  const id = proposal.shares[0].personId;
  if (e.ibanIds.includes(id) || e.payerIds.includes(id)) return null;
  const person = index.names.people.get(id);
  if (person && payerWordsName(nameTokens(e.input.counterpartyName), person, index.names)) return null;
  return e.counterparty.names.some((n) => n.ids.includes(id)) ? null : e.iban;
}

/**
 * True when the payer's words name the person: their surname as whole words with their first name or its initial
 * (`LAMBERT EMMA`, `Mme E. Lambert`), or with nothing but titles, family words and other surnames around it, which
 * the matcher reads as a household (`M. et Mme Lambert`, `Lambert-Dupont`).
 */
function payerWordsName(words: string[], person: PersonName, names: NameIndex): boolean {
  for (let k = 0; k < person.lasts.length; k++) {
    const last = person.lasts[k];
    const first = person.firsts[k] ?? '';
    for (let i = 0; i < words.length; i++) {
      const end = runEnd(words, i, last);
      if (end < 0) continue;
      if (hasFirstName(words, i, end, first) || onlySurnamesAround(words, i, end, names)) return true;
    }
  }
  return false;
}

/** The first name (compact) or its initial as whole words outside the surname's words [start, end). */
function hasFirstName(words: string[], start: number, end: number, first: string): boolean {
  if (!first) return false;
  for (let j = 0; j < words.length; j++) {
    if (j >= start && j < end) continue;
    if (words[j] === first[0] || runEnd(words, j, first) >= 0) return true;
  }
  return false;
}

function onlySurnamesAround(words: string[], start: number, end: number, names: NameIndex): boolean {
  for (let j = 0; j < words.length; j++) {
    if (j >= start && j < end) continue;
    if (!isNameDecoration(words[j]) && !names.surnames.has(words[j])) return false;
  }
  return true;
}

/** Matches many credits against one index (built here once). */
export function matchCredits(inputs: readonly MatchInput[], directory: Directory | MatchIndex): MatchProposal[] {
  const index = isIndex(directory) ? directory : buildMatchIndex(directory);
  return inputs.map((input) => matchCredit(input, index));
}
