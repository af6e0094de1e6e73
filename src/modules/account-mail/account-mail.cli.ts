import { type Command, println } from '../../cli/command.js';
import { inTransaction } from '../../storage/database.js';
import { sendMail } from '../mail/mail.service.js';
import { adminResetLink } from './password-reset.service.js';

const resetLink: Command = {
  words: ['accounts', 'reset-link'],
  summary: 'Print a one-hour password reset link for an account, to pass on; --send mails it to the account\'s address instead.',
  usage: 'USERNAME [--send] [--json]',
  options: { send: { type: 'boolean' }, json: { type: 'boolean' } },
  permission: 'accounts:manage',
  async run({ ctx, values, positionals, actor, out }) {
    if (positionals.length !== 1) throw new Error('give exactly one USERNAME');
    const send = values.send === true;
    const link = await inTransaction(ctx.db, (trx) => adminResetLink(trx, ctx.config, actor, positionals[0], send));
    if (link.mail) await sendMail(ctx.config, link.mail);
    if (values.json) println(out, JSON.stringify(send ? { sent_to: link.email, expires_in_seconds: 3600 } : { url: link.url, email: link.email, expires_in_seconds: 3600 }));
    else if (send) println(out, `Sent a password reset link to ${link.email}. It works once, for one hour.`);
    else println(out, `${link.url}\n(works once, for one hour)`);
    return 0;
  },
};

/** Account mail commands: accounts reset-link. */
export const accountMailCommands = [resetLink];
