// Static groups through the JSON API and the pages: CRUD, members, reserved names, permissions, CSRF and the audit log.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('groups API and pages', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: unknown) => t.api(token, method, url, payload);
  const auditActions = async () => (await t.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'group').orderBy('id').execute()).map((r) => r.action);

  it('creates, lists, shows, changes, fills, empties and deletes a static group through the API, every change audited', async () => {
    const token = await t.tokenFor(['admin']);
    const zoe = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Zoë Peeters' });
    const created = await api('POST', '/api/v1/groups', token, { name: ' Wiki-Editors ', label: 'Wiki editors', description: 'Who edits the wiki' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/api/v1/groups/wiki-editors');
    expect(created.json()).toEqual({ name: 'wiki-editors', label: 'Wiki editors', description: 'Who edits the wiki', computed: false, member_count: 0 });

    const list = (await api('GET', '/api/v1/groups', token)).json().items as { name: string; computed: boolean }[];
    expect(list.filter((g) => g.computed).map((g) => g.name)).toEqual(expect.arrayContaining(['members', 'effective-members', 'board', 'role-admin', 'role-treasurer']));
    expect(list.find((g) => g.name === 'wiki-editors')).toMatchObject({ computed: false });

    const added = await api('POST', '/api/v1/groups/wiki-editors/members', token, { person_id: zoe.id });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ person_id: zoe.id, display_name: 'Zoë Peeters', added_by: expect.stringMatching(/^user\d+admin$/) });
    const again = await api('POST', '/api/v1/groups/wiki-editors/members', token, { person_id: zoe.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('This person is already in the group.');
    const unknown = await api('POST', '/api/v1/groups/wiki-editors/members', token, { person_id: 999999 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields.person_id).toBe('This person does not exist or was deleted.');

    const shown = (await api('GET', '/api/v1/groups/wiki-editors', token)).json();
    expect(shown).toMatchObject({ name: 'wiki-editors', member_count: 1, members: [{ person_id: zoe.id, display_name: 'Zoë Peeters' }] });

    const patched = await api('PATCH', '/api/v1/groups/wiki-editors', token, { name: 'wiki', label: 'Wiki' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'wiki', label: 'Wiki', description: 'Who edits the wiki', member_count: 1 });
    expect((await api('GET', '/api/v1/groups/wiki-editors', token)).statusCode).toBe(404);

    expect((await api('DELETE', `/api/v1/groups/wiki/members/${zoe.id}`, token)).statusCode).toBe(204);
    expect((await api('DELETE', `/api/v1/groups/wiki/members/${zoe.id}`, token)).statusCode).toBe(404);
    expect((await api('DELETE', '/api/v1/groups/wiki', token)).statusCode).toBe(204);
    expect((await api('GET', '/api/v1/groups/wiki', token)).json().error.code).toBe('not_found');
    expect(await auditActions()).toEqual(['group.create', 'group.member_add', 'group.update', 'group.member_remove', 'group.delete']);
  });

  it('refuses reserved and malformed names, taken names and edits of computed groups, with clear messages and no change', async () => {
    const token = await t.tokenFor(['admin']);
    for (const name of ['members', 'effective-members', 'board', 'role-admin', 'role-future']) {
      const response = await api('POST', '/api/v1/groups', token, { name, label: 'X' });
      expect(response.statusCode, name).toBe(422);
      expect(response.json().error.message).toBe(`The name "${name}" is reserved for a computed group (members, effective-members, board, role-...).`);
      expect(response.json().error.fields.name).toBe('This name is reserved for a computed group.');
    }
    for (const name of ['Bad Name', 'wiki_', '-wiki', 'wiki--x', 'é']) {
      expect((await api('POST', '/api/v1/groups', token, { name, label: 'X' })).json().error.fields.name, name).toContain('lower-case letters');
    }
    expect((await api('POST', '/api/v1/groups', token, { name: 'ops' })).json().error.fields.label).toBeTruthy();
    expect((await api('POST', '/api/v1/groups', token, { name: 'ops', label: 'Ops' })).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/groups', token, { name: 'ops', label: 'Again' })).json().error).toMatchObject({ code: 'conflict', message: 'A group with this name already exists.' });
    expect((await api('PATCH', '/api/v1/groups/ops', token, { name: 'board' })).statusCode).toBe(422);
    const computed = await api('PATCH', '/api/v1/groups/members', token, { label: 'Mine' });
    expect(computed.statusCode).toBe(409);
    expect(computed.json().error.message).toBe('Computed groups follow the data and cannot be edited.');
    expect((await api('DELETE', '/api/v1/groups/board', token)).statusCode).toBe(409);
    expect((await api('POST', '/api/v1/groups/role-admin/members', token, { person_id: 1 })).statusCode).toBe(409);
    const french = await t.app.inject({ method: 'POST', url: '/api/v1/groups', headers: { authorization: `Bearer ${token}`, 'accept-language': 'fr' }, payload: { name: 'board', label: 'X' } });
    expect(french.json().error.message).toContain('est réservé à un groupe calculé');
    const groups = (await api('GET', '/api/v1/groups', token)).json().items as { name: string; computed: boolean }[];
    expect(groups.filter((g) => !g.computed).map((g) => g.name)).toEqual(['ops']);
    expect(await auditActions()).toEqual(['group.create']);
  });

  it('answers 403 to roles without groups:manage, on the API and the pages', async () => {
    for (const role of ['treasurer', 'secretary', 'member', 'inviter']) {
      const token = await t.tokenFor([role]);
      expect((await api('GET', '/api/v1/groups', token)).statusCode, role).toBe(403);
      expect((await api('POST', '/api/v1/groups', token, { name: 'x', label: 'X' })).statusCode, role).toBe(403);
      expect((await api('GET', '/api/v1/groups/members', token)).statusCode, role).toBe(403);
    }
    const secretary = await t.loginAs(['secretary']);
    expect(secretary.lastPage).not.toContain('href="/groups"');
    expect((await secretary.get('/groups')).statusCode).toBe(403);
    expect((await secretary.get('/groups/members')).statusCode).toBe(403);
    expect((await secretary.post('/groups', { name: 'x', label: 'X' })).statusCode).toBe(403);
    expect(await auditActions()).toEqual([]);
  });

  it('manages a static group through the pages, without JavaScript, refusing forged forms', async () => {
    const admin = await t.loginAs(['admin']);
    const zoe = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Zoë Peeters', emails: ['zoe@example.org'] });
    const hugo = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Hugo Claes', tags: ['board'] });
    expect(admin.lastPage).toContain('href="/groups"');
    const list = await admin.get('/groups');
    expect(list.statusCode).toBe(200);
    expect(list.body).toMatch(/<a href="\/groups\/board"><code>board<\/code><\/a><\/td><td>Board<\/td>\s*<td><span class="tag">computed<\/span><\/td><td>1<\/td>/);

    const forged = await admin.post('/groups', { _csrf: 'forged', name: 'ops', label: 'Ops' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('This form has expired or did not come from Ruche');
    await admin.get('/groups');
    const reserved = await admin.post('/groups', { name: 'members', label: 'Mine', description: '' });
    expect(reserved.statusCode).toBe(422);
    expect(reserved.body).toContain('This name is reserved for a computed group.');
    expect(reserved.body).toContain('value="Mine"');

    const created = await admin.post('/groups', { name: 'ops', label: 'Operations', description: 'Server admins' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/groups/ops');
    const page = await admin.get('/groups/ops');
    expect(page.body).toContain('The group ops was created.');
    expect(page.body).toContain('Nobody is in this group.');

    const byId = await admin.post('/groups/ops/members', { person_id: String(zoe.id) });
    expect(byId.statusCode).toBe(303);
    const withZoe = await admin.get('/groups/ops');
    expect(withZoe.body).toContain('Zoë Peeters was added to the group.');
    expect(withZoe.body).toContain(`<a href="/people/${zoe.id}">Zoë Peeters</a>`);
    const wrongId = await admin.post('/groups/ops/members', { person_id: 'abc' });
    expect(wrongId.statusCode).toBe(422);
    expect(wrongId.body).toContain('Give the number of a person');

    const search = await admin.get('/groups/ops?q=hugo');
    expect(search.body).toContain('Hugo Claes');
    expect(search.body).toContain(`name="person_id" value="${hugo.id}"`);
    expect((await admin.post('/groups/ops/members', { person_id: String(hugo.id) })).statusCode).toBe(303);
    await admin.get('/groups/ops');
    expect((await admin.post(`/groups/ops/members/${zoe.id}/remove`, { _csrf: 'forged' })).statusCode).toBe(403);
    expect((await admin.post(`/groups/ops/members/${zoe.id}/remove`)).statusCode).toBe(303);
    const afterRemove = await admin.get('/groups/ops');
    expect(afterRemove.body).toContain('The person was removed from the group.');
    expect(afterRemove.body).not.toContain(`<a href="/people/${zoe.id}">`);

    const edit = await admin.get('/groups/ops/edit');
    expect(edit.body).toContain('value="Operations"');
    expect((await admin.post('/groups/ops', { name: 'ops-team', label: 'Operations team', description: '' })).headers.location).toBe('/groups/ops-team');
    const renamed = await admin.get('/groups/ops-team');
    expect(renamed.body).toContain('The group ops-team was saved.');
    expect(renamed.body).toContain(`<a href="/people/${hugo.id}">Hugo Claes</a>`);

    const computed = await admin.get('/groups/board');
    expect(computed.body).toContain('This group is computed');
    expect(computed.body).not.toContain('/groups/board/delete');
    expect(computed.body).toContain(`<a href="/people/${hugo.id}">Hugo Claes</a>`);
    expect((await admin.post('/groups/board/members', { person_id: String(zoe.id) })).statusCode).toBe(422);

    await admin.get('/groups/ops-team');
    const deleted = await admin.post('/groups/ops-team/delete');
    expect(deleted.headers.location).toBe('/groups');
    expect((await admin.get('/groups')).body).toContain('The group ops-team was deleted.');
    expect((await admin.get('/groups/ops-team')).statusCode).toBe(404);
    expect(await auditActions()).toEqual(['group.create', 'group.member_add', 'group.member_add', 'group.member_remove', 'group.update', 'group.delete']);
  });

  it('speaks French and Dutch on the pages', async () => {
    const admin = await t.loginAs(['admin']);
    await admin.post('/lang', { lang: 'fr', back: '/groups' });
    expect((await admin.get('/groups')).body).toContain('Membres en règle');
    await admin.post('/lang', { lang: 'nl', back: '/groups' });
    expect((await admin.get('/groups/role-treasurer')).body).toContain('Rol: Penningmeester');
  });
});
