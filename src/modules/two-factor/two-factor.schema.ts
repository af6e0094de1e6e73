import { z } from 'zod';
import { isRole } from '../../core/permissions.js';

/** A code typed by a person: a 6-digit TOTP code or a recovery code. */
export const codeInput = z.object({ code: z.string().trim().min(1).max(64) });

/** What proves it is really the person before turning two-factor off or renewing codes: password or a code. */
export const confirmationInput = z.object({ confirmation: z.string().min(1).max(1024) });

const roleList = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().refine(isRole, { error: 'validation.role' })),
);

/** The two-factor policy: roles whose holders must use two-factor (pages, API and CLI share it). */
export const twoFactorPolicyInput = z.object({ required_roles: roleList });

export type TwoFactorPolicy = z.infer<typeof twoFactorPolicyInput>;
