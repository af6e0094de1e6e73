import { type Command, println } from '../../cli/command.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { listPeople } from './people.service.js';

const peopleList: Command = {
  words: ['people', 'list'],
  summary: 'List people (search and filters as in the web list); --json output is stable for scripts.',
  usage: '[--q TEXT] [--status S --year Y] [--tag T] [--kind individual|organisation] [--page N] [--per-page N] [--json]',
  options: {
    q: { type: 'string' }, status: { type: 'string' }, year: { type: 'string' }, tag: { type: 'string' }, kind: { type: 'string' },
    page: { type: 'string' }, 'per-page': { type: 'string' }, json: { type: 'boolean' },
  },
  permission: 'people:read',
  async run({ ctx, values, out }) {
    const query = { q: values.q, status: values.status, year: values.year, tag: values.tag, kind: values.kind, page: values.page, per_page: values['per-page'] ?? '100' };
    const page = await listPeople(ctx.db, query, { currentYear: await currentFiscalYear(ctx.db) });
    if (values.json) {
      println(out, JSON.stringify({ items: page.items, total: page.total, total_exact: page.exact, page: page.page, per_page: page.perPage }));
      return 0;
    }
    for (const p of page.items) println(out, `${String(p.id).padStart(6)}  ${p.display_name.padEnd(32)} ${p.emails.join(', ')}`);
    println(out, `${page.items.length} of ${page.total}${page.exact ? '' : '+'} (page ${page.page})`);
    return 0;
  },
};

/** People commands: list (import and export are added by the import module). */
export const peopleCommands: Command[] = [peopleList];
