import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { PERMISSIONS } from '../core/permissions.js';
import { accountMailCommands } from '../modules/account-mail/account-mail.cli.js';
import { accountsCommands } from '../modules/accounts/accounts.cli.js';
import { principalForUsername } from '../modules/accounts/accounts.service.js';
import { actorOf, type Principal } from '../modules/accounts/principal.js';
import { oidcCommands } from '../modules/oidc/oidc.cli.js';
import { peopleCommands } from '../modules/people/people.cli.js';
import { duesCommands } from '../modules/dues/dues.cli.js';
import { bankAccountsCommands } from '../modules/bank/accounts.cli.js';
import { exchangeCommands } from '../modules/people-exchange/exchange.cli.js';
import { groupsCommands } from '../modules/groups/groups.cli.js';
import { invitationsCommands } from '../modules/invitations/invitations.cli.js';
import { registrationsCommands } from '../modules/registrations/registrations.cli.js';
import { twoFactorCommands } from '../modules/two-factor/two-factor.cli.js';
import { type Command, describeError, println } from './command.js';
import { openContext } from './context.js';
import { maintenanceCommands } from './maintenance.cli.js';

const COMMANDS: Command[] = [
  ...maintenanceCommands, ...accountsCommands, ...peopleCommands, ...exchangeCommands, ...duesCommands, ...bankAccountsCommands,
  ...twoFactorCommands, ...groupsCommands, ...invitationsCommands, ...registrationsCommands,
  ...accountMailCommands, ...oidcCommands,
];

const AS_OPTION = { as: { type: 'string' as const }, help: { type: 'boolean' as const, short: 'h' } };

function usage(): string {
  const lines = COMMANDS.map((c) => `  ruche ${c.words.join(' ').padEnd(16)} ${c.summary}`);
  return `Ruche, the back-office of community hosters.\n\nUsage: ruche <command> [options]   (ruche <command> --help for details)\n\n${lines.join('\n')}\n\nData commands run as the operator of this machine, or as an account with --as USERNAME (its permissions are checked).`;
}

function find(argv: string[]): [Command, string[]] | null {
  for (const command of [...COMMANDS].sort((a, b) => b.words.length - a.words.length)) {
    if (command.words.every((w, i) => argv[i] === w)) return [command, argv.slice(command.words.length)];
  }
  return null;
}

function operator(): Principal {
  return { accountId: 0, username: `cli:${userInfo().username}`, personId: null, roles: [], permissions: new Set(PERMISSIONS), locale: null, via: 'cli' };
}

// Errors speak the operator's language (describeError, command.ts).

/** Runs the `ruche` command line; returns the exit code. */
export async function main(argv: string[], io = { out: process.stdout, err: process.stderr, stdin: process.stdin }): Promise<number> {
  const found = find(argv);
  if (!found) {
    println(argv.length && !['-h', '--help', 'help'].includes(argv[0]) ? io.err : io.out, usage());
    return argv.length && !['-h', '--help', 'help'].includes(argv[0]) ? 2 : 0;
  }
  const [command, rest] = found;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...command.options, ...AS_OPTION }, allowPositionals: true, strict: true });
    if (values.help) {
      println(io.out, `Usage: ruche ${command.words.join(' ')} ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    const config = loadConfig();
    const ctx = command.needsDatabase === false ? ({ config } as never) : await openContext(config, { allowPending: command.words[0] === 'migrate' || (values as Record<string, unknown>).migrate === true });
    try {
      const principal = typeof values.as === 'string' ? await principalForUsername(ctx.db, values.as) : operator();
      if (command.permission && !principal.permissions.has(command.permission)) throw new Error(`${principal.username} lacks the permission ${command.permission}.`);
      const actor = principal.via === 'cli' ? { accountId: null, label: principal.username } : actorOf(principal);
      return await command.run({ values: values as never, positionals, ctx, principal, actor, ...io });
    } finally {
      if (command.needsDatabase !== false) await ctx.storage.close();
    }
  } catch (error) {
    println(io.err, `ruche ${command.words.join(' ')}: ${describeError(error)}`);
    return error instanceof ConfigError ? 78 : 1;
  }
}
