import { readFile, writeFile } from 'node:fs/promises';
import { type Command, println } from '../../cli/command.js';
import { validate } from '../../core/validate.js';
import { isLocale, translator } from '../../i18n/index.js';
import { exportFormatInput, IMPORT_FIELDS, importOptionsInput } from './exchange.schema.js';
import { exportPeople } from './export.service.js';
import { type ImportResult, importPeople, importReport } from './import.service.js';

const isTty = (stream: NodeJS.WritableStream): boolean => (stream as { isTTY?: boolean }).isTTY === true;

/** A `\r` progress line on a terminal (only when the percentage changes); nothing when output is redirected. */
function progress(err: NodeJS.WritableStream): ((done: number, total: number) => void) | undefined {
  if (!isTty(err)) return undefined;
  let last = -1;
  return (done, total) => {
    const percent = total ? Math.floor((done * 100) / total) : 100;
    if (percent === last && done !== total) return;
    last = percent;
    err.write(`\r${done}/${total} (${percent}%)${done === total ? '\n' : ''}`);
  };
}

function printText(out: NodeJS.WritableStream, err: NodeJS.WritableStream, result: ImportResult): void {
  const t = translator('en');
  const report = importReport(result, t);
  const where = (i: { line: number; column: string | null; field: string | null }) => `line ${i.line}${i.column ? `, column "${i.column}"` : ''}${i.field ? ` (${i.field})` : ''}`;
  for (const e of report.errors) println(err, `error: ${where(e)}: ${e.message}${e.value !== undefined ? ` [${e.value}]` : ''}`);
  for (const w of report.warnings) println(err, `warning: ${where(w)}: ${w.message}`);
  const mapping = report.columns.map((c) => `${c.header}=${c.field}`).join(', ');
  println(out, `Read as ${result.encoding}, delimiter ${JSON.stringify(result.delimiter)}; columns: ${mapping}`);
  const ibans = result.ibans_added ? `, ${result.ibans_added} IBANs ${result.dry_run ? 'to record' : 'recorded'}` : '';
  if (result.errors.length) println(out, `${result.total} rows, ${result.errors.length} errors: nothing was imported.`);
  else if (result.dry_run) println(out, `Dry run: ${result.total} rows, ${result.created} would be created, ${result.unchanged} already present, ${result.warnings.length} warnings${ibans}. Nothing was written.`);
  else println(out, `${result.total} rows: ${result.created} created, ${result.unchanged} already present, ${result.warnings.length} warnings${ibans}.`);
}

const peopleImport: Command = {
  words: ['people', 'import'],
  summary: 'Import people from a CSV member list (spreadsheet, Galette, Paheko); all rows or nothing, re-imports add nobody.',
  usage: `FILE [--dry-run] [--map COLUMN=FIELD ...] [--delimiter ';'|','|tab] [--encoding utf-8|windows-1252] [--json]

Columns are mapped from their names (English, French, Dutch, Galette, Paheko); --map overrides one
(COLUMN is a header name or a 1-based column number). Fields: ${IMPORT_FIELDS.join(', ')}.
Every row is checked first (IBANs too); on any error nothing is written and the exit code is 1.
A row whose name and e-mail addresses match a live person is "already present" and skipped, except for
IBANs that person does not have yet, which are added. An iban cell may hold several IBANs (, ; or spaces).`,
  options: {
    'dry-run': { type: 'boolean' }, map: { type: 'string', multiple: true }, delimiter: { type: 'string' },
    encoding: { type: 'string' }, json: { type: 'boolean' },
  },
  permission: 'people:import',
  async run({ ctx, actor, values, positionals, out, err }) {
    if (positionals.length !== 1) {
      println(err, 'ruche people import: give one FILE (see --help).');
      return 2;
    }
    const options = validate(importOptionsInput, { delimiter: values.delimiter, encoding: values.encoding, map: values.map, dry_run: values['dry-run'] });
    const bytes = await readFile(positionals[0]);
    const result = await importPeople(ctx.db, actor, bytes, {
      delimiter: options.delimiter, encoding: options.encoding, map: options.map, dryRun: options.dry_run,
      onProgress: progress(err),
    });
    if (values.json) println(out, JSON.stringify(importReport(result, translator('en'))));
    else printText(out, err, result);
    return result.errors.length ? 1 : 0;
  },
};

const peopleExport: Command = {
  words: ['people', 'export'],
  summary: 'Export every live person with their membership status, payment reference and IBANs (CSV, XLSX or ODS).',
  usage: `[--format csv|xlsx|ods] [--output FILE] [--lang en|fr|nl]

CSV goes to standard output without --output; XLSX and ODS need --output unless standard output is redirected.
Column names are in --lang (English by default).`,
  options: { format: { type: 'string' }, output: { type: 'string', short: 'o' }, lang: { type: 'string' } },
  permission: 'people:export',
  async run({ ctx, actor, values, out, err }) {
    const format = validate(exportFormatInput, values.format);
    if (!values.output && format !== 'csv' && isTty(out)) {
      println(err, `ruche people export: ${format.toUpperCase()} is binary; give --output FILE or redirect standard output.`);
      return 2;
    }
    const locale = isLocale(values.lang) ? values.lang : 'en';
    const file = await exportPeople(ctx.db, actor, format, locale);
    if (typeof values.output === 'string') {
      await writeFile(values.output, file.body);
      println(err, `${file.count} people written to ${values.output}.`);
    } else {
      out.write(file.body);
    }
    return 0;
  },
};

/** The import and export commands of people. */
export const exchangeCommands: Command[] = [peopleImport, peopleExport];
