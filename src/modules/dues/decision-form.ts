import { ValidationError } from '../../core/errors.js';
import type { AllocationDecision } from './dues.schema.js';

/**
 * Reads the review form (checked people, kind, category) as a decision: the amount is split equally between the
 * checked people (the remainder on the first); no person checked means the whole amount goes to the kind/category.
 */
export function decisionFromForm(fields: Record<string, unknown>, amount: number): AllocationDecision {
  const raw = fields.person_id;
  const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const kind = String(fields.kind ?? '') as AllocationDecision['shares'][number]['kind'];
  const category = typeof fields.category === 'string' && fields.category.trim() ? fields.category.trim() : null;
  if (!ids.length) return { shares: [{ person_id: null, amount_cents: amount, kind, category }] };
  if (ids.length > 20) throw new ValidationError({ person_id: 'validation.too_long' });
  const each = Math.trunc(amount / ids.length);
  return { shares: ids.map((person_id, i) => ({ person_id, amount_cents: i === 0 ? amount - each * (ids.length - 1) : each, kind, category })) };
}
