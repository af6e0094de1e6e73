import { accessSync, constants, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type Command, println } from '../../cli/command.js';
import { formatMoney } from '../../views/money.js';
import { validate } from '../../core/validate.js';
import { importOptions } from '../bank/bank.schema.js';
import { yearOf } from './dues.schema.js';
import { importRequestOf } from './import-request.js';
import { duesOverview } from './overview.service.js';
import { importFileInChild } from './import-runner.js';
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
    const options = validate(importOptions, { format: values.format, account: values.account, profile: values.profile, qif_date_order: values['qif-date-order'], dry_run: values['dry-run'] === true });
    const results = [];
    for (const path of positionals) {
      const progress = (n: number) => { if ((err as NodeJS.WriteStream).isTTY) err.write(`\r${basename(path)}: ${n} movements read`); };
      accessSync(path, constants.R_OK);
      const request = await importRequestOf(ctx.db, basename(path), options);
      const storage = { databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir };
      const summary = await importFileInChild({ storage, actor, path: resolve(path), request }, progress);
      if ((err as NodeJS.WriteStream).isTTY) err.write('\n');
      results.push(summary);
      if (values.json) continue;
      for (const s of summary.statements) println(out, `${s.account} ${s.statementRef ?? ''} ${s.date ?? ''}: ${money(s.opening, s.currency)} -> ${money(s.closing, s.currency)}, ${s.entries} movements, balances ${s.balanceOk === null ? 'not given' : s.balanceOk ? 'consistent' : 'DO NOT ADD UP'}`);
      println(out, `${basename(path)} (${summary.format}): ${summary.added} added, ${summary.duplicates} duplicates skipped, ${summary.automatic} matched automatically, ${summary.toReview} to review${summary.dryRun ? ' (dry run: nothing written)' : ''}`);
    }
    if (values.json) println(out, JSON.stringify(results));
    return 0;
  },
};

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
      for (const l of overview.lines) println(out, `${l.status.padEnd(9)} ${l.display_name.padEnd(32)} ${money(l.amount_cents, l.currency).padStart(14)}`);
      for (const x of overview.totals) println(out, `total ${x.kind}${x.category ? `/${x.category}` : ''}: ${money(x.amount_cents, x.currency)} (${x.count})`);
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
    println(out, `Rule ${id} added; ${applied} movements of the review queue categorised.`);
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
    if (guess.doubts.length) println(out, `// unsure of: ${guess.doubts.join(', ')}`);
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
    println(out, `Profile "${profile.name}" saved; use it with: ruche bank import FILE --profile "${profile.name}"`);
    return 0;
  },
};

/** Bank and dues commands. */
export const duesCommands: Command[] = [bankImport, bankTransactions, duesStatus, ruleAdd, rulesList, profileGuess, profileSave];
