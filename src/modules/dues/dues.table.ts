import type { Generated } from 'kysely';

/** Who (or what) a movement, or part of it, is for; a movement may be split into several allocations. */
export interface AllocationsTable {
  id: Generated<number>;
  transaction_id: number;
  person_id: number | null;
  amount_cents: number;
  /** dues, donation, service, hardware, other (income); expense (debits); null while unknown (to review). */
  kind: string | null;
  category: string | null;
  /** The fiscal year the dues count for. */
  fiscal_year: number | null;
  /** auto (made by Ruche, sure), confirmed (by the treasurer), to_review (a proposal or nothing). */
  status: 'auto' | 'confirmed' | 'to_review';
  matched_by: string;
  confidence: number;
  reason_json: string;
  created_at: string;
  decided_by: string | null;
}

/** IBANs known to pay for a person (learned from confirmed matches, entered on the person, or seen paying for them). */
export interface PersonIbansTable {
  person_id: number;
  iban: string;
  /**
   * learned (a treasurer confirmed a payment from it), manual, import: sure knowledge; payer: seen paying for the person
   * in an automatic match (someone paying for another), only ever proposed for review.
   */
  source: 'learned' | 'manual' | 'import' | 'payer';
  created_at: string;
}

/** Categorisation rules for income and expenses that are not dues (datacentre, transit, registrars, bank fees...). */
export interface CategoryRulesTable {
  id: Generated<number>;
  /** Folded text that the counterparty name or the communication must contain. */
  pattern: string;
  /** credit, debit or any. */
  direction: 'credit' | 'debit' | 'any';
  kind: string;
  category: string;
  created_at: string;
}
