/** A movement as the matcher sees it (a credit, amounts in minor units). */
export interface MatchInput {
  amount: number;
  currency: string;
  bookingDate: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  structuredReference: string | null;
  communication: string | null;
}

/** A live person the matcher may propose. */
export interface DirectoryPerson {
  id: number;
  kind: 'individual' | 'organisation';
  displayName: string;
  sortName: string | null;
  /** The person's permanent payment reference: twelve digits (Belgian structured communication). */
  reference: string;
  /** Usual yearly dues paid by this person (last amounts), a weak hint; may be empty. */
  usualAmounts: number[];
}

/** What the matcher knows: people, and the IBANs learned for them (an IBAN may pay for several people). */
export interface Directory {
  people: DirectoryPerson[];
  /** IBAN (electronic format) -> ids of the people it is known to pay for (confirmed, entered or imported). */
  ibans: Map<string, number[]>;
  /**
   * IBAN -> ids of the people it was only seen paying for in automatic matches (someone paying for another): weaker
   * knowledge, which the matcher proposes for review and never assigns automatically.
   */
  payers?: Map<string, number[]>;
}

/** Why a person is proposed: the strongest evidence first. */
export type MatchEvidence = 'reference' | 'reference_text' | 'reference_bad_checksum' | 'iban' | 'name' | 'initials' | 'amount';

/** One proposed share of a credit. */
export interface ProposedShare {
  personId: number;
  amount: number;
}

/** The matcher's proposal for one credit. */
export interface MatchProposal {
  /** Empty when nobody could be proposed. */
  shares: ProposedShare[];
  /** 0-100. */
  confidence: number;
  /** True only when the matcher is sure: the allocation is then made without review. */
  automatic: boolean;
  evidence: MatchEvidence[];
  /** A human-readable reason as a translation key and its parameters (e.g. which name matched). */
  reason: { key: string; params: Record<string, string | number> };
  /** Other people who could also be meant (homonyms...), shown in the review queue. */
  alternatives: number[];
  /**
   * The payer's IBAN when a sure match is for someone the payer evidently is not (a reference or the communication
   * named them, the counterparty does not): remembered as a payer seen paying for that person (later proposed for
   * review, never trusted until a treasurer confirms). Null otherwise.
   */
  payerFor: string | null;
}
