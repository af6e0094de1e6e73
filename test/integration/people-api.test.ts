import { afterEach, beforeEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

forEachDialect('people API', (open) => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeEach(async () => {
    t = await startTestApp(await open());
    auth = { authorization: `Bearer ${await t.tokenFor(['secretary'])}` };
  });
  afterEach(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: auth, payload: payload as never });

  it('creates, reads, updates, searches, deletes and restores a person', async () => {
    const created = await call('POST', '/api/v1/people', { display_name: 'Hélène Dupont', sort_name: 'Dupont, Hélène', emails: ['Helene@Example.org', 'family@example.org'], tags: ['VPN', 'board'], joined_on: '2023-05-01' });
    expect(created.statusCode).toBe(201);
    const person = created.json();
    expect(person.emails).toEqual(['helene@example.org', 'family@example.org']);
    expect(person.tags).toEqual(['board', 'vpn']);

    await call('POST', '/api/v1/people', { display_name: 'Marc Dupont', emails: 'family@example.org' });
    const search = await call('GET', '/api/v1/people?q=helene');
    expect(search.json().items.map((p: { display_name: string }) => p.display_name)).toEqual(['Hélène Dupont']);
    const byEmail = await call('GET', '/api/v1/people?q=FAMILY@example');
    expect(byEmail.json().total).toBe(2);
    const byTag = await call('GET', '/api/v1/people?tag=vpn');
    expect(byTag.json().total).toBe(1);

    const patched = await call('PATCH', `/api/v1/people/${person.id}`, { city: 'Liège', notes: 'pays for Marc' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().city).toBe('Liège');
    expect(patched.json().emails).toHaveLength(2);
    expect((await call('GET', '/api/v1/people?q=liege')).json().total).toBe(1);

    expect((await call('DELETE', `/api/v1/people/${person.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/people/${person.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/people?q=helene')).json().total).toBe(0);
    expect((await call('POST', `/api/v1/people/${person.id}/restore`)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/people?q=helene')).json().total).toBe(1);

    const history = (await call('GET', `/api/v1/people/${person.id}/history`)).json().items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['person.restore', 'person.delete', 'person.update', 'person.create']);
    expect(history[2].before.city).toBeNull();
    expect(history[2].after.city).toBe('Liège');
    expect(history[2].actor).toMatch(/^user\d+secretary$/);
  });

  it('answers validation errors as JSON naming the fields, and changes nothing', async () => {
    const response = await call('POST', '/api/v1/people', { display_name: '', emails: ['not-an-email'], joined_on: '2023-02-30' });
    expect(response.statusCode).toBe(422);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.fields).sort()).toEqual(['display_name', 'emails', 'joined_on']);
    expect((await call('GET', '/api/v1/people')).json().total).toBe(0);
  });

  it('records memberships per fiscal year; an exclusion needs a decision', async () => {
    const { id } = (await call('POST', '/api/v1/people', { display_name: 'Alice Martin' })).json();
    expect((await call('GET', `/api/v1/people/${id}/memberships/2026`)).statusCode).toBe(404);
    const put = await call('PUT', `/api/v1/people/${id}/memberships/2026`, { status: 'member', effective: true, changed_on: '2026-02-03', source: 'bank transfer' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2026, status: 'member', effective: true, changed_on: '2026-02-03', source: 'bank transfer' });
    const refused = await call('PUT', `/api/v1/people/${id}/memberships/2026`, { status: 'excluded' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.fields.decision_ref).toBeTruthy();
    expect((await call('PUT', `/api/v1/people/${id}/memberships/2026`, { status: 'excluded', decision_ref: 'AG 2026-03-14 #4' })).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/people?status=excluded&year=2026')).json().total).toBe(1);
    expect((await call('GET', '/api/v1/people?status=member&year=2026')).json().total).toBe(0);
    expect((await call('GET', '/api/v1/people?status=none&year=2025')).json().total).toBe(1);
  });

  it('refuses bad tokens and unknown ids with JSON errors', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/people', headers: { authorization: 'Bearer nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('unauthorized');
    expect((await call('GET', '/api/v1/people/999999')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/people/abc')).json().error.code).toBe('not_found');
  });
});
