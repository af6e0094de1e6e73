import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createPerson, getPerson } from '../../src/modules/people/people.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('organisation contacts through the pages', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it('finds a person, adds them as contact with a role, keeps them on edit, and removes them', async () => {
    const org = await createPerson(t.ctx.db, SYSTEM, { kind: 'organisation', display_name: 'Radio Panik asbl' });
    const bob = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Bob Lenoir', emails: ['bob@example.org'] });
    const browser = await t.loginAs(['secretary']);
    const search = await browser.get(`/people/${org.id}?contact_q=lenoir`);
    expect(search.body).toContain('Bob Lenoir');
    const added = await browser.post(`/people/${org.id}/contacts`, { contact_id: String(bob.id), role: 'technique' });
    expect(added.statusCode).toBe(303);
    expect((await getPerson(t.ctx.db, org.id)).contacts).toEqual([{ id: bob.id, display_name: 'Bob Lenoir', role: 'technique' }]);

    await browser.get(`/people/${org.id}/edit`);
    const edited = await browser.post(`/people/${org.id}`, { kind: 'organisation', display_name: 'Radio Panik ASBL', emails: 'info@panik.example' });
    expect(edited.statusCode).toBe(303);
    expect((await getPerson(t.ctx.db, org.id)).contacts).toHaveLength(1);

    const page = await browser.get(`/people/${bob.id}`);
    expect(page.body).toContain('Radio Panik ASBL');
    await browser.get(`/people/${org.id}`);
    expect((await browser.post(`/people/${org.id}/contacts/${bob.id}/remove`)).statusCode).toBe(303);
    expect((await getPerson(t.ctx.db, org.id)).contacts).toEqual([]);
  });

  it('refuses contact changes to a treasurer (no people:write)', async () => {
    const org = await createPerson(t.ctx.db, SYSTEM, { kind: 'organisation', display_name: 'Org' });
    const browser = await t.loginAs(['treasurer']);
    expect((await browser.post(`/people/${org.id}/contacts`, { contact_id: String(org.id) })).statusCode).toBe(403);
  });
});
