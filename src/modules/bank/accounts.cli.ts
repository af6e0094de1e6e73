import { type Command, cliLocale, println } from '../../cli/command.js';
import { t } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { accountName, addBankAccount, bankAccounts, relabelBankAccount } from './accounts.service.js';

const accountsList: Command = {
  words: ['bank', 'accounts'],
  summary: 'List the collective\'s bank accounts with their id (for `bank import --account ID`), currency and label.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: 'dues:manage',
  async run({ ctx, values, out }) {
    const accounts = await bankAccounts(ctx.db);
    if (values.json) println(out, JSON.stringify(accounts));
    else if (!accounts.length) println(out, t(cliLocale(), 'bank_accounts.cli_none'));
    else for (const a of accounts) println(out, `${String(a.id).padStart(4)}  ${accountName(a).padEnd(34)} ${a.currency}  ${a.label ?? ''}`.trimEnd());
    return 0;
  },
};

const accountAdd: Command = {
  words: ['bank', 'account', 'add'],
  summary: 'Add a bank account (for QIF and CSV files, which do not name theirs): an IBAN, or a number for an account without one.',
  usage: '(--iban IBAN | --number N) [--currency EUR] [--bic BIC] [--holder NAME] [--label TEXT] [--json]',
  options: { iban: { type: 'string' }, number: { type: 'string' }, currency: { type: 'string' }, bic: { type: 'string' }, holder: { type: 'string' }, label: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'dues:manage',
  async run({ ctx, values, actor, out }) {
    const { iban, number, currency, bic, holder, label } = values;
    const account = await inTransaction(ctx.db, (trx) => addBankAccount(trx, actor, { iban, number, currency, bic, holder, label }));
    if (values.json) println(out, JSON.stringify(account));
    else println(out, t(cliLocale(), 'bank_accounts.cli_added', { id: account.id, account: accountName(account), currency: account.currency }));
    return 0;
  },
};

const accountLabel: Command = {
  words: ['bank', 'account', 'label'],
  summary: 'Set the label of a bank account (without --label: remove it).',
  usage: 'ID [--label TEXT] [--json]',
  options: { label: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'dues:manage',
  async run({ ctx, values, positionals, actor, out }) {
    const id = Number(positionals[0]);
    if (!Number.isSafeInteger(id) || id < 1) throw new Error('give the account ID (see `ruche bank accounts`)');
    const account = await inTransaction(ctx.db, (trx) => relabelBankAccount(trx, actor, id, { label: values.label }));
    if (values.json) println(out, JSON.stringify(account));
    else println(out, t(cliLocale(), 'bank_accounts.cli_relabelled', { id }));
    return 0;
  },
};

/** Commands for the collective's bank accounts. */
export const bankAccountsCommands: Command[] = [accountsList, accountAdd, accountLabel];
