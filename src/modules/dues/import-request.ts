import type { z } from 'zod';
import { notFound } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { csvProfile } from '../bank/bank.service.js';
import type { importOptions } from '../bank/bank.schema.js';
import type { ImportRequest } from '../bank/import.service.js';

/** Turns validated import options (pages, API, CLI) into an import request, loading a saved CSV profile by name. */
export async function importRequestOf(db: Db, filename: string, options: z.infer<typeof importOptions>): Promise<ImportRequest> {
  const profile = options.profile ? await csvProfile(db, options.profile) : undefined;
  if (options.profile && !profile) throw notFound();
  return {
    filename,
    format: options.format,
    accountId: options.account,
    qifDateOrder: options.qif_date_order,
    csvProfile: profile,
    dryRun: options.dry_run,
  };
}
