import { ValidationError } from '../../core/errors.js';
import { z } from 'zod';

/** What makes a member for a year: any dues payment, a minimum amount, or a rolling 12 months from the payment. */
export const DUES_MODES = ['any', 'minimum', 'rolling'] as const;

/** Kinds of allocation: dues and other income for people, expenses for debits. */
export const ALLOCATION_KINDS = ['dues', 'donation', 'service', 'hardware', 'other', 'expense'] as const;
export type AllocationKind = (typeof ALLOCATION_KINDS)[number];

/**
 * The collective's dues policy as the policy page and the services give it. The minimum is typed as money in `minimum`
 * ("20,00", read in the collective's currency by the service) or given as integer `minimum_cents`.
 */
export const duesPolicyInput = z.object({
  mode: z.enum(DUES_MODES, { error: 'validation.choice' }),
  minimum: z.preprocess((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() || undefined : v ?? undefined), z.string().max(20).optional()),
  minimum_cents: z.coerce.number().int().min(0).max(100_000_000).optional(),
  grace_days: z.coerce.number().int().min(0).max(366).default(0),
  early_weeks: z.coerce.number().int().min(0).max(26).default(0),
});

/** The dues policy as stored: the minimum in the collective's currency's minor units. */
export type DuesPolicy = { mode: (typeof DUES_MODES)[number]; minimum_cents: number; grace_days: number; early_weeks: number };

const share = z.object({
  person_id: z.coerce.number().int().positive().nullable().optional(),
  amount_cents: z.coerce.number().int(),
  kind: z.enum(ALLOCATION_KINDS, { error: 'validation.choice' }),
  category: z.preprocess((v) => (typeof v === 'string' ? v.trim() || null : v ?? null), z.string().max(100).nullable()),
  fiscal_year: z.coerce.number().int().min(1900).max(3000).nullable().optional(),
});

/** A treasurer's decision on a movement: the shares it is split into (one share = a plain confirmation). */
export const allocationDecision = z.object({ shares: z.array(share).min(1).max(20) });
export type AllocationDecision = z.infer<typeof allocationDecision>;

const year = z.coerce.number().int().min(1900).max(3000);

/** A fiscal year from a path or option, or a 404-style validation error. */
export function yearOf(value: unknown): number {
  const parsed = year.safeParse(value);
  if (!parsed.success) throw new ValidationError({ year: 'validation.year' });
  return parsed.data;
}

/** A categorisation rule: text the counterparty or communication contains, and what such movements are. */
export const ruleInput = z.object({
  pattern: z.string().trim().min(2).max(100),
  direction: z.enum(['credit', 'debit', 'any'], { error: 'validation.choice' }).default('any'),
  kind: z.enum(ALLOCATION_KINDS, { error: 'validation.choice' }),
  category: z.string().trim().min(1).max(100),
});
