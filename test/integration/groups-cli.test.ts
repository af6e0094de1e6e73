// `ruche groups ...` through main(argv, io), on SQLite and PostgreSQL: the command opens its own connection to the
// test's database (the SQLite file, or the PostgreSQL schema through the URL's search_path).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import type { Storage } from '../../src/storage/database.js';
import { PASSWORD } from '../helpers/app.js';
import { ruche } from '../helpers/cli.js';
import { cliEnvironmentOf, forEachDialect } from '../helpers/dialects.js';

async function run(argv: string[]) {
  const { code, out, err } = await ruche(argv);
  return { code, out: out.text(), err: err.text() };
}

forEachDialect('groups commands', (open) => {
  const saved = { ...process.env };
  let storage: Storage;
  let zoe = 0;
  beforeAll(async () => {
    storage = await open();
    Object.assign(process.env, { RUCHE_SECRET: 'cli-groups-secret-0123456789', LANG: 'C', LC_ALL: '', LC_MESSAGES: '' }, await cliEnvironmentOf(storage));
    zoe = (await createPerson(storage.db, SYSTEM, { display_name: 'Zoë Peeters', tags: ['board'] })).id;
    await createAccount(storage.db, SYSTEM, { username: 'sec', password: PASSWORD, roles: ['secretary'] });
  });
  afterAll(() => { process.env = saved; });

  it('creates a group, adds and removes a person, and shows it as text and JSON, audited as the operator', async () => {
    const added = await run(['groups', 'add', 'wiki', '--label', 'Wiki editors', '--description', 'Who edits the wiki']);
    expect(added).toMatchObject({ code: 0, out: 'Created group wiki.\n' });
    expect((await run(['groups', 'member', 'add', 'wiki', String(zoe)])).out).toBe(`Added Zoë Peeters (${zoe}) to wiki.\n`);
    const shown = JSON.parse((await run(['groups', 'show', 'wiki', '--json'])).out);
    expect(shown).toMatchObject({ name: 'wiki', label: 'Wiki editors', computed: false, member_count: 1, members: [{ person_id: zoe, display_name: 'Zoë Peeters', added_by: expect.stringMatching(/^cli:/) }] });
    const text = await run(['groups', 'show', 'wiki']);
    expect(text.out).toMatch(new RegExp(`^wiki: Wiki editors\\nWho edits the wiki\\n1 member\\(s\\)\\n\\s+${zoe}  Zoë Peeters\\s+added by cli:`));
    expect((await run(['groups', 'member', 'remove', 'wiki', String(zoe)])).code).toBe(0);
    expect(JSON.parse((await run(['groups', 'show', 'wiki', '--json'])).out).members).toEqual([]);
    const audit = await storage.db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity_type', '=', 'group').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['group.create', 'group.member_add', 'group.member_remove']);
    expect(audit.every((a) => a.actor_label.startsWith('cli:'))).toBe(true);
  });

  it('lists computed and static groups, and shows a computed group', async () => {
    const listed = JSON.parse((await run(['groups', 'list', '--json'])).out) as { name: string; computed: boolean; member_count: number }[];
    expect(listed.find((g) => g.name === 'board')).toMatchObject({ computed: true, member_count: 1 });
    expect(listed.find((g) => g.name === 'wiki')).toMatchObject({ computed: false });
    expect((await run(['groups', 'list'])).out).toMatch(/^board\s+1\s+\(computed\) Board$/m);
    expect((await run(['groups', 'show', 'role-secretary'])).out).toContain('sec');
  });

  it('refuses bad input with a clear message and exit code 1, changing nothing', async () => {
    const reserved = await run(['groups', 'add', 'members', '--label', 'Mine']);
    expect(reserved.code).toBe(1);
    expect(reserved.err).toContain('The name "members" is reserved for a computed group');
    expect((await run(['groups', 'add', 'Bad_Name', '--label', 'X'])).err).toContain('lower-case letters');
    expect((await run(['groups', 'add', 'nolabel'])).err).toContain('label');
    expect((await run(['groups', 'member', 'add', 'wiki', 'abc'])).err).toContain('PERSON_ID must be a number');
    expect((await run(['groups', 'member', 'add', 'board', String(zoe)])).err).toContain('Computed groups follow the data');
    expect((await run(['groups', 'member', 'add', 'nosuch', String(zoe)])).err).toContain('No such group.');
    expect((await run(['groups', 'member', 'remove', 'wiki', String(zoe)])).err).toContain('This person is not in the group.');
    const refused = await run(['groups', 'add', 'ops', '--label', 'Ops', '--as', 'sec']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('lacks the permission groups:manage');
    const names = (JSON.parse((await run(['groups', 'list', '--json'])).out) as { name: string; computed: boolean }[]).filter((g) => !g.computed).map((g) => g.name);
    expect(names).toEqual(['wiki']);
  });
});
