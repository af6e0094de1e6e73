import { z } from 'zod';
import { isCalendarDate } from '../../core/clock.js';
import { STATEMENT_FORMATS } from './parsers/types.js';

const date = z.string().refine(isCalendarDate, { error: 'validation.date' });

/** Query of the movements list. */
export const transactionQuery = z.object({
  account: z.coerce.number().int().positive().optional(),
  from: date.optional(),
  to: date.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
  per_page: z.coerce.number().int().min(1).max(500).default(50).catch(50),
});

/** Options of a statement import (pages, API and CLI). */
export const importOptions = z.object({
  format: z.preprocess((v) => (v === '' || v === 'auto' ? undefined : v), z.enum(STATEMENT_FORMATS, { error: 'validation.choice' }).optional()),
  account: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  profile: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(100).optional()),
  qif_date_order: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['dmy', 'mdy', 'ymd'], { error: 'validation.choice' }).optional()),
  dry_run: z.preprocess((v) => v === true || v === 'true' || v === '1' || v === 'on', z.boolean()),
});

const column = z.string().trim().min(1).max(100);

/** A CSV column profile as saved by the treasurer (same shape as the parser's CsvProfile). */
export const csvProfileInput = z.object({
  name: z.string().trim().min(1).max(100),
  delimiter: z.string().max(1).optional(),
  encoding: z.enum(['utf-8', 'windows-1252']).optional(),
  decimalComma: z.boolean(),
  dateFormat: z.string().trim().min(6).max(20),
  columns: z.object({
    date: column, valueDate: column.optional(), amount: column.optional(), debit: column.optional(), credit: column.optional(),
    indicator: column.optional(), currency: column.optional(), counterpartyName: column.optional(), counterpartyAccount: column.optional(),
    communication: column.optional(), reference: column.optional(), bankReference: column.optional(),
  }).refine((c) => !!c.amount || (!!c.debit && !!c.credit) || !!c.indicator, { error: 'bank.profile_amount' }),
  debitValues: z.array(z.string().max(20)).max(10).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  accountIban: z.string().max(34).optional(),
});
