import type { Actor } from '../../core/actor.js';
import { notFound } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';
import type { Kysely } from 'kysely';
import { historyOf } from '../audit/audit.service.js';
import { transactionsByIds } from '../bank/bank.service.js';
import { type ImportRequest, importStatementFile, type NewMovement, type StatementInput } from '../bank/import.service.js';
import { getPeople } from '../people/people.service.js';
import { type AllocationContext, allocationContext, proposeAllocations, type ProposedAllocations, restoreAllocations, saveAllocations } from './allocation.service.js';
import { deriveMemberships } from './dues.service.js';
import * as repo from './dues.repository.js';

/** Sees each batch of new movements with the allocations proposed for them (the import preview). */
export type ProposalObserver = (movements: NewMovement[], proposed: ProposedAllocations[]) => void;

/** Imports a statement file and allocates its new movements, all in the import's one transaction; memberships follow once, at the end. */
export async function importAndAllocate(db: Kysely<Database>, actor: Actor, file: StatementInput, request: ImportRequest, observe?: ProposalObserver) {
  let context: AllocationContext | undefined;
  const matched = { automatic: 0, toReview: 0 };
  const summary = await importStatementFile<ProposedAllocations>(db, actor, file, {
    ...request,
    prepare: async (trx, movements) => proposeAllocations(movements, (context ??= await allocationContext(trx, actor))),
    onAdded: async (trx, movements, ids, proposed) => {
      observe?.(movements, proposed); // the import preview lists the proposals
      const result = await saveAllocations(trx, proposed, ids, context as AllocationContext);
      matched.automatic += result.automatic;
      matched.toReview += result.toReview;
    },
    onDone: async (trx) => {
      if (context) await deriveMemberships(trx, actor, context.touched);
    },
  });
  return { ...summary, ...matched };
}

/** Movements with their allocations and the people named in them (lists, review queue, API). */
export async function withAllocations(db: Db, ids: number[]) {
  const [transactions, allocations] = await Promise.all([transactionsByIds(db, ids), repo.selectAllocationsOf(db, ids)]);
  const personIds = new Set<number>();
  for (const a of allocations) {
    if (a.person_id) personIds.add(a.person_id);
    for (const alt of (JSON.parse(a.reason_json).alternatives ?? []) as number[]) personIds.add(alt);
  }
  const people = new Map((await getPeople(db, [...personIds])).map((p) => [p.id, { id: p.id, display_name: p.display_name }]));
  return transactions.map((tx) => ({
    ...tx,
    allocations: allocations.filter((a) => a.transaction_id === tx.id).map(({ reason_json, ...a }) => {
      const reason = JSON.parse(reason_json) as { key: string; params: Record<string, string | number>; alternatives?: number[] };
      return { ...a, person: a.person_id ? people.get(a.person_id) ?? null : null, reason: { key: reason.key, params: reason.params }, alternatives: (reason.alternatives ?? []).flatMap((id) => people.get(id) ?? []) };
    }),
  }));
}

/** A page of the review queue, oldest movement first, with the total waiting. */
export async function reviewQueue(db: Db, page = 1, perPage = 20) {
  const ids = await repo.selectReviewTransactionIds(db, perPage, (page - 1) * perPage);
  return { items: await withAllocations(db, ids), total: await repo.countReview(db), page, perPage };
}

/** One movement with its allocations (its own page, where any allocation can be corrected), or a 404. */
export async function movementWithAllocations(db: Db, transactionId: number) {
  const [tx] = await withAllocations(db, [transactionId]);
  if (!tx) throw notFound();
  return tx;
}

// The movement's last decision, unless it was undone since.
async function lastDecision(db: Db, transactionId: number) {
  const last = (await historyOf(db, 'bank_transaction', transactionId)).find((e) => e.action === 'allocation.decide' || e.action === 'allocation.undo');
  return last?.action === 'allocation.decide' ? last : undefined;
}

/** True when the movement has a decision that undo would take back (the movement's page shows the button then). */
export async function canUndoDecision(db: Db, transactionId: number): Promise<boolean> {
  return !!(await lastDecision(db, transactionId));
}

/** Puts back a movement's allocations as they were before its last decision. */
export async function undoLastDecision(db: Db, actor: Actor, transactionId: number): Promise<void> {
  const last = await lastDecision(db, transactionId);
  if (!last) throw notFound('dues.nothing_to_undo');
  const before = (last.before?.allocations ?? []) as Parameters<typeof restoreAllocations>[3];
  await restoreAllocations(db, actor, transactionId, before, last.after);
}

