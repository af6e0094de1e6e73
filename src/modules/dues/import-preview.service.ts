// The preview of an import (a dry run): what it would add, and for the credits, who Ruche proposes they are for.
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.js';
import type { Database } from '../../storage/schema.js';
import type { ImportRequest, NewMovement, StatementInput } from '../bank/import.service.js';
import { getPeople } from '../people/people.service.js';
import type { ProposedAllocations } from './allocation.service.js';
import { importAndAllocate } from './review.service.js';

/** Credits whose proposals a preview lists; the others are only counted. */
export const PREVIEW_PROPOSALS = 100;

/** Who a credit read from a file would be for, as the import would record it. */
export interface ProposedMatch {
  bookingDate: string;
  amountCents: number;
  currency: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  communication: string | null;
  structuredRef: string | null;
  /** The people proposed, with each one's share (empty when nobody is recognised). */
  people: { id: number; displayName: string; amountCents: number }[];
  kind: string | null;
  category: string | null;
  confidence: number;
  matchedBy: string;
  reason: { key: string; params: Record<string, string | number> };
  /** auto: the import assigns it; to_review: it waits in the review queue. */
  status: 'auto' | 'to_review';
}

type Collected = { movement: NewMovement; rows: ProposedAllocations };

/** Gathers the first credits' proposals as an import makes them (per batch: nothing per movement beyond a push). */
function collector(limit: number) {
  const kept: Collected[] = [];
  let more = 0;
  const observe = (movements: NewMovement[], proposed: ProposedAllocations[]) => {
    movements.forEach((movement, i) => {
      if (movement.amount_cents <= 0) return;
      if (kept.length < limit) kept.push({ movement, rows: proposed[i] });
      else more++;
    });
  };
  return { kept, observe, more: () => more };
}

/**
 * Runs an import as a dry run (nothing is written) and returns its summary with the proposals for its new credits:
 * the first PREVIEW_PROPOSALS in the file's order, and how many more there are (web preview, API dry run).
 */
export async function previewImport(db: Kysely<Database>, actor: Actor, file: StatementInput, request: ImportRequest, limit = PREVIEW_PROPOSALS) {
  const collected = collector(limit);
  const summary = await importAndAllocate(db, actor, file, { ...request, dryRun: true }, collected.observe);
  const personIds = new Set(collected.kept.flatMap((c) => c.rows.flatMap((r) => (r.person_id ? [r.person_id] : []))));
  const names = new Map((await getPeople(db, [...personIds])).map((p) => [p.id, p.display_name]));
  const proposals = collected.kept.map((c) => proposedMatch(c, names));
  return { ...summary, proposals, proposalsNotShown: collected.more() };
}

function proposedMatch({ movement: m, rows }: Collected, names: Map<number, string>): ProposedMatch {
  const first = rows[0];
  const reason = JSON.parse(first.reason_json) as { key: string; params?: Record<string, string | number> };
  return {
    bookingDate: m.booking_date, amountCents: m.amount_cents, currency: m.currency, counterpartyName: m.counterparty_name,
    counterpartyIban: m.counterparty_iban, communication: m.communication, structuredRef: m.structured_ref,
    people: rows.flatMap((r) => (r.person_id ? [{ id: r.person_id, displayName: names.get(r.person_id) ?? `#${r.person_id}`, amountCents: r.amount_cents }] : [])),
    kind: first.kind, category: first.category, confidence: first.confidence, matchedBy: first.matched_by,
    reason: { key: reason.key, params: reason.params ?? {} },
    status: rows.every((r) => r.status === 'auto') ? 'auto' : 'to_review',
  };
}
