import { type Command, println, readStdin } from '../../cli/command.js';
import { inTransaction } from '../../storage/database.js';
import { createAccount, createApiToken, listAccounts, principalForUsername } from './accounts.service.js';

const adminCreate: Command = {
  words: ['admin', 'create'],
  summary: 'Create an administrator account (and its person), the password read from standard input.',
  usage: '--username U --email E [--name "Display Name"] --password-stdin [--json]',
  options: { username: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } },
  permission: 'accounts:manage',
  async run({ ctx, values, actor, stdin, out }) {
    if (!values['password-stdin']) throw new Error('--password-stdin is required: pipe the password in, never put it on the command line.');
    const password = await readStdin(stdin);
    const account = await inTransaction(ctx.db, (trx) =>
      createAccount(trx, actor, { username: values.username, email: values.email, display_name: values.name, password, roles: ['admin'] }));
    if (values.json) println(out, JSON.stringify({ id: account.id, username: account.username, person_id: account.personId, roles: account.roles }));
    else println(out, `Created administrator ${account.username} (account ${account.id}).`);
    return 0;
  },
};

const tokenCreate: Command = {
  words: ['token', 'create'],
  summary: "Create an API token for an account; it is printed once and carries the account's roles.",
  usage: '--username U --name N [--json]',
  options: { username: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'accounts:manage',
  async run({ ctx, values, actor, out }) {
    if (typeof values.username !== 'string') throw new Error('--username is required');
    const target = await principalForUsername(ctx.db, values.username);
    const { id, token } = await inTransaction(ctx.db, (trx) => createApiToken(trx, actor, target.accountId, { name: values.name }));
    println(out, values.json ? JSON.stringify({ id, token }) : token);
    return 0;
  },
};

const accountsList: Command = {
  words: ['accounts', 'list'],
  summary: 'List accounts with their roles.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: 'accounts:read',
  async run({ ctx, values, out }) {
    const accounts = await listAccounts(ctx.db);
    if (values.json) println(out, JSON.stringify(accounts));
    else for (const a of accounts) println(out, `${String(a.id).padStart(5)}  ${a.username.padEnd(24)} ${a.roles.join(',')}${a.disabled ? ' (disabled)' : ''}`);
    return 0;
  },
};

/** Account commands: admin create, token create, accounts list. */
export const accountsCommands = [adminCreate, tokenCreate, accountsList];
