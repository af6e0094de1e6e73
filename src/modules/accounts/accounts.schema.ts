import { z } from 'zod';
import { isRole } from '../../core/permissions.js';
import { LOCALES } from '../../i18n/define.js';

/** A username: lower-cased, letters, digits, dots, dashes and underscores (shared with invitations and registrations). */
export const username = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'validation.username' });

/** A new password: long enough to resist guessing, short enough not to be a hashing DoS. */
export const password = z.string().min(10, { error: 'validation.password_short' }).max(1024);

const roles = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().refine(isRole, { error: 'validation.role' })),
);

const optionalText = z.string().trim().max(200).optional().transform((v) => v || undefined);

/** Input to create an account (optionally with a new person carrying the e-mail). */
export const accountCreateInput = z.object({
  username,
  password,
  email: z.email({ error: 'validation.email' }).optional().or(z.literal('').transform(() => undefined)),
  display_name: optionalText,
  person_id: z.coerce.number().int().positive().optional(),
  roles,
  locale: z.enum(LOCALES).optional(),
});
export type AccountCreateInput = z.input<typeof accountCreateInput>;

/** Input to change an account's roles. */
export const rolesInput = z.object({ roles });

/** Input to create an API token for an account. */
export const tokenCreateInput = z.object({ name: z.string().trim().min(1).max(100) });

/** Login form input. */
export const loginInput = z.object({
  login: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/** Password change input. */
export const passwordChangeInput = z.object({ current: z.string().min(1).max(1024), password });
