import { z } from 'zod';

/** The collective's settings as edited by admins (pages, API and CLI share it). */
export const settingsInput = z.object({
  collective_name: z.string().trim().min(1).max(200),
  fiscal_year_start_month: z.coerce.number().int().min(1, { error: 'validation.month' }).max(12, { error: 'validation.month' }),
  /** Self-registration with approval: off unless ticked (a form's unticked box sends nothing). */
  registration_open: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1' || v === 1, z.boolean()),
});

export type CollectiveSettings = z.infer<typeof settingsInput>;
