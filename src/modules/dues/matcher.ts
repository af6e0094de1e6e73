/**
 * Who a credit is for: a valid reference, a reference typed in the text, the payer's IBAN, names in the counterparty
 * or the communication, the amount as a hint. Pure: index the register once with `buildMatchIndex`, then match.
 */
import { fold } from '../../core/text.js';
import { buildMatchIndex, type Evidence, gatherEvidence, type MatchIndex } from './match-evidence.js';
import { nobody, withAmountHint } from './match-proposal.js';
import { RULES } from './match-rules.js';
import type { Directory, MatchInput, MatchProposal } from './matcher.types.js';

export { buildMatchIndex, electronicIban, type MatchIndex, matchIndexing } from './match-evidence.js';
export { personIdFromReference, personReference } from './payment-reference.js';

/** Every reason key the matcher produces, for the translation catalogues. */
export const MATCH_REASON_KEYS = [
  'dues.reason.reference', 'dues.reason.reference_text', 'dues.reason.reference_conflict', 'dues.reason.references_several',
  'dues.reason.bad_checksum', 'dues.reason.bad_checksum_confirmed', 'dues.reason.iban', 'dues.reason.iban_named',
  'dues.reason.iban_shared', 'dues.reason.iban_conflict', 'dues.reason.name', 'dues.reason.name_in_communication',
  'dues.reason.name_partial', 'dues.reason.names_split', 'dues.reason.homonyms', 'dues.reason.household', 'dues.reason.relative',
  'dues.reason.other_first_name', 'dues.reason.initials', 'dues.reason.none', 'dues.reason.debit',
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
 * and the counterparty's name does not name them (the reference or the communication did). Checked only for sure
 * matches of IBANs new to the person, so most credits never read the counterparty's name here.
 */
function payerForAnother(proposal: MatchProposal, e: Evidence, index: MatchIndex): string | null {
  if (!proposal.automatic || proposal.shares.length !== 1 || !e.iban || !e.input.counterpartyName) return null;
  const id = proposal.shares[0].personId;
  if (e.ibanIds.includes(id)) return null;
  // Most such payers pay their own dues: their surname in the payer's name settles it without reading the names.
  const lasts = index.names.people.get(id)?.lasts ?? [];
  if (lasts.length) {
    const payer = fold(e.input.counterpartyName).replace(NOT_LETTERS, '');
    if (lasts.some((last) => last.length > 1 && payer.includes(last))) return null;
  }
  return e.counterparty.names.some((n) => n.ids.includes(id)) ? null : e.iban;
}

const NOT_LETTERS = /[^a-z0-9]/g;

/** Matches many credits against one index (built here once). */
export function matchCredits(inputs: readonly MatchInput[], directory: Directory | MatchIndex): MatchProposal[] {
  const index = isIndex(directory) ? directory : buildMatchIndex(directory);
  return inputs.map((input) => matchCredit(input, index));
}
