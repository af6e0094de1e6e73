// Self-registration with approval: closed by default, opened in the settings; requests wait in a queue where an admin
// accepts (the account is created with the password chosen at request time, hashed then) or refuses them.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';

const CHOSEN = 'my own long password';

function request(fields: Record<string, string> = {}) {
  return { display_name: 'Noor Peeters', email: 'noor@example.org', username: 'noor', password: CHOSEN, password_confirm: CHOSEN, message: 'Hello, I run the wiki of my street.', ...fields };
}

forEachDialect('self-registration', (open) => {
  let t: TestApp;
  let adminToken: string;
  beforeEach(async () => {
    t = await startTestApp(await open());
    adminToken = await t.tokenFor(['admin'], 'root');
  });
  afterEach(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, token = adminToken, payload?: unknown) => t.api(token, method, url, payload);
  const requests = () => t.ctx.db.selectFrom('registration_requests').selectAll().orderBy('id').execute();
  const openRegistration = () => api('PUT', '/api/v1/settings', adminToken, { collective_name: 'Café Réseau', fiscal_year_start_month: 1, registration_open: true });

  async function canLogIn(username: string, password: string): Promise<boolean> {
    const browser = new Browser(t.app);
    await browser.get('/login');
    return (await browser.post('/login', { login: username, password, next: '/' })).statusCode === 303;
  }

  it('is closed by default: the page says so and a submitted form records nothing', async () => {
    expect((await api('GET', '/api/v1/settings')).json().registration_open).toBe(false);
    const guest = new Browser(t.app);
    const page = await guest.get('/register');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Registration is closed.');
    expect(page.body).not.toContain('name="password"');
    const posted = await guest.post('/register', request());
    expect(posted.statusCode).toBe(409);
    expect(posted.body).toContain('Registration is closed.');
    expect(await requests()).toEqual([]);
  });

  it('opens from the settings page; a request waits, hashed, until an admin accepts it; the account then logs in', async () => {
    const admin = await t.loginAs(['admin'], 'boss');
    await admin.get('/settings');
    expect((await admin.post('/settings', { collective_name: 'Café Réseau', fiscal_year_start_month: '1', registration_open: 'on' })).statusCode).toBe(303);
    expect((await admin.get('/settings')).body).toMatch(/name="registration_open" value="on" checked/);

    const guest = new Browser(t.app, { 'accept-language': 'nl' });
    const form = await guest.get('/register');
    expect(form.body).toContain('Vragen om lid te worden van Café Réseau');
    const sent = await guest.post('/register', request());
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/login');
    expect((await guest.get('/login')).body).toContain('Uw aanvraag werd verstuurd.');
    const [stored] = await requests();
    expect(stored).toMatchObject({ username: 'noor', email: 'noor@example.org', status: 'pending', locale: 'nl', account_id: null });
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(CHOSEN);
    expect(await canLogIn('noor', CHOSEN)).toBe(false);

    const queue = await admin.get('/registrations');
    expect(queue.body).toContain('Hello, I run the wiki of my street.');
    expect(queue.body).toContain('Registration is open at http://127.0.0.1:8080/register.');
    const accepted = await admin.post(`/registrations/${stored.id}/accept`);
    expect(accepted.statusCode).toBe(303);
    expect((await admin.get('/registrations')).body).toContain('The request of noor was accepted');
    expect(await canLogIn('noor', CHOSEN)).toBe(true);
    const [decided] = await requests();
    expect(decided).toMatchObject({ status: 'accepted', password_hash: null });
    const account = (await api('GET', `/api/v1/accounts/${decided.account_id}`)).json();
    expect(account).toMatchObject({ username: 'noor', roles: ['member'], locale: 'nl', invitedBy: null });
    expect((await api('GET', `/api/v1/people/${account.personId}`)).json()).toMatchObject({ display_name: 'Noor Peeters', emails: ['noor@example.org'] });
    const audit = (await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_label']).execute());
    expect(audit).toEqual(expect.arrayContaining([
      { action: 'registration.request', actor_label: 'registration:noor' },
      { action: 'registration.accept', actor_label: 'boss' },
      { action: 'account.create', actor_label: 'boss' },
    ]));
    expect((await admin.post(`/registrations/${stored.id}/refuse`)).statusCode).toBe(303);
    expect((await admin.get('/registrations')).body).toContain('This request was already decided.');
  });

  it('refuses duplicate pending requests and taken usernames clearly, and bad input, keeping nothing', async () => {
    await openRegistration();
    await t.tokenFor(['member'], 'taken');
    const guest = new Browser(t.app);
    await guest.get('/register');
    expect((await guest.post('/register', request())).statusCode).toBe(303);
    await guest.get('/register');
    const sameName = await guest.post('/register', request({ email: 'other@example.org' }));
    expect(sameName.statusCode).toBe(422);
    expect(sameName.body).toContain('A request for this username is already waiting for approval.');
    const sameEmail = await guest.post('/register', request({ username: 'noor2', email: 'NOOR@example.org' }));
    expect(sameEmail.statusCode).toBe(422);
    expect(sameEmail.body).toContain('A request with this e-mail address is already waiting for approval.');
    expect(sameEmail.body).toContain('value="noor2"');
    const taken = await guest.post('/register', request({ username: 'taken', email: 'x@example.org' }));
    expect(taken.body).toContain('This username is already taken');
    const bad = await guest.post('/register', request({ username: 'fresh', email: 'fresh@example.org', password_confirm: 'not the same password' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The two passwords differ.');
    expect(bad.body).toContain('Hello, I run the wiki of my street.</textarea>');
    expect(await requests()).toHaveLength(1);

    // Once refused, the same username and address may ask again.
    const [first] = await requests();
    expect((await api('POST', `/api/v1/registrations/${first.id}/refuse`, adminToken, { reason: 'We do not know you yet.' })).statusCode).toBe(200);
    expect((await guest.post('/register', request())).statusCode).toBe(303);
    expect(await requests()).toHaveLength(2);
  });

  it('lets an admin refuse with a reason; the requester cannot log in and the hash is forgotten', async () => {
    await openRegistration();
    const guest = new Browser(t.app);
    await guest.get('/register');
    await guest.post('/register', request());
    const [pending] = await requests();
    const admin = await t.loginAs(['admin']);
    await admin.get('/registrations');
    expect((await admin.post(`/registrations/${pending.id}/refuse`, { reason: 'Please ask a member to sponsor you.' })).statusCode).toBe(303);
    const listed = await admin.get('/registrations?status=refused');
    expect(listed.body).toContain('Please ask a member to sponsor you.');
    expect(listed.body).toContain('<span class="tag">refused</span>');
    expect((await admin.get('/registrations')).body).toContain('No request.');
    const [refused] = await requests();
    expect(refused).toMatchObject({ status: 'refused', password_hash: null, refusal_reason: 'Please ask a member to sponsor you.', account_id: null });
    expect(await canLogIn('noor', CHOSEN)).toBe(false);
  });

  it('answers 403 to members, refuses forged forms, and works through the API', async () => {
    await openRegistration();
    const member = await t.loginAs(['member']);
    expect((await member.get('/registrations')).statusCode).toBe(403);
    const memberToken = await t.tokenFor(['inviter']);
    expect((await api('GET', '/api/v1/registrations', memberToken)).statusCode).toBe(403);

    const guest = new Browser(t.app);
    await guest.get('/register');
    expect((await guest.post('/register', request({ _csrf: 'forged' }))).statusCode).toBe(403);
    expect(await requests()).toEqual([]);
    await guest.post('/register', request());
    await guest.get('/register');
    await guest.post('/register', request({ username: 'second', email: 'second@example.org' }));
    const [noor, second] = (await api('GET', '/api/v1/registrations')).json().items;
    expect(noor).toMatchObject({ username: 'noor', status: 'pending', message: 'Hello, I run the wiki of my street.' });
    expect(noor).not.toHaveProperty('password_hash');

    const admin = await t.loginAs(['admin']);
    await admin.get('/registrations');
    expect((await admin.post(`/registrations/${noor.id}/accept`, { _csrf: 'forged' })).statusCode).toBe(403);
    expect((await requests())[0].status).toBe('pending');

    const accepted = await api('POST', `/api/v1/registrations/${noor.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', account: { username: 'noor', roles: ['member'] } });
    expect((await api('POST', `/api/v1/registrations/${noor.id}/accept`)).statusCode).toBe(409);
    const refused = await api('POST', `/api/v1/registrations/${second.id}/refuse`, adminToken, { reason: 'duplicate of a member' });
    expect(refused.json()).toMatchObject({ status: 'refused', refusal_reason: 'duplicate of a member' });
    expect((await api('POST', '/api/v1/registrations/9999/accept')).statusCode).toBe(404);
    expect((await api('GET', '/api/v1/registrations?status=all')).json().items).toHaveLength(2);
    expect((await api('GET', '/api/v1/registrations?status=nonsense')).statusCode).toBe(422);
    expect(await canLogIn('noor', CHOSEN)).toBe(true);
  });
});
