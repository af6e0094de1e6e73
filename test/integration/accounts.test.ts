import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('accounts and roles', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it('creates a login account for an existing person, who logs in by e-mail and sees only what the role allows', async () => {
    const alice = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Alice Martin', emails: ['alice@example.org'] });
    const admin = await t.loginAs(['admin']);
    const personPage = await admin.get(`/people/${alice.id}`);
    expect(personPage.body).toContain(`/accounts/new?person_id=${alice.id}`);
    const form = await admin.get(`/accounts/new?person_id=${alice.id}`);
    expect(form.body).toContain('Alice Martin');
    const created = await admin.post('/accounts', { username: 'alice', password: 'a long password indeed', person_id: String(alice.id), roles: ['treasurer'] });
    expect(created.statusCode).toBe(303);

    const browser = new Browser(t.app);
    await browser.login('ALICE@example.org', 'a long password indeed');
    expect((await browser.get('/people')).statusCode).toBe(200);
    expect((await browser.get('/accounts')).statusCode).toBe(403);
    const me = await browser.get('/api/v1/me');
    expect(me.json()).toMatchObject({ username: 'alice', person_id: alice.id, roles: ['treasurer'] });
    expect(me.json().permissions).toContain('dues:manage');
    expect(me.json().permissions).not.toContain('people:write');
  });

  it('refuses an account for a deleted or unknown person, and a taken username, keeping the typed values', async () => {
    const admin = await t.loginAs(['admin'], 'boss');
    await admin.get('/accounts/new');
    const unknown = await admin.post('/accounts', { username: 'ghost', password: 'a long password indeed', person_id: '999999' });
    expect(unknown.statusCode).toBe(422);
    const taken = await admin.post('/accounts', { username: 'Boss', password: 'a long password indeed', display_name: 'Another Boss' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('already taken');
    expect(taken.body).toContain('value="Another Boss"');
  });

  it('changes roles through the API and ends every session of a disabled account', async () => {
    const token = await t.tokenFor(['admin']);
    const auth = { authorization: `Bearer ${token}` };
    const bob = await t.loginAs(['member'], 'bob');
    const accounts = (await t.app.inject({ url: '/api/v1/accounts', headers: auth })).json().items;
    const bobId = accounts.find((a: { username: string }) => a.username === 'bob').id;
    const changed = await t.app.inject({ method: 'PUT', url: `/api/v1/accounts/${bobId}/roles`, headers: auth, payload: { roles: ['secretary'] } });
    expect(changed.json().roles).toEqual(['secretary']);
    expect((await bob.get('/people')).statusCode).toBe(200);
    const refused = await t.app.inject({ method: 'PUT', url: `/api/v1/accounts/${bobId}/roles`, headers: auth, payload: { roles: ['emperor'] } });
    expect(refused.statusCode).toBe(422);

    const admin = await t.loginAs(['admin']);
    await admin.get(`/accounts/${bobId}`);
    expect((await admin.post(`/accounts/${bobId}/disable`)).statusCode).toBe(303);
    expect((await bob.get('/people')).statusCode).toBe(302);
    expect((await bob.get('/api/v1/me')).statusCode).toBe(401);
  });
});

forEachDialect('self-service payment reference', (open) => {
  it('shows a member their own payment reference on their account page', async () => {
    const t = await startTestApp(await open());
    try {
      const person = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Dora Member' });
      const admin = await t.loginAs(['admin']);
      await admin.get(`/accounts/new?person_id=${person.id}`);
      await admin.post('/accounts', { username: 'dora', password: 'a long password indeed', person_id: String(person.id), roles: ['member'] });
      const dora = new Browser(t.app);
      await dora.login('dora', 'a long password indeed');
      const page = await dora.get('/account');
      expect(page.body).toContain(`+++900/0000/${String(person.id).padStart(3, '0')}`);
    } finally {
      await t.close();
    }
  });
});
