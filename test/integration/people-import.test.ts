// People import through the service and the JSON API, on both dialects, with the awkward files collectives really have.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { importPeople } from '../../src/modules/people-exchange/import.service.js';
import { createPerson, getPerson, listPeople } from '../../src/modules/people/people.service.js';
import type { Db } from '../../src/storage/database.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/people');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const utf8 = (text: string) => Buffer.from(text, 'utf-8');
const IMPORTER: Actor = { accountId: null, label: 'importer-test' };

async function people(db: Db) {
  const page = await listPeople(db, { per_page: 500 }, { currentYear: 2026 });
  return { total: page.total, byName: new Map(page.items.map((p) => [p.display_name, p])) };
}

// Line 2-3: a note with a quoted newline; line 4: empty; line 7: a broken e-mail.
const SEVENTH_LINE_BROKEN = 'nom;prénom;email;notes\n'
  + 'Dupont;Anne;anne@example.org;"deux\nlignes"\n'
  + '\n'
  + 'Durand;Bob;bob@example.org;\n'
  + 'Petit;Chloé;chloe@example.org;\n'
  + 'Grand;Denis;denis(at)example.org;\n'
  + 'Moyen;Eve;eve@example.org;\n';

forEachDialect('people import', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(await open());
  });
  afterEach(() => t.close());

  it('imports a Galette export in Windows-1252 with ";", combining names, addresses, phones and e-mail columns', async () => {
    const db = t.ctx.db;
    const result = await importPeople(db, IMPORTER, fixture('galette-export.csv'));
    expect(result).toMatchObject({ encoding: 'windows-1252', delimiter: ';', total: 4, created: 4, unchanged: 0, errors: [] });
    expect(result.warnings).toEqual([expect.objectContaining({ line: 4, field: 'emails', key: 'exchange.email_in_file', params: { email: 'helene@example.org', line: 2 } })]);
    const { total, byName } = await people(db);
    expect(total).toBe(4);
    const helene = await getPerson(db, byName.get('Hélène Dupont')!.id);
    expect(helene).toMatchObject({
      sort_name: 'Dupont, Hélène', street: "12 rue de l'Église, Boîte 3", postal_code: '4000', city: 'Liège', country: 'Belgique',
      phone: '0470 12 34 56', emails: ['helene@example.org', 'h.dupont@travail.example'], notes: 'Trésorière 2019–2021\npaie pour Marc',
      joined_on: '2019-03-02', language: 'fr',
    });
    const zoe = await getPerson(db, byName.get('Zoë Van den Berghe')!.id);
    expect(zoe).toMatchObject({ sort_name: 'Van den Berghe, Zoë', joined_on: '2021-09-15', language: 'nl', notes: "Œuvre d'art – “mosaïque”", phone: '09 123 45 67' });
    expect((await historyOf(db, 'person', helene.id))[0]).toMatchObject({ action: 'person.create', actor: 'importer-test' });
  });

  it('imports a Paheko export (UTF-8 with BOM, ",", day-first dates) and warns about shared addresses', async () => {
    const db = t.ctx.db;
    await createPerson(db, IMPORTER, { display_name: 'Jeanne Martin', emails: ['alice@example.fr'] });
    const result = await importPeople(db, IMPORTER, fixture('paheko-export.csv'));
    expect(result).toMatchObject({ encoding: 'utf-8', delimiter: ',', total: 4, created: 4, errors: [] });
    expect(result.fields).toEqual(['ignore', 'display_name', 'emails', 'street', 'postal_code', 'city', 'country', 'phone', 'joined_on', 'tags']);
    expect(result.warnings.map((w) => [w.line, w.key, w.params.email])).toEqual([
      [2, 'exchange.email_exists', 'alice@example.fr'],
      [4, 'exchange.email_in_file', 'famille.martin@example.fr'],
    ]);
    const { byName } = await people(db);
    const paul = await getPerson(db, byName.get('Martin Paul')!.id);
    expect(paul).toMatchObject({ emails: ['famille.martin@example.fr', 'paul@example.fr'], joined_on: '2020-01-05', tags: ['membres actifs'] });
    expect((await getPerson(db, byName.get('Association Les Amis')!.id)).joined_on).toBe('2023-12-31');
  });

  it('adds nothing when the same file is imported again, and a dry run writes nothing', async () => {
    const db = t.ctx.db;
    const dry = await importPeople(db, IMPORTER, fixture('paheko-export.csv'), { dryRun: true });
    expect(dry).toMatchObject({ dry_run: true, total: 4, created: 4, unchanged: 0 });
    expect((await people(db)).total).toBe(0);
    await importPeople(db, IMPORTER, fixture('paheko-export.csv'));
    const again = await importPeople(db, IMPORTER, fixture('paheko-export.csv'));
    expect(again).toMatchObject({ total: 4, created: 0, unchanged: 4, errors: [], warnings: [] });
    expect(again.preview.map((p) => p.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect((await people(db)).total).toBe(4);
  });

  it('treats a name differing only in case and accents, with the same e-mails, as already present; a repeated row is imported once', async () => {
    const db = t.ctx.db;
    await createPerson(db, IMPORTER, { display_name: 'Hélène Dupont', emails: ['helene@example.org'] });
    const file = utf8('Name,Email\nHELENE  dupont,Helene@Example.org\nBob,bob@example.org\nbob,BOB@example.org\n');
    const result = await importPeople(db, IMPORTER, file);
    expect(result).toMatchObject({ created: 1, unchanged: 2 });
    expect(result.warnings).toEqual([expect.objectContaining({ line: 4, key: 'exchange.duplicate_row', params: { line: 3 } })]);
    expect((await people(db)).total).toBe(2);
  });

  it('reports an invalid e-mail on line 7 as line 7 and writes nothing', async () => {
    const db = t.ctx.db;
    await createPerson(db, IMPORTER, { display_name: 'Already There' });
    const result = await importPeople(db, IMPORTER, utf8(SEVENTH_LINE_BROKEN));
    expect(result.created).toBe(0);
    expect(result.errors).toEqual([{ line: 7, column: 'email', field: 'emails', key: 'validation.email', params: {}, value: 'denis(at)example.org' }]);
    expect((await people(db)).total).toBe(1);
  });

  it('lists every invalid row (missing name, bad date, unknown language, left before joined) and writes nothing', async () => {
    const db = t.ctx.db;
    const file = utf8('Name;Language;Joined;Left\nAnne;fr;01/02/2020;\n;nl;;\nBob;Deutsch;2020-02-30;\nCarl;en;2020-05-01;2019-01-01\n');
    const result = await importPeople(db, IMPORTER, file);
    expect(result.errors.map((e) => [e.line, e.column, e.key])).toEqual([
      [3, 'Name', 'validation.required'],
      [4, 'Language', 'validation.choice'],
      [4, 'Joined', 'validation.date'],
      [5, 'Left', 'validation.left_before_joined'],
    ]);
    expect((await people(db)).total).toBe(0);
  });

  it('refuses binary junk, an unbalanced quote and a file without a name column, changing nothing', async () => {
    const db = t.ctx.db;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    await expect(importPeople(db, IMPORTER, png)).rejects.toMatchObject({ status: 422, code: 'import_unreadable', key: 'import.binary' });
    await expect(importPeople(db, IMPORTER, utf8('Name;Notes\nAnne;ok\nBob;"never closed\nCarl;x\n')))
      .rejects.toMatchObject({ key: 'import.bad_quotes', params: { line: 3 } });
    await expect(importPeople(db, IMPORTER, utf8('Email;City\na@b.org;Gent\n'))).rejects.toMatchObject({ key: 'exchange.no_name_column' });
    expect((await people(db)).total).toBe(0);
  });

  it('follows explicit column choices and reports progress', async () => {
    const db = t.ctx.db;
    const calls: [number, number][] = [];
    const file = utf8('Qui\tContact\tRemarque\nAnne Petit\tanne@example.org\tvia the fair\nBob Grand\t\t\n');
    const result = await importPeople(db, IMPORTER, file, { map: { Qui: 'display_name', '3': 'tags' }, onProgress: (done, total) => calls.push([done, total]) });
    expect(result).toMatchObject({ delimiter: '\t', fields: ['display_name', 'ignore', 'tags'], created: 2 });
    expect(calls).toEqual([[1, 2], [2, 2]]);
    const anne = await getPerson(db, (await people(db)).byName.get('Anne Petit')!.id);
    expect(anne).toMatchObject({ emails: [], tags: ['via the fair'] });
  });
});

forEachDialect('people import API', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(await open());
  });
  afterEach(() => t.close());

  const post = async (url: string, body: Buffer | string, roles = ['secretary'], type = 'text/csv') =>
    t.app.inject({ method: 'POST', url, payload: body, headers: { authorization: `Bearer ${await t.tokenFor(roles)}`, 'content-type': type } });

  it('checks with dry_run, maps with map=col=field, then imports a raw CSV body', async () => {
    const csv = 'Qui;Courriel;Divers\nAnne Petit;anne@example.org;x\n';
    const refused = await post('/api/v1/people/import?dry_run=true&map=Divers%3Dnotes', csv);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('import_mapping');
    const dry = await post('/api/v1/people/import?dry_run=true&map=Qui%3Ddisplay_name&map=Divers%3Dnotes', csv);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dry_run: true, total: 1, created: 1, columns: [{ header: 'Qui', field: 'display_name' }, { header: 'Courriel', field: 'emails' }, { header: 'Divers', field: 'notes' }] });
    expect((await people(t.ctx.db)).total).toBe(0);
    const done = await post('/api/v1/people/import?map=Qui=display_name&map=Divers=notes', csv);
    expect(done.json()).toMatchObject({ dry_run: false, created: 1, unchanged: 0 });
    expect((await people(t.ctx.db)).total).toBe(1);
  });

  it('answers 422 import_invalid with the rows, and reads Windows-1252 sent as octet-stream', async () => {
    const invalid = await post('/api/v1/people/import', SEVENTH_LINE_BROKEN);
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error).toMatchObject({ code: 'import_invalid', rows: [{ line: 7, column: 'email', field: 'emails', code: 'validation.email', message: 'This is not a valid e-mail address.' }] });
    expect((await people(t.ctx.db)).total).toBe(0);
    const latin = await post('/api/v1/people/import', fixture('galette-export.csv'), ['secretary'], 'application/octet-stream');
    expect(latin.json()).toMatchObject({ encoding: 'windows-1252', created: 4 });
    const junk = await post('/api/v1/people/import', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), ['secretary'], 'application/octet-stream');
    expect(junk.statusCode).toBe(422);
    expect(junk.json().error.code).toBe('import_unreadable');
  });

  it('refuses accounts without people:import (a treasurer) with 403', async () => {
    const response = await post('/api/v1/people/import', 'Name\nAnne\n', ['treasurer']);
    expect(response.statusCode).toBe(403);
    expect((await people(t.ctx.db)).total).toBe(0);
  });
});
