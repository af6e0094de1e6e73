import { type Command, println } from '../../cli/command.js';
import { inTransaction } from '../../storage/database.js';
import { addGroupMember, createGroup, deleteGroup, getGroup, type GroupMember, listGroupMembers, listGroups, removeGroupMember } from './groups.service.js';

function needs(positionals: string[], count: number, usage: string): void {
  if (positionals.length !== count) throw new Error(`expected ${usage}`);
}

function personIdOf(value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`PERSON_ID must be a number, not "${value}"`);
  return Number(value);
}

function memberLine(m: GroupMember): string {
  const who = m.username ? `${m.username.padEnd(24)} ${m.display_name ?? ''}` : `${String(m.person_id).padStart(6)}  ${m.display_name ?? ''}`;
  return m.added_by ? `${who.padEnd(40)} added by ${m.added_by} on ${m.added_at?.slice(0, 10)}` : who;
}

const groupsList: Command = {
  words: ['groups', 'list'],
  summary: 'List groups (computed and static) with their member counts.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: 'groups:manage',
  async run({ ctx, values, out }) {
    const groups = await listGroups(ctx.db);
    if (values.json) println(out, JSON.stringify(groups));
    else for (const g of groups) println(out, `${g.name.padEnd(24)} ${String(g.member_count).padStart(6)}  ${g.computed ? '(computed) ' : ''}${g.label}`);
    return 0;
  },
};

const groupsShow: Command = {
  words: ['groups', 'show'],
  summary: 'Show a group (static or computed) and its members.',
  usage: 'NAME [--json]',
  options: { json: { type: 'boolean' } },
  permission: 'groups:manage',
  async run({ ctx, values, positionals, out }) {
    needs(positionals, 1, 'NAME');
    const group = await getGroup(ctx.db, positionals[0]);
    const members = await listGroupMembers(ctx.db, group.name);
    if (values.json) {
      println(out, JSON.stringify({ ...group, members }));
      return 0;
    }
    println(out, `${group.name}: ${group.label}${group.computed ? ' (computed)' : ''}`);
    if (group.description) println(out, group.description);
    println(out, `${group.member_count} member(s)`);
    for (const m of members) println(out, `  ${memberLine(m)}`);
    return 0;
  },
};

const groupsAdd: Command = {
  words: ['groups', 'add'],
  summary: 'Create a static group (its NAME is what apps see: lower-case letters, digits and hyphens).',
  usage: 'NAME --label L [--description D] [--json]',
  options: { label: { type: 'string' }, description: { type: 'string' }, json: { type: 'boolean' } },
  permission: 'groups:manage',
  async run({ ctx, values, positionals, actor, out }) {
    needs(positionals, 1, 'NAME --label L');
    const group = await inTransaction(ctx.db, (trx) => createGroup(trx, actor, { name: positionals[0], label: values.label, description: values.description }));
    println(out, values.json ? JSON.stringify(group) : `Created group ${group.name}.`);
    return 0;
  },
};

const groupsDelete: Command = {
  words: ['groups', 'delete'],
  summary: 'Delete a static group and its memberships.',
  usage: 'NAME',
  options: {},
  permission: 'groups:manage',
  async run({ ctx, positionals, actor, out }) {
    needs(positionals, 1, 'NAME');
    await inTransaction(ctx.db, (trx) => deleteGroup(trx, actor, positionals[0]));
    println(out, `Deleted group ${positionals[0]}.`);
    return 0;
  },
};

function memberCommand(action: 'add' | 'remove'): Command {
  return {
    words: ['groups', 'member', action],
    summary: action === 'add' ? 'Add a person to a static group.' : 'Remove a person from a static group.',
    usage: 'NAME PERSON_ID',
    options: {},
    permission: 'groups:manage',
    async run({ ctx, positionals, actor, out }) {
      needs(positionals, 2, 'NAME PERSON_ID');
      const [name, raw] = positionals;
      const personId = personIdOf(raw);
      if (action === 'add') {
        const member = await inTransaction(ctx.db, (trx) => addGroupMember(trx, actor, name, { person_id: personId }));
        println(out, `Added ${member.display_name} (${personId}) to ${name}.`);
      } else {
        await inTransaction(ctx.db, (trx) => removeGroupMember(trx, actor, name, personId));
        println(out, `Removed person ${personId} from ${name}.`);
      }
      return 0;
    },
  };
}

/** Group commands: list, show, add, delete, member add, member remove. */
export const groupsCommands: Command[] = [groupsList, groupsShow, groupsAdd, groupsDelete, memberCommand('add'), memberCommand('remove')];
