import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { notFound, ValidationError } from '../../core/errors.js';
import { fold } from '../../core/text.js';
import { runStepsInSlices } from '../../core/steps.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import type { Selectable } from 'kysely';
import type { AllocationsTable } from './dues.table.js';
import { recordChange } from '../audit/audit.service.js';
import { transactionsByIds } from '../bank/bank.service.js';
import { getSettings } from '../settings/settings.service.js';
import * as repo from './dues.repository.js';
import { type AllocationDecision, allocationDecision } from './dues.schema.js';
import { deriveMemberships, duesYearOf, getDuesPolicy, touch, type TouchedYears } from './dues.service.js';
import { buildMatchIndex, matchCredit, matchIndexing, personReference } from './matcher.js';
import type { Directory, MatchProposal } from './matcher.types.js';

type Transaction = Awaited<ReturnType<typeof transactionsByIds>>[number];
type Rule = Awaited<ReturnType<typeof repo.selectRules>>[number];

/** Loads what the matcher knows (live people, their references, learned IBANs) once for a batch of movements. */
export async function loadDirectory(db: Db): Promise<Directory> {
  const people = await repo.selectDirectoryPeople(db);
  const ibans = new Map<string, number[]>();
  for (const { iban, person_id } of await repo.selectPersonIbans(db)) ibans.set(iban, [...(ibans.get(iban) ?? []), person_id]);
  return {
    people: people.map((p) => ({ id: p.id, kind: p.kind, displayName: p.display_name, sortName: p.sort_name, reference: personReference(p.id), usualAmounts: [] })),
    ibans,
  };
}

function ruleFor(tx: Omit<MovementForAllocation, 'id'>, rules: Rule[]): Rule | undefined {
  if (!rules.length) return undefined;
  const text = fold(`${tx.counterparty_name ?? ''} ${tx.communication ?? ''}`);
  const direction = tx.amount_cents >= 0 ? 'credit' : 'debit';
  return rules.find((r) => (r.direction === 'any' || r.direction === direction) && text.includes(r.pattern));
}

/** The movement fields allocation needs (a new movement as inserted, or one read back). */
export type MovementForAllocation = Pick<Transaction, 'id' | 'amount_cents' | 'currency' | 'booking_date' | 'counterparty_name' | 'counterparty_iban' | 'structured_ref' | 'communication'>;

/** What allocating a batch needs, loaded once per import: the match index, rules, policy, and the years it touches. */
export interface AllocationContext {
  index: ReturnType<typeof buildMatchIndex>;
  rules: Rule[];
  policy: Awaited<ReturnType<typeof getDuesPolicy>>;
  startMonth: number;
  touched: TouchedYears;
}

/** Loads the allocation context once (people, IBANs, rules, dues policy, fiscal year start). */
export async function allocationContext(db: Db): Promise<AllocationContext> {
  const [directory, rules, policy, settings] = await Promise.all([loadDirectory(db), repo.selectRules(db), getDuesPolicy(db), getSettings(db)]);
  // In slices: an import loads this while it writes its first movements, whose replies this thread must keep reading.
  const index = await runStepsInSlices(matchIndexing(directory));
  return { index, rules, policy, startMonth: settings.fiscal_year_start_month, touched: new Map() };
}

/** The allocations proposed for one movement, without its id (a movement read from a file has none yet). */
export type ProposedAllocations = NewAllocation[];

/**
 * Proposes who each movement read from a file is for; when sure, the allocation is made as it is written. Pure and
 * without ids: an import runs it on a batch while the database writes the previous one.
 */
export function proposeAllocations(movements: Omit<MovementForAllocation, 'id'>[], context: AllocationContext): ProposedAllocations[] {
  const now = nowIso();
  return movements.map((tx) => allocationsFor(tx, context.index, ruleFor(tx, context.rules), duesYearOf(tx.booking_date, context.policy, context.startMonth), now));
}

/**
 * Writes the proposed allocations of new movements under their ids; the rest waits in the review queue. The people
 * and years they make members of are collected in `context.touched` for one bulk derivation at the end.
 */
export async function saveAllocations(db: Db, proposed: ProposedAllocations[], ids: number[], context: AllocationContext): Promise<{ automatic: number; toReview: number }> {
  let automatic = 0;
  for (const rows of proposed) {
    if (rows.every((r) => r.status === 'auto')) automatic++;
    for (const r of rows) if (r.status === 'auto' && r.person_id && r.kind === 'dues' && r.fiscal_year) touch(context.touched, r.person_id, r.fiscal_year);
  }
  const rows: NewAllocation[] = [];
  proposed.forEach((made, i) => {
    for (const row of made) {
      row.transaction_id = ids[i];
      rows.push(row);
    }
  });
  await repo.insertAllocations(db, rows);
  return { automatic, toReview: proposed.length - automatic };
}

// Words that say a credit is for something else than dues; words that say it is dues after all.
const OTHER_PURPOSES: [string, RegExp][] = [
  ['donation', /\b(don|dons|donation|gift|gifte?|schenking|soutien|steun)\b/],
  ['hardware', /\b(materiel|hardware|routeur|router|raspberry|disque|materiaal|commande|bestelling|order)\b/],
  ['service', /\b(frais|hebergement|hosting|abonnement|facture|factuur|invoice)\b/],
];
const DUES_WORDS = /\b(cotisation|cotis|lidgeld|lidmaatschap|adhesion|membership|dues|membre|lid)\b/;

/** The kind a credit's text asks for: dues unless it names another purpose (and not dues). */
export function purposeOf(text: string | null): string {
  const folded = fold(text ?? '');
  if (DUES_WORDS.test(folded)) return 'dues';
  return OTHER_PURPOSES.find(([, words]) => words.test(folded))?.[0] ?? 'dues';
}

// The allocations of one movement (its id is filled in once known: a movement read from a file has none yet).
function allocationsFor(tx: Omit<MovementForAllocation, 'id'>, index: ReturnType<typeof buildMatchIndex>, rule: Rule | undefined, duesYear: number, now: string): NewAllocation[] {
  if (rule) {
    return [newAllocation(now, { person_id: null, amount_cents: tx.amount_cents, kind: rule.kind, category: rule.category, status: 'auto', matched_by: 'rule', confidence: 100, reason_json: JSON.stringify({ key: 'dues.reason.rule', params: { pattern: rule.pattern } }) })];
  }
  if (tx.amount_cents <= 0) {
    return [newAllocation(now, { person_id: null, amount_cents: tx.amount_cents, kind: 'expense', status: 'to_review', matched_by: 'none', confidence: 0, reason_json: JSON.stringify({ key: 'dues.reason.expense', params: {} }) })];
  }
  const proposal: MatchProposal = matchCredit({
    amount: tx.amount_cents, currency: tx.currency, bookingDate: tx.booking_date, counterpartyName: tx.counterparty_name,
    counterpartyIban: tx.counterparty_iban, structuredReference: tx.structured_ref, communication: tx.communication,
  }, index);
  const reason = JSON.stringify({ key: proposal.reason.key, params: proposal.reason.params, alternatives: proposal.alternatives });
  const status = proposal.automatic ? 'auto' : 'to_review';
  if (!proposal.shares.length) {
    return [newAllocation(now, { person_id: null, amount_cents: tx.amount_cents, kind: null, status: 'to_review', matched_by: 'none', confidence: 0, reason_json: reason })];
  }
  // A person is recognised but the text names another purpose (a donation, an order): the treasurer decides.
  const kind = purposeOf(tx.communication);
  const sure = kind === 'dues' ? status : 'to_review';
  return proposal.shares.map((s) => newAllocation(now, { person_id: s.personId, amount_cents: s.amount, kind, fiscal_year: kind === 'dues' ? duesYear : null, status: sure, matched_by: proposal.evidence[0] ?? 'none', confidence: proposal.confidence, reason_json: reason }));
}

/** An allocation about to be written; `transaction_id` is 0 until its movement's id is known. */
export type NewAllocation = Omit<Selectable<AllocationsTable>, 'id'>;

type AllocationFields = Pick<NewAllocation, 'person_id' | 'amount_cents' | 'kind' | 'status' | 'matched_by' | 'confidence' | 'reason_json'>
  & Partial<Pick<NewAllocation, 'category' | 'fiscal_year'>>;

// Written out field by field: an import makes one per movement, and object spreads cost microseconds each in V8.
function newAllocation(now: string, f: AllocationFields): NewAllocation {
  return {
    transaction_id: 0, person_id: f.person_id, amount_cents: f.amount_cents, kind: f.kind, category: f.category ?? null,
    fiscal_year: f.fiscal_year ?? null, status: f.status, matched_by: f.matched_by, confidence: f.confidence,
    reason_json: f.reason_json, created_at: now, decided_by: null,
  };
}

/** The treasurer's decision on a movement: confirms, corrects, splits or categorises it; recorded, undoable, and memberships follow. */
export async function decideAllocation(db: Db, actor: Actor, transactionId: number, input: unknown): Promise<void> {
  const decision: AllocationDecision = validate(allocationDecision, input);
  const [tx] = await transactionsByIds(db, [transactionId]);
  if (!tx) throw notFound();
  const total = decision.shares.reduce((n, s) => n + s.amount_cents, 0);
  if (total !== tx.amount_cents) throw new ValidationError({ shares: 'dues.shares_must_add_up' }, 'dues.shares_must_add_up');
  if (decision.shares.some((s) => s.kind === 'dues' && !s.person_id)) throw new ValidationError({ shares: 'dues.dues_need_person' }, 'dues.dues_need_person');
  await replaceAllocations(db, actor, tx, decision.shares.map((s) => ({ ...s, person_id: s.person_id ?? null })), 'allocation.decide');
}

type Share = { person_id: number | null; amount_cents: number; kind: string | null; category: string | null; fiscal_year?: number | null; status?: 'auto' | 'confirmed' | 'to_review' };

/** Puts back allocations as a snapshot of the audit log describes them (undo of a decision). */
export async function restoreAllocations(db: Db, actor: Actor, transactionId: number, shares: Share[]): Promise<void> {
  const [tx] = await transactionsByIds(db, [transactionId]);
  if (!tx) throw notFound();
  await replaceAllocations(db, actor, tx, shares, 'allocation.undo');
}

async function replaceAllocations(db: Db, actor: Actor, tx: Transaction, shares: Share[], action: string): Promise<void> {
  const before = await repo.selectAllocationsOf(db, [tx.id]);
  const policy = await getDuesPolicy(db);
  const { fiscal_year_start_month: startMonth } = await getSettings(db);
  await repo.deleteAllocationsOf(db, tx.id);
  const rows = shares.map((s) => ({
    transaction_id: tx.id, person_id: s.person_id, amount_cents: s.amount_cents, kind: s.kind, category: s.category,
    fiscal_year: s.kind === 'dues' ? s.fiscal_year ?? duesYearOf(tx.booking_date, policy, startMonth) : null,
    status: s.status ?? ('confirmed' as const), matched_by: 'treasurer', confidence: 100, reason_json: JSON.stringify({ key: 'dues.reason.treasurer', params: { who: actor.label } }),
    created_at: nowIso(), decided_by: actor.label,
  }));
  await repo.insertAllocations(db, rows);
  if (tx.counterparty_iban && action === 'allocation.decide') {
    for (const s of shares) if (s.person_id && s.kind === 'dues') await repo.insertPersonIban(db, { person_id: s.person_id, iban: tx.counterparty_iban, source: 'learned', created_at: nowIso() });
  }
  await recordChange(db, actor, { action, entityType: 'bank_transaction', entityId: tx.id, before: { allocations: before.map(snapshotOf) }, after: { allocations: rows.map(snapshotOf) } });
  await rederive(db, actor, [...before, ...rows]);
}

function snapshotOf(a: Share & { status?: string }) {
  return { person_id: a.person_id, amount_cents: a.amount_cents, kind: a.kind, category: a.category, fiscal_year: a.fiscal_year ?? null, status: a.status };
}

async function rederive(db: Db, actor: Actor, allocations: { person_id: number | null; fiscal_year?: number | null; kind: string | null }[]): Promise<void> {
  const touched: TouchedYears = new Map();
  for (const a of allocations) if (a.person_id && a.kind === 'dues' && a.fiscal_year) touch(touched, a.person_id, a.fiscal_year);
  await deriveMemberships(db, actor, touched);
}

/** Categorises, with the current rules, the movements of the review queue that a rule now matches. */
export async function reallocateWithRules(db: Db, actor: Actor): Promise<number> {
  const rules = await repo.selectRules(db);
  const ids = await repo.selectReviewTransactionIds(db, 10_000, 0);
  const noPeople = buildMatchIndex({ people: [], ibans: new Map() });
  let applied = 0;
  for (const tx of await transactionsByIds(db, ids)) {
    const rule = ruleFor(tx, rules);
    if (!rule) continue;
    await repo.deleteAllocationsOf(db, tx.id);
    await repo.insertAllocations(db, allocationsFor(tx, noPeople, rule, 0, nowIso()).map((row) => Object.assign(row, { transaction_id: tx.id })));
    await recordChange(db, actor, { action: 'allocation.rule', entityType: 'bank_transaction', entityId: tx.id, after: { kind: rule.kind, category: rule.category } });
    applied++;
  }
  return applied;
}
