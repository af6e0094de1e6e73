import { type Command, println } from '../../cli/command.js';
import { inTransaction } from '../../storage/database.js';
import { principalForUsername } from '../accounts/accounts.service.js';
import { resetTwoFactor } from './two-factor.service.js';

const twoFactorReset: Command = {
  words: ['accounts', '2fa-reset'],
  summary: "Remove an account's two-factor authentication (lost phone); it then logs in with its password alone.",
  usage: 'USERNAME [--json]',
  options: { json: { type: 'boolean' } },
  permission: 'accounts:manage',
  async run({ ctx, values, positionals, actor, out }) {
    if (positionals.length !== 1) throw new Error('give exactly one USERNAME');
    const target = await principalForUsername(ctx.db, positionals[0]);
    await inTransaction(ctx.db, (trx) => resetTwoFactor(trx, actor, target.accountId));
    println(out, values.json ? JSON.stringify({ id: target.accountId, username: target.username, two_factor: false })
      : `Two-factor authentication removed for ${target.username}.`);
    return 0;
  },
};

/** Two-factor commands: accounts 2fa-reset. */
export const twoFactorCommands = [twoFactorReset];
