import { z } from 'zod';

/** A group name as apps see it: lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export const groupName = z
  .string({ error: 'validation.required' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'validation.required' })
  .max(64, { error: 'validation.too_long' })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'groups.name_format' });

const label = z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(100, { error: 'validation.too_long' });

const description = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() || null : v ?? null),
  z.string().max(1000, { error: 'validation.too_long' }).nullable(),
);

/** Input creating a static group (pages, API and CLI share it). */
export const groupCreateInput = z.object({ name: groupName, label, description: description.optional().default(null) });
export type GroupCreateInput = z.input<typeof groupCreateInput>;

/** Input changing a static group: any of its fields (renaming changes what apps see). */
export const groupPatchInput = z.object({ name: groupName.optional(), label: label.optional(), description: description.optional() });

/** Input adding a person to a static group. */
export const groupMemberInput = z.object({
  person_id: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number({ error: 'groups.person_id_format' }).int({ error: 'groups.person_id_format' }).positive({ error: 'groups.person_id_format' }).max(2 ** 31 - 1, { error: 'groups.person_id_format' })),
});
