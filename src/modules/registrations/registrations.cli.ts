import { type Command, println } from '../../cli/command.js';
import { notFound } from '../../core/errors.js';
import { inTransaction } from '../../storage/database.js';
import { commandActor } from '../invitations/invitations.cli.js';
import { acceptRegistration, listRegistrations, refuseRegistration } from './registrations.service.js';

function requestId(positionals: string[]): number {
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) throw notFound('registrations.not_found');
  return id;
}

const registrationsList: Command = {
  words: ['registrations', 'list'],
  summary: 'List self-registration requests (waiting ones unless --status says otherwise).',
  usage: '[--status pending|accepted|refused|all] [--json]',
  options: { status: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'registrations:manage',
  async run({ ctx, values, out }) {
    const requests = await listRegistrations(ctx.db, values.status);
    if (values.json) println(out, JSON.stringify(requests));
    for (const r of values.json ? [] : requests) {
      println(out, `${String(r.id).padStart(5)}  ${r.status.padEnd(9)} ${r.username.padEnd(20)} ${r.email}  ${r.display_name}${r.message ? `  "${r.message.replace(/\s+/g, ' ')}"` : ''}`);
    }
    return 0;
  },
};

const registrationsAccept: Command = {
  words: ['registrations', 'accept'],
  summary: 'Accept a waiting request: the person and the account are created.',
  usage: 'ID [--as USERNAME] [--json]',
  options: { json: { type: 'boolean' } },
  permission: 'registrations:manage',
  async run({ ctx, values, positionals, actor, principal, out }) {
    const id = requestId(positionals);
    const { account } = await inTransaction(ctx.db, (trx) => acceptRegistration(trx, commandActor({ principal, actor }), id));
    println(out, values.json ? JSON.stringify(account) : `Accepted request ${id}: account ${account.username} (${account.id}) created.`);
    return 0;
  },
};

const registrationsRefuse: Command = {
  words: ['registrations', 'refuse'],
  summary: 'Refuse a waiting request, with an optional reason.',
  usage: 'ID [--reason R] [--as USERNAME]',
  options: { reason: { type: 'string' } },
  permission: 'registrations:manage',
  async run({ ctx, values, positionals, actor, principal, out }) {
    const id = requestId(positionals);
    const refused = await inTransaction(ctx.db, (trx) => refuseRegistration(trx, commandActor({ principal, actor }), id, { reason: values.reason }));
    println(out, `Refused request ${id} (${refused.username}).`);
    return 0;
  },
};

/** Registration queue commands: registrations list, accept, refuse. */
export const registrationsCommands = [registrationsList, registrationsAccept, registrationsRefuse];
