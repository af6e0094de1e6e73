import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { fold } from '../../core/text.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { reallocateWithRules } from './allocation.service.js';
import * as repo from './dues.repository.js';
import { ruleInput } from './dues.schema.js';

/** The categorisation rules (datacentre, transit, registrars, bank fees...), oldest first: the first that matches wins. */
export function listRules(db: Db) {
  return repo.selectRules(db);
}

/** Adds a rule and applies it at once to the movements waiting in the review queue; returns how many it categorised. */
export async function addRule(db: Db, actor: Actor, input: unknown): Promise<{ id: number; applied: number }> {
  const rule = validate(ruleInput, input);
  const id = await repo.insertRule(db, { ...rule, pattern: fold(rule.pattern), created_at: nowIso() });
  await recordChange(db, actor, { action: 'rule.add', entityType: 'category_rule', entityId: id, after: rule });
  const applied = await reallocateWithRules(db, actor);
  return { id, applied };
}

/** Removes a rule (movements it categorised keep their category). */
export async function removeRule(db: Db, actor: Actor, id: number): Promise<void> {
  await repo.deleteRule(db, id);
  await recordChange(db, actor, { action: 'rule.remove', entityType: 'category_rule', entityId: id });
}
