import type { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { listOf, quoted } from '../bank/locations.js';
import { csvProfile, csvProfileNames } from '../bank/bank.service.js';
import type { importOptions } from '../bank/bank.schema.js';
import type { ImportRequest } from '../bank/import.service.js';
import { STATEMENT_FORMATS } from '../bank/parsers/types.js';

/** Turns validated import options (pages, API, CLI) into an import request, loading a saved CSV profile by name. */
export async function importRequestOf(db: Db, filename: string, options: z.infer<typeof importOptions>): Promise<ImportRequest> {
  const profile = options.profile ? await csvProfile(db, options.profile) : undefined;
  if (options.profile && !profile) throw await unknownProfile(db, options.profile);
  return {
    filename,
    format: options.format,
    accountId: options.account,
    qifDateOrder: options.qif_date_order,
    csvProfile: profile,
    dryRun: options.dry_run,
  };
}

/** The refusal of a CSV profile name nobody saved: it names the profiles that exist, so that the next try works. */
async function unknownProfile(db: Db, name: string): Promise<AppError> {
  const names = await csvProfileNames(db);
  const saved = names.length ? listOf(names.map(quoted)) : { key: 'dues_cli.no_profiles' as const };
  return new AppError(422, 'csv_profile_unknown', 'dues_cli.unknown_profile', { name, saved });
}

/** Refuses a statement format name Ruche does not read, listing those it does (the CLI's --format; `auto` means detect). */
export function checkFormatName(format: unknown): void {
  if (format === undefined || format === '' || format === 'auto' || (STATEMENT_FORMATS as readonly unknown[]).includes(format)) return;
  throw new AppError(422, 'bank_unknown_format_name', 'dues_cli.unknown_format', { format: String(format), formats: [...STATEMENT_FORMATS, 'auto'].join(', ') });
}
