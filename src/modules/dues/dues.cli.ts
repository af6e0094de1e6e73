import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type Command, cliLocale, describeError, println } from '../../cli/command.js';
import { AppError } from '../../core/errors.js';
import { fieldList } from '../bank/locations.js';
import type { Locale } from '../../i18n/index.js';
import { formatMoney } from '../../views/money.js';
import { validate } from '../../core/validate.js';
import { importOptions } from '../bank/bank.schema.js';
import { yearOf } from './dues.schema.js';
import { checkFormatName, importRequestOf } from './import-request.js';
import { DUES_STATUS_LABELS, duesOverview } from './overview.service.js';
import { type MessageKey, t } from '../../i18n/index.js';
import { type ChildRequest, importFileInChild } from './import-runner.js';
import { isTerminal, ProgressBar } from './progress-bar.js';
import { reviewQueue, withAllocations } from './review.service.js';
import { guessProfile, listTransactions, saveCsvProfileInput } from '../bank/bank.service.js';
import { inTransaction } from '../../storage/database.js';
import { addRule, listRules } from './rules.service.js';

const money = (minor: number | null, currency: string) => (minor === null ? '-' : formatMoney(minor, currency, 'en'));

const bankImport: Command = {
  words: ['bank', 'import'],
  summary: 'Import bank statement files (CODA, camt.053/054, OFX, QIF, CSV), each in one transaction; re-imports add nothing.',
  usage: 'FILE... [--format F] [--account ID] [--profile NAME] [--qif-date-order dmy|mdy|ymd] [--dry-run] [--json]',
  options: { format: { type: 'string' }, account: { type: 'string' }, profile: { type: 'string' }, 'qif-date-order': { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  permission: 'dues:manage',
  async run({ ctx, values, positionals, actor, out, err }) {
    if (!positionals.length) throw new Error('give at least one FILE');
    checkFormatName(values.format);
    const options = validate(importOptions, { format: values.format, account: values.account, profile: values.profile, qif_date_order: values['qif-date-order'], dry_run: values['dry-run'] === true });
    const request = await importRequestOf(ctx.db, '', options);
    const locale = cliLocale();
    const task = { storage: { databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir }, actor, request };
    const results: FileOutcome[] = [];
    for (const path of positionals) {
      const outcome = await importOneFile(task, path, { err: values.json ? null : err, locale });
      results.push(outcome);
      if (!values.json) printOutcome(outcome, { out, err, locale });
    }
    const failed = results.filter((r) => 'error' in r).length;
    if (values.json) println(out, JSON.stringify(results));
    else if (results.length > 1) println(failed ? err : out, t(locale, 'dues_cli.files_total', { files: results.length, imported: results.length - failed, failed }));
    return failed ? 1 : 0;
  },
};

/** What `bank import` reports for one file: its summary, or why it was refused (the message in the operator's language). */
type FileOutcome = ImportedFile | { filename: string; error: { code: string; message: string } };
type ImportedFile = Awaited<ReturnType<typeof importFileInChild>>;

/** Imports one file in its own process and transaction; a refusal is kept as the file's outcome, not thrown. */
async function importOneFile(task: Omit<ChildRequest, 'path'>, path: string, show: { err: NodeJS.WritableStream | null; locale: Locale }): Promise<FileOutcome> {
  const filename = basename(path);
  let bar: ProgressBar | undefined;
  try {
    const size = statSync(path).size;
    accessSync(path, constants.R_OK);
    bar = show.err && isTerminal(show.err) ? new ProgressBar(show.err, filename, size, show.locale) : undefined;
    let entries = 0;
    const summary = await importFileInChild({ ...task, path: resolve(path), request: { ...task.request, filename } }, (read, bytes) => {
      entries = read;
      bar?.update(read, bytes);
    });
    bar?.finish(entries);
    return summary;
  } catch (error) {
    bar?.clear();
    return { filename, error: { code: error instanceof AppError ? error.code : ((error as NodeJS.ErrnoException).code ?? 'failed'), message: fileErrorText(error, show.locale) } };
  }
}

/** Why a file was refused, in the operator's language (a missing or unreadable file too, not just the system's words). */
function fileErrorText(error: unknown, locale: Locale): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return t(locale, 'dues_cli.file_missing');
  if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') return t(locale, 'dues_cli.file_not_readable');
  return describeError(error, locale);
}

function printOutcome(outcome: FileOutcome, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; locale: Locale }): void {
  const { locale } = io;
  if ('error' in outcome) return println(io.err, `ruche bank import: ${t(locale, 'dues_cli.file_failed', { file: outcome.filename, message: outcome.error.message })}`);
  const amount = (minor: number | null, currency: string) => (minor === null ? '-' : formatMoney(minor, currency, locale));
  for (const s of outcome.statements) {
    const balance = s.balanceOk === null ? 'dues_cli.balance_unknown' : s.balanceOk ? 'dues_cli.balance_ok' : 'dues_cli.balance_mismatch';
    println(io.out, t(locale, 'dues_cli.statement_line', { account: s.account, ref: s.statementRef ?? '', date: s.date ?? '', opening: amount(s.opening, s.currency), closing: amount(s.closing, s.currency), entries: s.entries, balance: { key: balance } }));
  }
  const counts = { file: outcome.filename, format: outcome.format, added: outcome.added, duplicates: outcome.duplicates, automatic: outcome.automatic, toReview: outcome.toReview };
  println(io.out, t(locale, outcome.dryRun ? 'dues_cli.file_summary_dry' : 'dues_cli.file_summary', counts));
}

const bankTransactions: Command = {
  words: ['bank', 'transactions'],
  summary: 'List bank movements with their allocations (--to-review: only the review queue).',
  usage: '[--to-review] [--page N] [--json]',
  options: { 'to-review': { type: 'boolean' }, page: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'dues:manage',
  async run({ ctx, values, out }) {
    const page = Number(values.page) || 1;
    const items = values['to-review'] ? (await reviewQueue(ctx.db, page, 100)).items : await withAllocations(ctx.db, (await listTransactions(ctx.db, { page, per_page: 100 })).items.map((t) => t.id));
    if (values.json) println(out, JSON.stringify(items));
    else for (const tx of items) println(out, `${String(tx.id).padStart(7)} ${tx.booking_date} ${money(tx.amount_cents, tx.currency).padStart(16)} ${(tx.counterparty_name ?? '').padEnd(30)} ${tx.allocations.map((a) => `${a.person?.display_name ?? a.kind ?? '?'} [${a.status}]`).join(', ')}`);
    return 0;
  },
};

const duesStatus: Command = {
  words: ['dues', 'status'],
  summary: 'Who paid, who has not paid yet and who lapsed for a fiscal year, with the totals per kind and category.',
  usage: '--year Y [--json]',
  options: { year: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'dues:manage',
  async run({ ctx, values, out }) {
    const overview = await duesOverview(ctx.db, yearOf(values.year));
    if (values.json) println(out, JSON.stringify(overview));
    else {
      // Words in the operator's language (LANG), as the page and the exports write them.
      const locale = cliLocale();
      const sum = (minor: number, currency: string) => formatMoney(minor, currency, locale);
      const width = Math.max(0, ...overview.lines.map((l) => t(locale, DUES_STATUS_LABELS[l.status]).length));
      // The id and payment reference tell namesakes apart.
      for (const l of overview.lines) println(out, `${t(locale, DUES_STATUS_LABELS[l.status]).padEnd(width)}  ${`#${l.person_id}`.padStart(7)} ${l.display_name.padEnd(32)} ${l.payment_reference}  ${sum(l.amount_cents, l.currency).padStart(14)}`);
      for (const x of overview.totals) println(out, `${t(locale, 'overview.total')} ${t(locale, `dues.kind.${x.kind}` as MessageKey)}${x.category ? `/${x.category}` : ''}: ${sum(x.amount_cents, x.currency)} (${x.count})`);
    }
    return 0;
  },
};

const ruleAdd: Command = {
  words: ['bank', 'rule', 'add'],
  summary: 'Add a categorisation rule (e.g. --pattern hetzner --kind expense --category datacentre) and apply it to the review queue.',
  usage: '--pattern TEXT --kind K --category C [--direction debit|credit|any]',
  options: { pattern: { type: 'string' }, kind: { type: 'string' }, category: { type: 'string' }, direction: { type: 'string' } },
  permission: 'dues:manage',
  async run({ ctx, values, actor, out }) {
    const { id, applied } = await inTransaction(ctx.db, (trx) => addRule(trx, actor, { pattern: values.pattern, kind: values.kind, category: values.category, direction: values.direction }));
    println(out, t(cliLocale(), 'dues_cli.rule_added', { id, applied }));
    return 0;
  },
};

const rulesList: Command = {
  words: ['bank', 'rules'],
  summary: 'List the categorisation rules.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: 'dues:manage',
  async run({ ctx, values, out }) {
    const rules = await listRules(ctx.db);
    if (values.json) println(out, JSON.stringify(rules));
    else for (const r of rules) println(out, `${String(r.id).padStart(4)}  "${r.pattern}" ${r.direction} -> ${r.kind}/${r.category}`);
    return 0;
  },
};

const profileGuess: Command = {
  words: ['bank', 'profile', 'guess'],
  summary: 'Propose a CSV column profile for a bank export (JSON on standard output, to check and save).',
  usage: 'FILE',
  options: {},
  permission: 'dues:manage',
  async run({ positionals, out }) {
    if (!positionals[0]) throw new Error('give the CSV FILE');
    const guess = guessProfile(readFileSync(positionals[0]));
    println(out, JSON.stringify({ ...guess.profile, name: guess.profile.name || basename(positionals[0]).replace(/\.\w+$/, '') , doubts: undefined }, null, 2));
    if (guess.doubts.length) println(out, `// ${t(cliLocale(), 'dues_cli.unsure_of', { fields: fieldList(guess.doubts.join(', ')) })} (${guess.doubts.join(', ')})`);
    return 0;
  },
};

const profileSave: Command = {
  words: ['bank', 'profile', 'save'],
  summary: 'Save a CSV column profile from a JSON file (as printed by `bank profile guess`).',
  usage: 'FILE.json',
  options: {},
  permission: 'dues:manage',
  async run({ ctx, positionals, actor, out }) {
    if (!positionals[0]) throw new Error('give the profile FILE.json');
    const text = readFileSync(positionals[0], 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const profile = await inTransaction(ctx.db, (trx) => saveCsvProfileInput(trx, actor, text));
    println(out, t(cliLocale(), 'dues_cli.profile_saved', { name: profile.name }));
    return 0;
  },
};

/** Bank and dues commands. */
export const duesCommands: Command[] = [bankImport, bankTransactions, duesStatus, ruleAdd, rulesList, profileGuess, profileSave];
