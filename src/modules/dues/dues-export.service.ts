import { ValidationError } from '../../core/errors.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { toCsv } from '../../exchange/csv-write.js';
import { toOds } from '../../exchange/ods-write.js';
import { toXlsx } from '../../exchange/xlsx-write.js';
import { minorToDecimal } from '../bank/parsers/money.js';
import { DUES_STATUS_LABELS, duesOverview } from './overview.service.js';

const TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/**
 * The year overview as a spreadsheet: one line per person (name, status, amount, payments, then the person's id and
 * payment reference, which tell namesakes apart), then a totals block with its own header row (kind, category,
 * amount, number of payments, currency).
 */
export async function exportDues(db: Db, year: number, format: string, t: Translate) {
  if (!(format in TYPES)) throw new ValidationError({ format: 'validation.choice' });
  const overview = await duesOverview(db, year);
  const headers = [t('people.display_name'), t('memberships.status'), t('dues.amount_paid'), t('dues.payments'), t('overview.person_id'), t('dues.reference')];
  const rows: (string | number | null)[][] = overview.lines.map((l) => [l.display_name, t(DUES_STATUS_LABELS[l.status]), minorToDecimal(l.amount_cents, l.currency), l.payments.map((p) => p.date).join(' '), l.person_id, l.payment_reference]);
  rows.push([], [t('dues.totals'), t('dues.category'), t('overview.total_amount'), t('overview.total_count'), t('overview.currency')]);
  rows.push(...overview.totals.map((x) => [t(`dues.kind.${x.kind}` as MessageKey), x.category ?? '', minorToDecimal(x.amount_cents, x.currency), x.count, x.currency]));
  const name = `dues-${year}`;
  const body = format === 'csv' ? toCsv(headers, rows) : format === 'xlsx' ? await toXlsx(name, headers, rows) : Buffer.from(toOds(name, headers, rows));
  return { filename: `${name}.${format}`, contentType: TYPES[format], body };
}
