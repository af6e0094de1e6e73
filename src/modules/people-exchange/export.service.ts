// Exports every live person to CSV, XLSX or ODS, with their membership status for the current fiscal year,
// their payment reference and their known IBANs.
import type { Actor } from '../../core/actor.js';
import { today } from '../../core/clock.js';
import { toCsv } from '../../exchange/csv-write.js';
import { toOds } from '../../exchange/ods-write.js';
import type { Cell } from '../../exchange/sheet.js';
import { toXlsx } from '../../exchange/xlsx-write.js';
import { type Locale, type MessageKey, type Translate, translator } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { ibansOfPeople, referencesOf } from '../dues/person-payments.service.js';
import { currentFiscalYear, statusesForYear } from '../memberships/memberships.service.js';
import { eachPerson, type Person } from '../people/people.service.js';
import type { ExportFormat } from './exchange.schema.js';

/** A file ready to send or save. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
  count: number;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

const LABELS: MessageKey[] = [
  'exchange.col.id', 'people.kind', 'people.display_name', 'people.sort_name', 'people.emails', 'people.phone', 'people.street',
  'people.postal_code', 'people.city', 'people.country', 'people.language', 'people.tags', 'people.notes', 'people.joined_on',
  'people.left_on', 'people.left_reason',
];

/** The header line of the export, in one language. */
export function exportHeaders(t: Translate, year: number): string[] {
  return [...LABELS.map((key) => t(key)), t('exchange.col.membership', { year }), t('exchange.col.reference'), t('exchange.col.reference_rf'), t('exchange.col.ibans')];
}

function exportRow(t: Translate, person: Person, status: string | undefined, ibans: string[] | undefined): Cell[] {
  return [
    person.id, t(`people.kind.${person.kind}` as MessageKey), person.display_name, person.sort_name, person.emails.join(', '),
    person.phone, person.street, person.postal_code, person.city, person.country, person.language, person.tags.join(', '),
    person.notes, person.joined_on, person.left_on, person.left_reason,
    status ? t(`memberships.status.${status}` as MessageKey) : null,
    referencesOf(person.id).belgian, referencesOf(person.id).rf, ibans?.length ? ibans.join(' ') : null,
  ];
}

/** Builds the export file batch by batch (no giant query) and records who exported how many people. */
export async function exportPeople(db: Db, actor: Actor, format: ExportFormat, locale: Locale): Promise<ExportFile> {
  const t = translator(locale);
  const year = await currentFiscalYear(db);
  const rows: Cell[][] = [];
  for await (const batch of eachPerson(db)) {
    const ids = batch.map((p) => p.id);
    const [statuses, ibans] = await Promise.all([statusesForYear(db, ids, year), ibansOfPeople(db, ids)]);
    for (const person of batch) rows.push(exportRow(t, person, statuses.get(person.id)?.status, ibans.get(person.id)));
  }
  const headers = exportHeaders(t, year);
  const body = await render(format, t('exchange.sheet'), headers, rows);
  await recordChange(db, actor, { action: 'people.export', entityType: 'people', entityId: 'export', after: { format, count: rows.length } });
  return { filename: `people-${today()}.${format}`, contentType: CONTENT_TYPES[format], body, count: rows.length };
}

async function render(format: ExportFormat, sheet: string, headers: string[], rows: Cell[][]): Promise<Buffer> {
  if (format === 'xlsx') return toXlsx(sheet, headers, rows);
  if (format === 'ods') return Buffer.from(toOds(sheet, headers, rows));
  return Buffer.from(toCsv(headers, rows), 'utf-8');
}
