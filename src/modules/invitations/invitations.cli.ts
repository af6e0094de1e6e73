import { type Command, type CommandInput, println } from '../../cli/command.js';
import type { Actor } from '../../core/actor.js';
import { inTransaction } from '../../storage/database.js';
import { actorOf } from '../accounts/principal.js';
import { createInvitation, invitationLink, invitationScopeOf, listInvitations } from './invitations.service.js';

/** The actor of a command: the `--as` account itself (so its invitations are its own), else the operator. */
export function commandActor({ principal, actor }: Pick<CommandInput, 'principal' | 'actor'>): Actor {
  return principal.accountId > 0 ? actorOf(principal) : actor;
}

const invitationsCreate: Command = {
  words: ['invitations', 'create'],
  summary: 'Create a single-use invitation link (printed once; only its hash is kept).',
  usage: '[--days N] [--group G]... [--note T] [--as USERNAME] [--json]',
  options: { days: { type: 'string' }, group: { type: 'string', multiple: true }, note: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'invitations:create',
  async run({ ctx, values, actor, principal, out, err }) {
    const input = { days: values.days, note: values.note, groups: values.group ?? [] };
    const { invitation, token } = await inTransaction(ctx.db, (trx) =>
      createInvitation(trx, commandActor({ principal, actor }), input, principal));
    const link = invitationLink(ctx.config.publicUrl, token);
    if (values.json) {
      println(out, JSON.stringify({ ...invitation, link }));
    } else {
      println(out, link);
      println(err, `Invitation ${invitation.id}, single use, valid until ${invitation.expires_at}. The link is not shown again.`);
    }
    return 0;
  },
};

const invitationsList: Command = {
  words: ['invitations', 'list'],
  summary: "List invitations with their status (an account's own with --as, unless it manages accounts).",
  usage: '[--as USERNAME] [--json]',
  options: { json: { type: 'boolean' } },
  permission: 'invitations:create',
  async run({ ctx, values, principal, out }) {
    const invitations = await listInvitations(ctx.db, invitationScopeOf(principal));
    if (values.json) println(out, JSON.stringify(invitations));
    for (const i of values.json ? [] : invitations) {
      const by = i.created_by?.username ?? '-';
      const used = i.used_by ? ` by ${i.used_by.username}` : '';
      println(out, `${String(i.id).padStart(5)}  ${(i.status + used).padEnd(24)} expires ${i.expires_at.slice(0, 16)}  from ${by}${i.groups.length ? `  groups ${i.groups.join(',')}` : ''}${i.note ? `  ${i.note}` : ''}`);
    }
    return 0;
  },
};

/** Invitation commands: invitations create, invitations list. */
export const invitationsCommands = [invitationsCreate, invitationsList];
