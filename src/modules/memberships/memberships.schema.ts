import { z } from 'zod';
import { isCalendarDate } from '../../core/clock.js';

export const MEMBERSHIP_STATUSES = ['pending', 'member', 'lapsed', 'resigned', 'excluded'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() || null : v ?? null), z.string().max(max).nullable());

/** Input to record a person's membership for a year; an exclusion must cite a recorded decision. */
export const membershipInput = z
  .object({
    status: z.enum(MEMBERSHIP_STATUSES, { error: 'validation.choice' }),
    effective: z.preprocess((v) => v === true || v === 'on' || v === '1' || v === 1 || v === 'true', z.boolean()),
    changed_on: z.preprocess((v) => (v === '' ? undefined : v), z.string().refine(isCalendarDate, { error: 'validation.date' }).optional()),
    source: z.string().trim().max(100).optional(),
    decision_ref: optionalText(200),
    note: optionalText(2000),
  })
  .refine((m) => m.status !== 'excluded' || !!m.decision_ref, { error: 'memberships.exclusion_needs_decision', path: ['decision_ref'] });
export type MembershipInput = z.input<typeof membershipInput>;

/** A year in a path or form. */
export const yearParam = z.coerce.number().int().min(1900, { error: 'validation.year' }).max(3000, { error: 'validation.year' });
