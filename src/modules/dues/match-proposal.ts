/** Building the matcher's proposals: equal shares, automatic or for review, and the amount as a weak hint. */
import type { MatchEvidence, MatchInput, MatchProposal, ProposedShare } from './matcher.types.js';
import type { MatchIndex } from './match-evidence.js';

type Params = Record<string, string | number>;

/** Equal shares of an amount, the remainder (cents) on the first person. */
export function equalShares(ids: number[], amount: number): ProposedShare[] {
  if (ids.length === 0) return [];
  const base = Math.floor(amount / ids.length);
  return ids.map((personId, i) => ({ personId, amount: i === 0 ? amount - base * (ids.length - 1) : base }));
}

/** A sure proposal: the allocation is made without review. */
export function automatic(input: MatchInput, ids: number[], confidence: number, evidence: MatchEvidence[], key: string, params: Params): MatchProposal {
  return { shares: equalShares(ids, input.amount), confidence, automatic: true, evidence: unique(evidence), reason: { key, params }, alternatives: [], payerFor: null };
}

/** A proposal for the review queue: `ids` share the amount (may be empty), `alternatives` are the other people who could be meant. */
export function forReview(
  input: MatchInput,
  ids: number[],
  alternatives: number[],
  confidence: number,
  evidence: MatchEvidence[],
  key: string,
  params: Params,
): MatchProposal {
  const others = unique(alternatives).filter((id) => !ids.includes(id));
  return { shares: equalShares(ids, input.amount), confidence, automatic: false, evidence: unique(evidence), reason: { key, params }, alternatives: others, payerFor: null };
}

/** Nobody to propose (or a debit): reviewed or categorised by hand. */
export function nobody(key: string): MatchProposal {
  return { shares: [], confidence: 0, automatic: false, evidence: [], reason: { key, params: {} }, alternatives: [], payerFor: null };
}

/** The display names of people, for a reason's parameters; homonyms once, with their number ("Jean Dupont (×2)"). */
export function namesOf(index: MatchIndex, ids: number[]): string {
  if (ids.length === 1) return nameOf(index, ids[0]); // most reasons name one person
  const counts = new Map<string, number>();
  for (const id of ids) {
    const name = nameOf(index, id);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => (n > 1 ? `${name} (×${n})` : name)).join(', ');
}

function nameOf(index: MatchIndex, id: number): string {
  return index.byId.get(id)?.displayName ?? `#${id}`;
}

/** The amount as a weak hint: a usual amount raises a proposal for review and puts matching alternatives first; it never decides. */
export function withAmountHint(proposal: MatchProposal, input: MatchInput, index: MatchIndex): MatchProposal {
  const usual = (id: number, amount: number): boolean => index.byId.get(id)?.usualAmounts.includes(amount) ?? false;
  const shareFits = proposal.shares.length > 0 && proposal.shares.every((s) => usual(s.personId, s.amount));
  const fitting = proposal.alternatives.filter((id) => usual(id, input.amount));
  if (!shareFits && fitting.length === 0) return proposal;
  const alternatives = [...fitting, ...proposal.alternatives.filter((id) => !fitting.includes(id))];
  const raise = proposal.automatic ? 0 : shareFits ? 10 : 5;
  return { ...proposal, alternatives, confidence: Math.min(proposal.automatic ? 100 : 80, proposal.confidence + raise), evidence: unique([...proposal.evidence, 'amount']) };
}

function unique<T>(values: T[]): T[] {
  if (values.length < 2) return values.slice();
  if (values.length === 2) return values[0] === values[1] ? [values[0]] : values.slice();
  return [...new Set(values)];
}
