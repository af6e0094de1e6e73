import { type Actor, SYSTEM } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { notFound, ValidationError } from '../../core/errors.js';
import { fold } from '../../core/text.js';
import { runStepsInSlices } from '../../core/steps.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import type { Selectable } from 'kysely';
import type { AllocationsTable } from './dues.table.js';
import { recordChange, recordChanges } from '../audit/audit.service.js';
import { transactionsByIds } from '../bank/bank.service.js';
import { getPeople } from '../people/people.service.js';
import { getSettings } from '../settings/settings.service.js';
import * as repo from './dues.repository.js';
import { type AllocationDecision, allocationDecision } from './dues.schema.js';
import { deriveMemberships, duesYearOf, getDuesPolicy, touch, type TouchedYears, yearOfDues, yearWritten } from './dues.service.js';
import { buildMatchIndex, matchCredit, matchIndexing, personReference } from './matcher.js';
import type { Directory, MatchProposal } from './matcher.types.js';

type Transaction = Awaited<ReturnType<typeof transactionsByIds>>[number];
type Rule = Awaited<ReturnType<typeof repo.selectRules>>[number];

/** Loads what the matcher knows (live people, their references, known IBANs and payers seen, usual dues amounts) once for a batch of movements. */
export async function loadDirectory(db: Db): Promise<Directory> {
  const [people, personIbans, amounts] = await Promise.all([repo.selectDirectoryPeople(db), repo.selectPersonIbans(db), usualAmountsOf(db)]);
  const ibans = new Map<string, number[]>();
  const payers = new Map<string, number[]>();
  for (const { iban, person_id, source } of personIbans) {
    const known = source === 'payer' ? payers : ibans;
    const ids = known.get(iban);
    if (ids) ids.push(person_id);
    else known.set(iban, [person_id]);
  }
  return {
    people: people.map((p) => ({ id: p.id, kind: p.kind, displayName: p.display_name, sortName: p.sort_name, reference: personReference(p.id), usualAmounts: amounts.get(p.id) ?? [] })),
    ibans,
    payers,
  };
}

const USUAL_YEARS = 3;
const USUAL_AMOUNTS = 3;

/** Each person's distinct dues amounts (made or confirmed) of the last few fiscal years, the latest first: the matcher's amount hint. */
async function usualAmountsOf(db: Db): Promise<Map<number, number[]>> {
  const since = Number(nowIso().slice(0, 4)) - USUAL_YEARS;
  const amounts = new Map<number, number[]>();
  for (const { person_id, amount_cents } of await repo.selectRecentDuesAmounts(db, since)) {
    const known = amounts.get(person_id);
    if (!known) amounts.set(person_id, [amount_cents]);
    else if (known.length < USUAL_AMOUNTS) known.push(amount_cents);
  }
  return amounts;
}

// The first rule matching a movement's text and direction.
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
  /** Who imports: the IBANs an import learns are recorded in the audit log in their name. */
  actor: Actor;
  /** "person iban" pairs already learned by this import (a payer seen again in a later batch is written once). */
  learned: Set<string>;
}

/** Loads the allocation context once (people, IBANs, rules, dues policy, fiscal year start). */
export async function allocationContext(db: Db, actor: Actor = SYSTEM): Promise<AllocationContext> {
  const [directory, rules, policy, settings] = await Promise.all([loadDirectory(db), repo.selectRules(db), getDuesPolicy(db), getSettings(db)]);
  // In slices: an import loads this while it writes its first movements, whose replies this thread must keep reading.
  const index = await runStepsInSlices(matchIndexing(directory));
  return { index, rules, policy, startMonth: settings.fiscal_year_start_month, touched: new Map(), actor, learned: new Set() };
}

/** The allocations proposed for one movement, without its id (a movement read from a file has none yet). */
export type ProposedAllocations = NewAllocation[];

/**
 * Proposes who each movement read from a file is for; when sure, the allocation is made as it is written. Pure and
 * without ids: an import runs it on a batch while the database writes the previous one.
 */
export function proposeAllocations(movements: Omit<MovementForAllocation, 'id'>[], context: AllocationContext): ProposedAllocations[] {
  const now = nowIso();
  return movements.map((tx) => allocationsFor(tx, context.index, context.rules, duesYearOf(tx.booking_date, context.policy, context.startMonth), now));
}

// The payer's IBAN to remember for the person of a sure match paid by someone else, by the rows proposed for that movement.
const payerIbans = new WeakMap<ProposedAllocations, string>();

/**
 * Writes the proposed allocations of new movements under their ids; the rest waits in the review queue. The people
 * and years they make members of are collected in `context.touched` for one bulk derivation at the end; the IBANs
 * of payers who paid for someone else are remembered for that person, in one write for the batch.
 */
export async function saveAllocations(db: Db, proposed: ProposedAllocations[], ids: number[], context: AllocationContext): Promise<{ automatic: number; toReview: number }> {
  let automatic = 0;
  const learned: LearnedIban[] = [];
  const now = nowIso();
  for (const rows of proposed) {
    if (rows.every((r) => r.status === 'auto')) automatic++;
    for (const r of rows) if (r.status === 'auto' && r.person_id && r.kind === 'dues' && r.fiscal_year) touch(context.touched, r.person_id, r.fiscal_year);
    const iban = payerIbans.get(rows);
    // Seen paying for the person in a match nobody confirmed: remembered as a payer, proposed next time, never trusted.
    if (iban !== undefined) learnOnce(context, learned, { person_id: rows[0].person_id as number, iban, source: 'payer', created_at: now });
  }
  const rows: NewAllocation[] = [];
  proposed.forEach((made, i) => {
    for (const row of made) {
      row.transaction_id = ids[i];
      rows.push(row);
    }
  });
  await repo.insertAllocations(db, rows);
  if (learned.length) await rememberIbans(db, context.actor, learned);
  return { automatic, toReview: proposed.length - automatic };
}

function learnOnce(context: AllocationContext, learned: LearnedIban[], row: LearnedIban): void {
  const key = `${row.person_id} ${row.iban}`;
  if (context.learned.has(key)) return;
  context.learned.add(key);
  learned.push(row);
}

// Writes IBANs learned for people, each recorded in the person's history.
async function rememberIbans(db: Db, actor: Actor, learned: LearnedIban[]): Promise<void> {
  await repo.insertPersonIbans(db, learned);
  await recordChanges(db, actor, learned.map((l) => ({ action: 'person.iban_learned', entityType: 'person', entityId: l.person_id, after: { iban: l.iban, source: l.source } })));
}

// 'learned' from a treasurer's decision; 'payer' from an automatic match of someone paying for another.
type LearnedIban = { person_id: number; iban: string; source: 'learned' | 'payer'; created_at: string };

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

/**
 * The allocations of one movement (its id is filled in once known: a movement read from a file has none yet). A credit
 * is matched first: a categorisation rule only takes a credit in which the matcher sees nobody (a member's reference
 * is never made an expense, homonyms still wait for review). A debit is categorised by a rule, or waits for review.
 */
function allocationsFor(tx: Omit<MovementForAllocation, 'id'>, index: ReturnType<typeof buildMatchIndex>, rules: Rule[], duesYear: number, now: string): NewAllocation[] {
  if (tx.amount_cents <= 0) {
    const rule = ruleFor(tx, rules);
    if (rule) return [ruleAllocation(tx, rule, now)];
    return [newAllocation(now, { person_id: null, amount_cents: tx.amount_cents, kind: 'expense', status: 'to_review', matched_by: 'none', confidence: 0, reason_json: JSON.stringify({ key: 'dues.reason.expense', params: {} }) })];
  }
  const proposal: MatchProposal = matchCredit({
    amount: tx.amount_cents, currency: tx.currency, bookingDate: tx.booking_date, counterpartyName: tx.counterparty_name,
    counterpartyIban: tx.counterparty_iban, structuredReference: tx.structured_ref, communication: tx.communication,
  }, index);
  if (!proposal.shares.length && !proposal.alternatives.length) {
    const rule = ruleFor(tx, rules); // only for credits the matcher sees nobody in: a possible person is the treasurer's to decide
    if (rule) return [ruleAllocation(tx, rule, now)];
  }
  const reason = JSON.stringify({ key: proposal.reason.key, params: proposal.reason.params, alternatives: proposal.alternatives });
  const status = proposal.automatic ? 'auto' : 'to_review';
  if (!proposal.shares.length) {
    return [newAllocation(now, { person_id: null, amount_cents: tx.amount_cents, kind: null, status: 'to_review', matched_by: 'none', confidence: 0, reason_json: reason })];
  }
  // A person is recognised but the text names another purpose (a donation, an order): the treasurer decides.
  const kind = purposeOf(tx.communication);
  const sure = kind === 'dues' ? status : 'to_review';
  const year = kind === 'dues' ? yearWritten(tx.communication, duesYear) : null;
  const rows = proposal.shares.map((s) => newAllocation(now, { person_id: s.personId, amount_cents: s.amount, kind, fiscal_year: year, status: sure, matched_by: proposal.evidence[0] ?? 'none', confidence: proposal.confidence, reason_json: reason }));
  if (proposal.payerFor !== null && sure === 'auto') payerIbans.set(rows, proposal.payerFor);
  return rows;
}

function ruleAllocation(tx: Omit<MovementForAllocation, 'id'>, rule: Rule, now: string): NewAllocation {
  return newAllocation(now, { person_id: null, amount_cents: tx.amount_cents, kind: rule.kind, category: rule.category, status: 'auto', matched_by: 'rule', confidence: 100, reason_json: JSON.stringify({ key: 'dues.reason.rule', params: { pattern: rule.pattern } }) });
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
  // A share of nothing, or against the movement's direction, would make a member of someone who paid nothing.
  if (decision.shares.some((s) => s.amount_cents === 0 || Math.sign(s.amount_cents) !== Math.sign(tx.amount_cents))) {
    throw new ValidationError({ shares: 'review_ui.share_sign' }, 'review_ui.share_sign');
  }
  // Money received is dues or other income; money paid out is an expense (a bank fee is nobody's dues).
  if (decision.shares.some((s) => (s.kind === 'expense') !== tx.amount_cents < 0)) {
    throw new ValidationError({ shares: 'review_ui.kind_direction' }, 'review_ui.kind_direction');
  }
  await checkLivePeople(db, decision);
  await replaceAllocations(db, actor, tx, decision.shares.map((s) => ({ ...s, person_id: s.person_id ?? null })), 'allocation.decide');
}

// The people a decision names must exist and not be deleted (a purged id would fail the foreign key; a deleted person must not become a member).
async function checkLivePeople(db: Db, decision: AllocationDecision): Promise<void> {
  const ids = [...new Set(decision.shares.flatMap((s) => (s.person_id ? [s.person_id] : [])))];
  if (!ids.length) return;
  const live = new Set((await getPeople(db, ids)).filter((p) => !p.deleted_at).map((p) => p.id));
  if (ids.some((id) => !live.has(id))) throw new ValidationError({ shares: 'review_ui.person_unknown' }, 'review_ui.person_unknown');
}

type Share = {
  person_id: number | null; amount_cents: number; kind: string | null; category: string | null; fiscal_year?: number | null; status?: 'auto' | 'confirmed' | 'to_review';
  // How the allocation was made, as an undo puts it back (audit entries older than these details have none).
  matched_by?: string; confidence?: number; reason_json?: string; decided_by?: string | null;
};
type IbanLearned = { person_id: number; iban: string };

/**
 * Puts back allocations as a snapshot of the audit log describes them (undo of a decision), as they were made (status,
 * how, the reason with its alternatives), and forgets the IBANs that decision learned (`decision`: its audit `after`).
 */
export async function restoreAllocations(db: Db, actor: Actor, transactionId: number, shares: Share[], decision?: unknown): Promise<void> {
  const [tx] = await transactionsByIds(db, [transactionId]);
  if (!tx) throw notFound();
  await replaceAllocations(db, actor, tx, shares, 'allocation.undo');
  for (const { person_id, iban } of ibansLearnedBy(decision)) {
    if (!(await repo.forgetLearnedIban(db, person_id, iban, tx.id))) continue;
    await recordChange(db, actor, { action: 'person.iban_forgotten', entityType: 'person', entityId: person_id, before: { iban, source: 'learned' } });
  }
}

// The IBANs a decision's audit entry says it learned (none for entries older than this record).
function ibansLearnedBy(decision: unknown): IbanLearned[] {
  const learned = (decision as { learned_ibans?: unknown } | null | undefined)?.learned_ibans;
  if (!Array.isArray(learned)) return [];
  return learned.filter((l): l is IbanLearned => typeof l?.person_id === 'number' && typeof l?.iban === 'string');
}

async function replaceAllocations(db: Db, actor: Actor, tx: Transaction, shares: Share[], action: string): Promise<void> {
  const before = await repo.selectAllocationsOf(db, [tx.id]);
  const policy = await getDuesPolicy(db);
  const { fiscal_year_start_month: startMonth } = await getSettings(db);
  await repo.deleteAllocationsOf(db, tx.id);
  const byTreasurer = JSON.stringify({ key: 'dues.reason.treasurer', params: { who: actor.label } });
  const rows = shares.map((s) => ({
    transaction_id: tx.id, person_id: s.person_id, amount_cents: s.amount_cents, kind: s.kind, category: s.category,
    fiscal_year: s.kind === 'dues' ? s.fiscal_year ?? yearOfDues(tx.booking_date, tx.communication, policy, startMonth) : null,
    status: s.status ?? ('confirmed' as const), matched_by: s.matched_by ?? 'treasurer', confidence: s.confidence ?? 100, reason_json: s.reason_json ?? byTreasurer,
    created_at: nowIso(), decided_by: s.decided_by !== undefined ? s.decided_by : actor.label,
  }));
  await repo.insertAllocations(db, rows);
  const learned = action === 'allocation.decide' ? await learnIbans(db, actor, tx, shares) : [];
  const after = learned.length ? { allocations: rows.map(snapshotOf), learned_ibans: learned } : { allocations: rows.map(snapshotOf) };
  await recordChange(db, actor, { action, entityType: 'bank_transaction', entityId: tx.id, before: { allocations: before.map(snapshotOf) }, after });
  await rederive(db, actor, [...before, ...rows]);
}

// Remembers the payer's IBAN for the people a decision gives dues to; returns the pairs that were new (an undo forgets them).
async function learnIbans(db: Db, actor: Actor, tx: Transaction, shares: Share[]): Promise<IbanLearned[]> {
  const iban = tx.counterparty_iban;
  const people = [...new Set(shares.flatMap((s) => (s.person_id && s.kind === 'dues' ? [s.person_id] : [])))];
  if (!iban || !people.length) return [];
  const known = new Set(await repo.selectPeopleWithIban(db, iban, people));
  const fresh = people.filter((id) => !known.has(id));
  const now = nowIso();
  if (fresh.length) await rememberIbans(db, actor, fresh.map((person_id) => ({ person_id, iban, source: 'learned' as const, created_at: now })));
  return fresh.map((person_id) => ({ person_id, iban }));
}

function snapshotOf(a: Share & { status?: string }) {
  return {
    person_id: a.person_id, amount_cents: a.amount_cents, kind: a.kind, category: a.category, fiscal_year: a.fiscal_year ?? null, status: a.status,
    matched_by: a.matched_by, confidence: a.confidence, reason_json: a.reason_json, decided_by: a.decided_by,
  };
}

async function rederive(db: Db, actor: Actor, allocations: { person_id: number | null; fiscal_year?: number | null; kind: string | null }[]): Promise<void> {
  const touched: TouchedYears = new Map();
  for (const a of allocations) if (a.person_id && a.kind === 'dues' && a.fiscal_year) touch(touched, a.person_id, a.fiscal_year);
  await deriveMemberships(db, actor, touched);
}

// Whether a waiting allocation's reason names people who could be meant (homonyms): not a rule's to take.
function proposesSomeone(reasonJson: string): boolean {
  const alternatives = (JSON.parse(reasonJson) as { alternatives?: unknown[] }).alternatives;
  return Array.isArray(alternatives) && alternatives.length > 0;
}

/**
 * Categorises, with the current rules, the movements of the review queue that a rule now matches; a movement proposed
 * for a person stays theirs to decide (a rule never takes a payment from a member).
 */
export async function reallocateWithRules(db: Db, actor: Actor): Promise<number> {
  const rules = await repo.selectRules(db);
  if (!rules.length) return 0;
  const ids = await repo.selectReviewTransactionIds(db, 10_000, 0);
  const withPerson = new Set((await repo.selectAllocationsOf(db, ids)).flatMap((a) => (a.person_id !== null || a.status !== 'to_review' || proposesSomeone(a.reason_json) ? [a.transaction_id] : [])));
  let applied = 0;
  for (const tx of await transactionsByIds(db, ids.filter((id) => !withPerson.has(id)))) {
    const rule = ruleFor(tx, rules);
    if (!rule) continue;
    await repo.deleteAllocationsOf(db, tx.id);
    await repo.insertAllocations(db, [Object.assign(ruleAllocation(tx, rule, nowIso()), { transaction_id: tx.id })]);
    await recordChange(db, actor, { action: 'allocation.rule', entityType: 'bank_transaction', entityId: tx.id, after: { kind: rule.kind, category: rule.category } });
    applied++;
  }
  return applied;
}
