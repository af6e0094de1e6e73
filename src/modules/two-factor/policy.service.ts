import type { Actor } from '../../core/actor.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { getModuleSetting, saveModuleSetting } from '../settings/settings.service.js';
import { type TwoFactorPolicy, twoFactorPolicyInput } from './two-factor.schema.js';

const POLICY_KEY = 'two_factor';
const DEFAULT_POLICY: TwoFactorPolicy = { required_roles: [] };

/** The roles for which two-factor is required (none by default). */
export async function getTwoFactorPolicy(db: Db): Promise<TwoFactorPolicy> {
  return getModuleSetting(db, POLICY_KEY, DEFAULT_POLICY);
}

/** Validates and saves the two-factor policy, recording the change. */
export async function setTwoFactorPolicy(db: Db, actor: Actor, input: unknown): Promise<TwoFactorPolicy> {
  const next = validate(twoFactorPolicyInput, input);
  next.required_roles = [...new Set(next.required_roles)].sort();
  await saveModuleSetting(db, actor, POLICY_KEY, next, await getTwoFactorPolicy(db));
  return next;
}

/** True when one of these roles requires two-factor. */
export async function twoFactorRequiredFor(db: Db, roles: readonly string[]): Promise<boolean> {
  if (!roles.length) return false;
  const { required_roles } = await getTwoFactorPolicy(db);
  return roles.some((role) => required_roles.includes(role));
}
