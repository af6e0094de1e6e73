import { z } from 'zod';

/** The collective's settings as edited by admins (pages, API and CLI share it). */
export const settingsInput = z.object({
  collective_name: z.string().trim().min(1).max(200),
  fiscal_year_start_month: z.coerce.number().int().min(1, { error: 'validation.month' }).max(12, { error: 'validation.month' }),
});

export type CollectiveSettings = z.infer<typeof settingsInput>;
