// The web import as a browser without JavaScript does it: upload (multipart), map and preview, dry run, import.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runHousekeeping } from '../../src/jobs/scheduler.js';
import { listPeople } from '../../src/modules/people/people.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type Browser, csrfOf } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';
import { multipart as multipartBody } from '../helpers/multipart.js';

const multipart = (fields: Record<string, string>, file: Buffer, filename = 'membres.csv') => multipartBody(fields, file, filename);

const galette = readFileSync(join(import.meta.dirname, '../fixtures/people/galette-export.csv'));

async function upload(browser: Browser, file: Buffer, fields: Record<string, string> = {}) {
  const page = await browser.get('/people/import');
  expect(page.statusCode).toBe(200);
  const { payload, contentType } = multipart({ _csrf: csrfOf(page.body), delimiter: 'auto', encoding: 'auto', ...fields }, file);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return browser.app.inject({ method: 'POST', url: '/people/import', payload, headers: { cookie, 'content-type': contentType } });
}

/** The form fields of the mapping page as the browser would submit them (hidden fields and selected options). */
function mappingFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="(delimiter|encoding)" value="([^"]*)">/g)) fields[m[1]] = m[2];
  for (const m of html.matchAll(/<select id="map-\d+" name="(map_\d+)">(.*?)<\/select>/gs)) {
    fields[m[1]] = /<option value="([^"]+)" selected>/.exec(m[2])![1];
  }
  return fields;
}

forEachDialect('people import pages', (open) => {
  let t: TestApp;
  const count = async () => (await listPeople(t.ctx.db, {}, { currentYear: 2026 })).total;
  beforeEach(async () => {
    t = await startTestApp(await open());
  });
  afterEach(() => t.close());

  it('uploads, previews with the guessed columns, checks, then imports and deletes the upload', async () => {
    const browser = await t.loginAs(['secretary']);
    const uploaded = await upload(browser, galette);
    expect(uploaded.statusCode).toBe(303);
    const location = String(uploaded.headers.location);
    expect(location).toMatch(/^\/people\/import\/[\w-]{16,}$/);

    const page = await browser.get(location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('4 rows, read as WINDOWS-1252, separator: Semicolon (;).');
    const fields = mappingFields(page.body);
    expect(fields).toMatchObject({ map_0: 'ignore', map_1: 'last_name', map_2: 'first_name', map_11: 'emails', map_12: 'emails', map_14: 'joined_on' });
    expect(page.body).toContain('Hélène Dupont');
    expect(page.body).toContain('Dupont, Hélène');

    const dry = await browser.post(location, { ...fields, action: 'dry_run' });
    expect(dry.statusCode).toBe(200);
    expect(dry.body).toContain('4 rows: 4 to create, 0 already present, 0 errors, 1 warnings.');
    expect(dry.body).toContain('The address helene@example.org is also on line 2.');
    expect(await count()).toBe(0);

    const done = await browser.post(location, { ...mappingFields(dry.body), action: 'import' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/people');
    expect((await browser.get('/people')).body).toContain('4 created, 0 already present.');
    expect(await count()).toBe(4);
    expect((await browser.get(location)).statusCode).toBe(404);

    const again = await upload(browser, galette);
    const second = await browser.get(String(again.headers.location));
    await browser.post(String(again.headers.location), { ...mappingFields(second.body), action: 'import' });
    expect((await browser.get('/people')).body).toContain('0 created, 4 already present.');
    expect(await count()).toBe(4);
  });

  it('re-renders a failed import with the errors by line, writing nothing; the column choices are the user\'s', async () => {
    const browser = await t.loginAs(['secretary']);
    const file = Buffer.from('Qui;Courriel\nAnne Petit;anne@example.org\nBob;bob(at)example.org\n');
    const location = String((await upload(browser, file, { delimiter: ';' })).headers.location);
    expect(location).toMatch(/\?delimiter=%3B$/);
    const page = await browser.get(location);
    const fields = mappingFields(page.body);
    expect(fields).toMatchObject({ delimiter: ';', map_0: 'ignore', map_1: 'emails' });
    const noName = await browser.post(location, { ...fields, action: 'import' });
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('No column gives the name');
    const failed = await browser.post(location, { ...fields, map_0: 'display_name', action: 'import' });
    expect(failed.statusCode).toBe(422);
    expect(failed.body).toContain('Nothing was imported.');
    expect(failed.body).toMatch(/<td>3<\/td><td>Courriel<\/td><td>bob\(at\)example.org<\/td><td>This is not a valid e-mail address.<\/td>/);
    expect(failed.body).toContain('<option value="display_name" selected>');
    expect(await count()).toBe(0);
  });

  it('shows unreadable files on the upload form, in the visitor\'s language', async () => {
    const browser = await t.loginAs(['secretary']);
    await browser.post('/lang', { lang: 'fr', back: '/' });
    const refused = await upload(browser, Buffer.from('Nom;Note\nAnne;"pas fermé\nBob;x\n'));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Un guillemet (&quot;) à la ligne 2 n’est jamais refermé');
    expect((await upload(browser, Buffer.alloc(0))).body).toContain('Le fichier est vide.');
  });

  it('keeps uploads private to their account, refuses a treasurer, and purges day-old uploads', async () => {
    const owner = await t.loginAs(['secretary']);
    const location = String((await upload(owner, galette)).headers.location);
    const other = await t.loginAs(['secretary']);
    expect((await other.get(location)).statusCode).toBe(404);
    expect((await other.get('/people/import/not-a-real-id')).statusCode).toBe(404);
    const treasurer = await t.loginAs(['treasurer']);
    expect((await treasurer.get('/people/import')).statusCode).toBe(403);

    await runHousekeeping(t.ctx);
    expect((await owner.get(location)).statusCode).toBe(200);
    const id = location.split('/').pop()!;
    await t.ctx.db.updateTable('uploads').set({ created_at: new Date(Date.now() - 25 * 3_600_000).toISOString() }).where('id', '=', id).execute();
    expect((await owner.get(location)).statusCode).toBe(404);
    await runHousekeeping(t.ctx);
    expect(await t.ctx.db.selectFrom('uploads').select('id').execute()).toEqual([]);
  });
});
