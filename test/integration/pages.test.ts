// The HTML pages as a browser without JavaScript uses them: forms, POST-redirect-GET, flashes, search, filters, paging, languages.
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);

/** The names listed in a people table, in order. */
function namesIn(page: string): string[] {
  return [...page.matchAll(/<tr><td><a href="\/people\/\d+">([^<]*)<\/a>/g)].map((m) => decode(m[1]));
}

/** The flash message shown at the top of a page, if any. */
function flashOf(page: string): string | undefined {
  const match = /<p class="flash info" role="status">([^<]*)<\/p>/.exec(page);
  return match ? decode(match[1]) : undefined;
}

/** The block of one form field: its label, control and error message. */
function fieldOf(page: string, name: string): string {
  const match = new RegExp(`<div class="field[^"]*"><label for="f-${name}">[\\s\\S]*?</div>`).exec(page);
  if (!match) throw new Error(`no field ${name} in the page`);
  return match[0];
}

/** The href of a link with this rel (pager). */
function linkOf(page: string, rel: string): string | undefined {
  const match = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(page);
  return match ? decode(match[1]) : undefined;
}

/** Asserts a POST-redirect and follows it. */
async function followRedirect(browser: Browser, response: LightMyRequestResponse, to?: string | RegExp): Promise<LightMyRequestResponse> {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
  const location = String(response.headers.location);
  if (typeof to === 'string') expect(location).toBe(to);
  else if (to) expect(location).toMatch(to);
  return browser.get(location);
}

const PERSON = {
  kind: 'individual', display_name: 'Hélène Dupont', sort_name: 'Dupont, Hélène', emails: 'helene@example.org\nfamily@example.org',
  phone: '+32 4 123 45 67', language: 'fr', tags: 'VPN, board', street: 'Rue Léopold 1', postal_code: '4000', city: 'Liège',
  country: 'Belgique', joined_on: '2023-05-01', left_on: '', left_reason: '', notes: 'pays by transfer',
};

forEachDialect('pages', (open) => {
  let t: TestApp;
  let token: string;
  beforeEach(async () => {
    t = await startTestApp(await open());
    token = await t.tokenFor(['admin']);
  });
  afterEach(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.api(token, method, url, payload);
  const personCount = async () => (await api('GET', '/api/v1/people')).json().total as number;

  it('logs in through the form and sends anonymous visitors to the login page', async () => {
    const anonymous = new Browser(t.app);
    const home = await anonymous.get('/people?q=x');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/login?next=%2Fpeople%3Fq%3Dx');
    const loginPage = await anonymous.get(String(home.headers.location));
    expect(loginPage.body).toContain('<input type="hidden" name="next" value="/people?q=x">');

    await t.tokenFor(['secretary'], 'sam');
    const wrong = await anonymous.post('/login', { login: 'sam', password: 'not the password', next: '/people?q=x' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Wrong username or password.');
    expect(fieldOf(wrong.body, 'login')).toContain('value="sam"');
    expect(fieldOf(wrong.body, 'password')).toContain('value=""');

    const ok = await anonymous.post('/login', { login: 'SAM', password: PASSWORD, next: '/people?q=x' });
    const people = await followRedirect(anonymous, ok, '/people?q=x');
    expect(people.statusCode).toBe(200);
    expect(people.body).toContain('<h1>People</h1>');
    expect(people.body).toContain('<a href="/account">sam</a>');
    // An outside address in `next` is not followed.
    await anonymous.post('/logout');
    await anonymous.get('/login');
    const outside = await anonymous.post('/login', { login: 'sam', password: PASSWORD, next: '//evil.example/' });
    expect(outside.headers.location).toBe('/');
  });

  it('creates a person through the form (POST, 303, flash on the next page) and re-renders invalid input with 422', async () => {
    const browser = await t.loginAs(['secretary']);
    const list = await browser.get('/people');
    expect(list.body).toContain('<a class="button" href="/people/new">New person</a>');
    const form = await browser.get('/people/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<form method="post" action="/people">');

    const invalid = await browser.post('/people', { ...PERSON, display_name: 'Marc Dupont', emails: 'marc@example.org\nnot-an-email', joined_on: '2023-02-30' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.headers['content-type']).toMatch(/^text\/html/);
    expect(invalid.body).toContain('<p class="errors" role="alert">Please correct the fields marked below.');
    expect(fieldOf(invalid.body, 'display_name')).toContain('value="Marc Dupont"');
    expect(fieldOf(invalid.body, 'city')).toContain('value="Liège"');
    expect(fieldOf(invalid.body, 'tags')).toContain('value="VPN, board"');
    expect(fieldOf(invalid.body, 'language')).toContain('<option value="fr" selected>');
    const emails = fieldOf(invalid.body, 'emails');
    expect(emails).toContain('>marc@example.org\nnot-an-email</textarea>');
    expect(emails).toContain('aria-invalid="true" aria-describedby="e-emails"');
    expect(emails).toContain('<p class="error" id="e-emails">This is not a valid e-mail address.</p>');
    expect(fieldOf(invalid.body, 'joined_on')).toContain('<p class="error" id="e-joined_on">Please enter a date as YYYY-MM-DD.</p>');
    expect(fieldOf(invalid.body, 'city')).not.toContain('class="error"');
    expect(await personCount()).toBe(0);

    const created = await browser.post('/people', PERSON);
    const page = await followRedirect(browser, created, /^\/people\/\d+$/);
    expect(page.statusCode).toBe(200);
    expect(flashOf(page.body)).toBe('Hélène Dupont was added.');
    expect(page.body).toContain('<h1>Hélène Dupont</h1>');
    expect(page.body).toContain('<a href="mailto:helene@example.org">helene@example.org</a>');
    expect(page.body).toContain('<a class="tag" href="/people?tag=vpn">vpn</a>');
    expect(page.body).toContain('Rue Léopold 1, 4000 Liège, Belgique');
    // The flash is shown once.
    expect(flashOf((await browser.get(String(created.headers.location))).body)).toBeUndefined();
    const person = (await api('GET', String(created.headers.location).replace('/people/', '/api/v1/people/'))).json();
    expect(person).toMatchObject({ display_name: 'Hélène Dupont', emails: ['helene@example.org', 'family@example.org'], tags: ['board', 'vpn'], language: 'fr' });
  });

  it('searches without accents, filters by status, year and tag, and pages through the results', async () => {
    const names = ['Hélène Dupont', 'Marc Dupont', 'Alice Martin', 'Zoé Lambert', 'Bob Peeters'];
    const ids: Record<string, number> = {};
    for (const [i, name] of names.entries()) {
      ids[name] = (await api('POST', '/api/v1/people', { display_name: name, tags: i % 2 ? ['vpn'] : ['cloud'] })).json().id;
    }
    await api('PUT', `/api/v1/people/${ids['Hélène Dupont']}/memberships/2025`, { status: 'member' });
    await api('PUT', `/api/v1/people/${ids['Alice Martin']}/memberships/2025`, { status: 'lapsed' });
    await api('PUT', `/api/v1/people/${ids['Alice Martin']}/memberships/2026`, { status: 'member' });
    const browser = await t.loginAs(['treasurer']);

    const search = await browser.get('/people?q=helene');
    expect(namesIn(search.body)).toEqual(['Hélène Dupont']);
    expect(search.body).toContain('<input type="search" name="q" value="helene"');
    expect(namesIn((await browser.get('/people?q=DUPONT')).body)).toEqual(['Hélène Dupont', 'Marc Dupont']);
    expect(namesIn((await browser.get('/people?q=zoe+lam')).body)).toEqual(['Zoé Lambert']);
    expect((await browser.get('/people?q=nobody')).body).toContain('Nobody matches.');

    const members2025 = await browser.get('/people?status=member&year=2025');
    expect(namesIn(members2025.body)).toEqual(['Hélène Dupont']);
    expect(members2025.body).toContain('<option value="member" selected>Member</option>');
    expect(members2025.body).toContain('name="year" value="2025"');
    expect(namesIn((await browser.get('/people?status=member&year=2026')).body)).toEqual(['Alice Martin']);
    expect(namesIn((await browser.get('/people?status=lapsed&year=2025')).body)).toEqual(['Alice Martin']);
    expect(namesIn((await browser.get('/people?status=none&year=2025')).body).sort()).toEqual(['Bob Peeters', 'Marc Dupont', 'Zoé Lambert']);
    // The status column shows the chosen year.
    expect((await browser.get('/people?q=alice&year=2025')).body).toContain('<td>Lapsed</td>');
    expect(namesIn((await browser.get('/people?tag=VPN')).body)).toEqual(['Marc Dupont', 'Zoé Lambert']);
    expect(namesIn((await browser.get('/people?tag=cloud&q=dupont')).body)).toEqual(['Hélène Dupont']);

    const sorted = [...names].sort((a, b) => a.normalize('NFKD').localeCompare(b.normalize('NFKD')));
    const first = await browser.get('/people?per_page=2');
    expect(namesIn(first.body)).toEqual(sorted.slice(0, 2));
    expect(first.body).toContain('Page 1 of 3 · 5 results');
    expect(linkOf(first.body, 'prev')).toBeUndefined();
    const second = await browser.get(linkOf(first.body, 'next') ?? 'missing next link');
    expect(namesIn(second.body)).toEqual(sorted.slice(2, 4));
    expect(second.body).toContain('Page 2 of 3');
    const prev = linkOf(second.body, 'prev') ?? 'missing prev link';
    expect(new URLSearchParams(prev.split('?')[1]).get('page')).toBeNull();
    expect(namesIn((await browser.get(prev)).body)).toEqual(sorted.slice(0, 2));
    const third = await browser.get(linkOf(second.body, 'next') ?? 'missing next link');
    expect(namesIn(third.body)).toEqual(sorted.slice(4));
    expect(linkOf(third.body, 'next')).toBeUndefined();
    // Paging keeps the filters.
    const filtered = await browser.get('/people?q=dupont&per_page=1');
    const next = linkOf(filtered.body, 'next') ?? '';
    expect(new URLSearchParams(next.split('?')[1]).get('q')).toBe('dupont');
    expect(namesIn((await browser.get(next)).body)).toEqual(['Marc Dupont']);
  });

  it('edits, deletes, lists in the trash, restores, and shows the history of the changes', async () => {
    const browser = await t.loginAs(['secretary'], 'sec');
    await browser.get('/people/new');
    const created = await browser.post('/people', PERSON);
    const url = String(created.headers.location);
    const id = Number(url.split('/').pop());

    const edit = await browser.get(`${url}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('<h1>Edit Hélène Dupont</h1>');
    expect(fieldOf(edit.body, 'emails')).toContain('>helene@example.org\nfamily@example.org</textarea>');
    expect(fieldOf(edit.body, 'tags')).toContain('value="board, vpn"');
    expect(fieldOf(edit.body, 'joined_on')).toContain('value="2023-05-01"');
    const invalidEdit = await browser.post(url, { ...PERSON, display_name: '' });
    expect(invalidEdit.statusCode).toBe(422);
    expect(fieldOf(invalidEdit.body, 'display_name')).toContain('This field is required.');
    const saved = await followRedirect(browser, await browser.post(url, { ...PERSON, city: 'Namur', postal_code: '5000', tags: 'vpn' }), url);
    expect(flashOf(saved.body)).toBe('Saved.');
    expect(saved.body).toContain('5000 Namur');

    const deleted = await followRedirect(browser, await browser.post(`${url}/delete`), '/people');
    expect(flashOf(deleted.body)).toBe('Deleted. It can be restored for 30 days from the deleted list.');
    expect(namesIn(deleted.body)).toEqual([]);
    expect((await browser.get(`${url}/edit`)).statusCode).toBe(404);
    const trash = await browser.get('/people/deleted');
    expect(trash.body).toContain('<h1>Deleted people</h1>');
    expect(namesIn(trash.body)).toEqual(['Hélène Dupont']);
    expect(trash.body).toContain(`<form method="post" action="/people/${id}/restore">`);
    const gone = await browser.get(url);
    expect(gone.body).toMatch(/This person was deleted on \d{4}-\d{2}-\d{2}\./);

    await browser.get('/people/deleted');
    const restored = await followRedirect(browser, await browser.post(`/people/${id}/restore`), url);
    expect(flashOf(restored.body)).toBe('Hélène Dupont was restored.');
    expect(namesIn((await browser.get('/people/deleted')).body)).toEqual([]);
    expect(namesIn((await browser.get('/people')).body)).toEqual(['Hélène Dupont']);

    const history = await browser.get(`${url}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('<h1>History of Hélène Dupont</h1>');
    const rows = [...history.body.matchAll(/<tr><td>([^<]+)<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td>/g)].map((m) => [m[2], m[3]]);
    expect(rows).toEqual([['sec', 'person.restore'], ['sec', 'person.delete'], ['sec', 'person.update'], ['sec', 'person.create']]);
    expect(history.body).toContain('<strong>city</strong>: <del>Liège</del> → <ins>Namur</ins>');
    expect(history.body).toContain('<strong>postal_code</strong>: <del>4000</del> → <ins>5000</ins>');
    const update = /<td>person\.update<\/td><td>(.*?)<\/td><\/tr>/.exec(history.body)?.[1] ?? '';
    expect(update).toContain('<strong>tags</strong>: <del>[&quot;board&quot;,&quot;vpn&quot;]</del> → <ins>[&quot;vpn&quot;]</ins>');
    expect(update).not.toContain('<strong>display_name</strong>');
    expect(update).not.toContain('<strong>emails</strong>');
  });

  it('keeps an organisation\'s contact persons when it is edited through the form', async () => {
    // The edit form has no contacts field, so saving it must leave the contacts alone.
    const contact = (await api('POST', '/api/v1/people', { display_name: 'Alice Martin' })).json();
    const org = (await api('POST', '/api/v1/people', { kind: 'organisation', display_name: 'Le Chaton', contacts: [{ contact_id: contact.id, role: 'treasurer' }] })).json();
    expect(org.contacts).toHaveLength(1);
    const browser = await t.loginAs(['secretary']);
    await browser.get(`/people/${org.id}/edit`);
    const saved = await browser.post(`/people/${org.id}`, { ...PERSON, kind: 'organisation', display_name: 'Le Chaton', emails: '', language: '', tags: '', city: 'Liège' });
    await followRedirect(browser, saved, `/people/${org.id}`);
    const after = (await api('GET', `/api/v1/people/${org.id}`)).json();
    expect(after.city).toBe('Liège');
    expect(after.contacts, 'contacts wiped by the edit form: personPatchInput must not default contacts to []').toEqual([
      { id: contact.id, display_name: 'Alice Martin', role: 'treasurer' },
    ]);
  });

  it('records memberships through the person page; an exclusion without a decision is refused next to the field', async () => {
    const { id } = (await api('POST', '/api/v1/people', { display_name: 'Alice Martin' })).json();
    const browser = await t.loginAs(['secretary']);
    const page = await browser.get(`/people/${id}`);
    expect(page.body).toContain(`<form method="post" action="/people/${id}/memberships">`);
    expect(page.body).toContain('No membership recorded yet.');

    const refused = await browser.post(`/people/${id}/memberships`, { year: '2026', status: 'excluded', changed_on: '2026-03-14', decision_ref: '', note: 'spam' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<h1>Alice Martin</h1>');
    const decision = fieldOf(refused.body, 'decision_ref');
    expect(decision).toContain('aria-invalid="true" aria-describedby="e-decision_ref"');
    expect(decision).toContain('<p class="error" id="e-decision_ref">An exclusion must cite the recorded decision of the general assembly.</p>');
    expect(fieldOf(refused.body, 'note')).toContain('value="spam"');
    expect(fieldOf(refused.body, 'status')).toContain('<option value="excluded" selected>');
    expect(fieldOf(refused.body, 'year')).toContain('value="2026"');
    expect((await api('GET', `/api/v1/people/${id}/memberships/2026`)).statusCode).toBe(404);

    const member = await followRedirect(browser, await browser.post(`/people/${id}/memberships`, { year: '2025', status: 'member', effective: 'on', changed_on: '2025-02-03' }), `/people/${id}#membership`);
    expect(flashOf(member.body)).toBe('Saved.');
    await followRedirect(browser, await browser.post(`/people/${id}/memberships`, { year: '2026', status: 'excluded', changed_on: '2026-03-14', decision_ref: 'AG 2026-03-14 #4' }));
    const after = await browser.get(`/people/${id}`);
    expect(after.body).toMatch(/<tr><td>2026<\/td><td>Excluded<\/td>\s*<td><\/td><td>2026-03-14<\/td><td>manual <span class="muted">\(recorded by hand: payments do not change it\)<\/span><\/td><td>AG 2026-03-14 #4<\/td><\/tr>/);
    expect(after.body).toMatch(/<tr><td>2025<\/td><td>Member<\/td>\s*<td>Effective<\/td><td>2025-02-03<\/td>/);
    expect((await api('GET', `/api/v1/people/${id}/memberships/2025`)).json()).toMatchObject({ status: 'member', effective: true });
  });

  it('switches language with POST /lang, remembers it for the account, and follows Accept-Language for visitors', async () => {
    const visitor = new Browser(t.app, { 'accept-language': 'nl-BE,nl;q=0.9,en;q=0.5' });
    const dutch = await visitor.get('/login');
    expect(dutch.body).toContain('<html lang="nl"');
    expect(dutch.body).toContain('<h1>Aanmelden</h1>');
    expect((await new Browser(t.app, { 'accept-language': 'de, fr;q=0.8' }).get('/login')).body).toContain('<h1>Connexion</h1>');
    expect((await new Browser(t.app).get('/login')).body).toContain('<html lang="en"');
    // A visitor's choice wins over the header.
    const chosen = await followRedirect(visitor, await visitor.post('/lang', { lang: 'fr', back: '/login' }), '/login');
    expect(chosen.body).toContain('<h1>Connexion</h1>');

    const browser = await t.loginAs(['secretary'], 'polyglot');
    const english = await browser.get('/people');
    expect(english.body).toContain('<html lang="en"');
    const french = await followRedirect(browser, await browser.post('/lang', { lang: 'fr', back: '/people?q=x' }), '/people?q=x');
    expect(french.body).toContain('<html lang="fr"');
    expect(french.body).toContain('<h1>Personnes</h1>');
    expect(french.body).toContain('<button name="lang" value="fr" lang="fr" aria-current="true">');
    const nl = await followRedirect(browser, await browser.post('/lang', { lang: 'nl', back: '/people' }), '/people');
    expect(nl.body).toContain('<html lang="nl"');
    expect(nl.body).toContain('<h1>Personen</h1>');
    // An unknown language changes nothing.
    expect((await followRedirect(browser, await browser.post('/lang', { lang: 'xx', back: '/people' }))).body).toContain('<h1>Personen</h1>');

    // Elsewhere (a new browser asking for English), the account's language comes back after logging in.
    const elsewhere = new Browser(t.app, { 'accept-language': 'en' });
    expect((await elsewhere.get('/login')).body).toContain('<html lang="en"');
    await elsewhere.login('polyglot', PASSWORD);
    const remembered = await elsewhere.get('/people');
    expect(remembered.body).toContain('<html lang="nl"');
    expect(remembered.body).toContain('<h1>Personen</h1>');
    expect((await elsewhere.get('/api/v1/me')).json().locale).toBe('nl');
  });
});
