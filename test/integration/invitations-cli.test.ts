// `ruche invitations ...` and `ruche registrations ...` through main(argv, io), on SQLite and on PostgreSQL:
// the command line opens the same database as the test (its folder, or its PostgreSQL schema through search_path).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { createGroup } from '../../src/modules/groups/groups.service.js';
import { requestRegistration } from '../../src/modules/registrations/registrations.service.js';
import { updateSettings } from '../../src/modules/settings/settings.service.js';
import type { Storage } from '../../src/storage/database.js';
import { PASSWORD, startTestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { ruche } from '../helpers/cli.js';
import { cliEnvironmentOf, forEachDialect } from '../helpers/dialects.js';

const PUBLIC_URL = 'https://ruche.example.org';

/** Points the command line's configuration at the test's database. */
async function environmentFor(storage: Storage): Promise<Record<string, string>> {
  const common = { RUCHE_SECRET: 'cli-invitations-secret-0123456789', RUCHE_PUBLIC_URL: PUBLIC_URL, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' };
  return { ...common, ...(await cliEnvironmentOf(storage)) };
}

async function run(argv: string[]) {
  const { code, out, err } = await ruche(argv);
  return { code, out: out.text(), err: err.text() };
}

forEachDialect('invitation and registration commands', (open) => {
  let storage: Storage;
  const saved = { ...process.env };
  beforeEach(async () => {
    storage = await open();
    Object.assign(process.env, await environmentFor(storage));
    for (const [username, roles] of [['sponsor', ['inviter']], ['plain', ['member']], ['boss', ['admin']]] as const) {
      await createAccount(storage.db, SYSTEM, { username, password: PASSWORD, roles: [...roles] });
    }
  });
  afterEach(() => { process.env = { ...saved }; });

  it('creates invitations (operator with groups, a sponsor without), prints the link once, lists them by scope', async () => {
    const unknown = await run(['invitations', 'create', '--group', 'wiki']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('Only existing static groups can be joined by invitation');
    for (const name of ['wiki', 'vpn']) await createGroup(storage.db, SYSTEM, { name, label: name });
    const json = await run(['invitations', 'create', '--days', '3', '--group', 'wiki', '--group', 'vpn', '--note', 'for Zoé', '--json']);
    expect(json.code, json.err).toBe(0);
    const created = JSON.parse(json.out);
    expect(created).toMatchObject({ status: 'open', groups: ['wiki', 'vpn'], note: 'for Zoé', created_by: null });
    expect(created.link).toMatch(/^https:\/\/ruche\.example\.org\/invite\/[A-Za-z0-9_-]{43}$/);
    expect((Date.parse(created.expires_at) - Date.parse(created.created_at)) / 86_400_000).toBe(3);

    const plain = await run(['invitations', 'create', '--as', 'sponsor']);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out).toMatch(/^https:\/\/ruche\.example\.org\/invite\/[A-Za-z0-9_-]{43}\n$/);
    expect(plain.err).toContain('single use, valid until');
    const groups = await run(['invitations', 'create', '--as', 'sponsor', '--group', 'wiki']);
    expect(groups.code).toBe(1);
    expect(groups.err).toContain('Only group managers may add groups to an invitation.');
    const tooLong = await run(['invitations', 'create', '--days', '91']);
    expect(tooLong.code).toBe(1);
    expect(tooLong.err).toContain('days: Choose between 1 and 90 days.');
    const member = await run(['invitations', 'create', '--as', 'plain']);
    expect(member.code).toBe(1);
    expect(member.err).toContain('plain lacks the permission invitations:create');

    const own = JSON.parse((await run(['invitations', 'list', '--as', 'sponsor', '--json'])).out);
    expect(own.map((i: { created_by: { username: string } }) => i.created_by.username)).toEqual(['sponsor']);
    const all = await run(['invitations', 'list']);
    expect(all.out.trim().split('\n')).toHaveLength(2);
    expect(all.out).toMatch(/open\s+expires .* from -\s+groups wiki,vpn\s+for Zoé/);
    expect(JSON.stringify(await storage.db.selectFrom('invitations').selectAll().execute())).not.toContain(created.link.split('/').pop());

    // The printed link works in a browser against the same database.
    const t = await startTestApp(storage);
    try {
      const guest = new Browser(t.app);
      const token = plain.out.trim().split('/').pop()!;
      await guest.get(`/invite/${token}`);
      const accepted = await guest.post(`/invite/${token}`, { display_name: 'Zoé', email: 'zoe@example.org', username: 'zoe', password: PASSWORD, password_confirm: PASSWORD });
      expect(accepted.statusCode).toBe(303);
    } finally {
      await t.close();
    }
    expect((await run(['invitations', 'list', '--as', 'sponsor'])).out).toMatch(/used by zoe/);
  });

  it('lists, accepts and refuses registration requests', async () => {
    await updateSettings(storage.db, SYSTEM, { collective_name: 'Ruche', fiscal_year_start_month: 1, registration_open: true });
    const first = await requestRegistration(storage.db, { username: 'noor', email: 'noor@example.org', display_name: 'Noor', password: PASSWORD, password_confirm: PASSWORD, message: 'hello\nthere' }, 'fr');
    const second = await requestRegistration(storage.db, { username: 'sam', email: 'sam@example.org', display_name: 'Sam', password: PASSWORD }, 'en');
    const listed = await run(['registrations', 'list']);
    expect(listed.out).toMatch(/pending\s+noor\s+noor@example\.org\s+Noor\s+"hello there"/);
    expect((await run(['registrations', 'list', '--as', 'sponsor'])).err).toContain('sponsor lacks the permission registrations:manage');

    const accepted = await run(['registrations', 'accept', String(first.id), '--as', 'boss', '--json']);
    expect(accepted.code, accepted.err).toBe(0);
    expect(JSON.parse(accepted.out)).toMatchObject({ username: 'noor', roles: ['member'], locale: 'fr' });
    const again = await run(['registrations', 'accept', String(first.id)]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('This request was already decided.');
    const refused = await run(['registrations', 'refuse', String(second.id), '--reason', 'unknown to us']);
    expect(refused.out).toBe(`Refused request ${second.id} (sam).\n`);
    expect((await run(['registrations', 'accept', '999'])).err).toContain('No such request.');
    const all = JSON.parse((await run(['registrations', 'list', '--status', 'all', '--json'])).out);
    expect(all.map((r: { status: string; refusal_reason: string | null }) => [r.status, r.refusal_reason])).toEqual([['accepted', null], ['refused', 'unknown to us']]);
    const audit = await storage.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', 'like', 'registration.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['registration.request', 'registration.request', 'registration.accept', 'registration.refuse']);
    expect(audit[2].actor_label).toBe('boss');
    const decidedBy = await storage.db.selectFrom('registration_requests').select('decided_by_account_id').orderBy('id').execute();
    const boss = await storage.db.selectFrom('accounts').select('id').where('username', '=', 'boss').executeTakeFirstOrThrow();
    expect(decidedBy.map((r) => r.decided_by_account_id)).toEqual([boss.id, null]);
  });
});
