import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { password, username } from '../accounts/accounts.schema.js';

/** Invitations last a week unless the sponsor says otherwise, and never more than 90 days. */
export const DEFAULT_INVITATION_DAYS = 7;
export const MAX_INVITATION_DAYS = 90;

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

// Group names come as a list (API, CLI) or as one text with commas or line breaks (the web form).
const groupNames = z.preprocess(
  (v) => {
    const items = v === undefined || v === null ? [] : Array.isArray(v) ? v : String(v).split(/[,\n]/);
    return [...new Set(items.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== ''))];
  },
  z.array(z.string().max(64, { error: 'invitations.group_name' }).regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, { error: 'invitations.group_name' }))
    .max(20, { error: 'invitations.too_many_groups' }),
);

/** Input to create an invitation: days of validity, an optional note for the sponsor, static groups to join. */
export const invitationCreateInput = z.object({
  days: z.preprocess(blankToUndefined, z.coerce.number({ error: 'invitations.days_range' }).int({ error: 'invitations.days_range' })
    .min(1, { error: 'invitations.days_range' }).max(MAX_INVITATION_DAYS, { error: 'invitations.days_range' }).optional()),
  note: z.string().trim().max(500).optional().transform((v) => v || undefined),
  groups: groupNames,
});

/** What a new member types on an invitation or registration form (the registration adds a message). */
export const newMemberInput = z.object({
  username,
  password,
  password_confirm: z.string().max(1024).optional(),
  display_name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().max(320).pipe(z.email({ error: 'validation.email' })),
});
export type NewMember = z.infer<typeof newMemberInput>;

/** Validates a new member's form, reporting a mistyped confirmation with the other errors; the confirmation is checked only when sent. */
export function validateNewMember<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const fields = (input ?? {}) as Record<string, unknown>;
  const mismatch = fields.password_confirm !== undefined && fields.password_confirm !== fields.password;
  try {
    const data = validate(schema, input);
    if (mismatch) throw new ValidationError({ password_confirm: 'invitations.passwords_differ' });
    return data;
  } catch (error) {
    if (error instanceof ValidationError && mismatch) error.fields.password_confirm ??= 'invitations.passwords_differ';
    throw error;
  }
}
