// People export to CSV, XLSX and ODS, parsed back; header labels in the caller's language; audit entry; re-import adds nothing.
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { readCsv } from '../../src/exchange/csv-read.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { addPersonIban, referencesOf } from '../../src/modules/dues/person-payments.service.js';
import { currentFiscalYear, setMembership } from '../../src/modules/memberships/memberships.service.js';
import { exportPeople } from '../../src/modules/people-exchange/export.service.js';
import { importPeople } from '../../src/modules/people-exchange/import.service.js';
import { createPerson, deletePerson } from '../../src/modules/people/people.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

async function loadExcelJs(): Promise<typeof import('exceljs')> {
  return ((await import('exceljs')) as unknown as { default: typeof import('exceljs') }).default;
}

forEachDialect('people export', (open) => {
  let t: TestApp;
  let year: number;
  let ids: { helene: number; amis: number };
  beforeEach(async () => {
    t = await startTestApp(await open());
    const db = t.ctx.db;
    year = await currentFiscalYear(db);
    const helene = await createPerson(db, SYSTEM, {
      display_name: 'Hélène Dupont', sort_name: 'Dupont, Hélène', emails: ['helene@example.org', 'famille@example.org'], phone: '0470 12 34 56',
      street: "12 rue de l'Église", postal_code: '4000', city: 'Liège', country: 'Belgique', language: 'fr', tags: ['vpn', 'board'],
      notes: 'ligne 1\nligne 2; "citée"', joined_on: '2019-03-02',
    });
    await setMembership(db, SYSTEM, helene.id, year, { status: 'member' });
    await addPersonIban(db, SYSTEM, helene.id, 'be68 5390 0754 7034');
    await addPersonIban(db, SYSTEM, helene.id, 'NL91ABNA0417164300', 'import');
    const amis = await createPerson(db, SYSTEM, { kind: 'organisation', display_name: '=Les Amis', emails: ['contact@amis.example'], left_on: '2024-01-01', left_reason: 'dissolved' });
    ids = { helene: helene.id, amis: amis.id };
    const gone = await createPerson(db, SYSTEM, { display_name: 'Deleted Person' });
    await deletePerson(db, SYSTEM, gone.id);
  });
  afterEach(() => t.close());

  it('sends a CSV attachment with French headers that reads back, then re-imports as already present', async () => {
    const browser = await t.loginAs(['treasurer']);
    await browser.post('/lang', { lang: 'fr', back: '/' });
    const page = await browser.get('/people/export');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/people/export.ods"');
    const response = await browser.get('/people/export.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"$/);
    const table = readCsv(response.rawPayload);
    expect(table.headers).toEqual(['ID', 'Type', 'Nom', 'Nom de tri', 'Adresses e-mail', 'Téléphone', 'Rue et numéro', 'Code postal', 'Localité', 'Pays',
      'Langue préférée', 'Étiquettes', 'Notes', "Date d'arrivée", 'Date de départ', 'Motif du départ', `Adhésion ${year}`,
      'Communication structurée', 'Référence RF', 'IBAN connus']);
    // The Belgian reference starts with "+": the CSV guards it against formulas with a leading apostrophe.
    expect(table.rows.map((r) => r.cells.slice(1))).toEqual([
      ['Organisation', "'=Les Amis", '', 'contact@amis.example', '', '', '', '', '', '', '', '', '', '2024-01-01', 'dissolved', '',
        `'${referencesOf(ids.amis).belgian}`, referencesOf(ids.amis).rf, ''],
      ['Personne physique', 'Hélène Dupont', 'Dupont, Hélène', 'helene@example.org, famille@example.org', '0470 12 34 56', "12 rue de l'Église", '4000', 'Liège', 'Belgique',
        'fr', 'board, vpn', 'ligne 1\nligne 2; "citée"', '2019-03-02', '', '', 'Membre', `'${referencesOf(ids.helene).belgian}`, referencesOf(ids.helene).rf, 'BE68539007547034 NL91ABNA0417164300'],
    ]);
    const again = await importPeople(t.ctx.db, SYSTEM, response.rawPayload, { map: { Nom: 'display_name' } });
    expect(again).toMatchObject({ errors: [], created: 0, unchanged: 2, ibans_added: 0 });
    expect(again.fields.slice(-4)).toEqual(['ignore', 'ignore', 'ignore', 'iban']);
  });

  it('builds an XLSX that exceljs reads and an ODS whose mimetype comes first', async () => {
    const db = t.ctx.db;
    const xlsx = await exportPeople(db, SYSTEM, 'xlsx', 'nl');
    const workbook = new (await loadExcelJs()).Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('Personen');
    expect(sheet.getRow(1).getCell(3).value).toBe('Naam');
    expect(sheet.getRow(2).getCell(3).value).toBe('=Les Amis'); // a text cell, not a formula
    expect(sheet.getRow(3).getCell(3).value).toBe('Hélène Dupont');
    expect(sheet.getRow(3).getCell(17).value).toBe('Lid');
    expect(sheet.getRow(1).getCell(18).value).toBe('Gestructureerde mededeling');
    expect(sheet.getRow(3).getCell(18).value).toBe(referencesOf(ids.helene).belgian);
    expect(sheet.getRow(3).getCell(19).value).toBe(referencesOf(ids.helene).rf);
    expect(sheet.getRow(3).getCell(20).value).toBe('BE68539007547034 NL91ABNA0417164300');
    expect(sheet.getRow(2).getCell(18).value).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);
    expect(sheet.rowCount).toBe(3);

    const ods = await exportPeople(db, SYSTEM, 'ods', 'en');
    expect(ods.contentType).toBe('application/vnd.oasis.opendocument.spreadsheet');
    expect(ods.body.subarray(30, 38).toString()).toBe('mimetype');
    const content = strFromU8(unzipSync(new Uint8Array(ods.body))['content.xml']);
    expect(content).toContain('<text:p>Sort name</text:p>');
    expect(content).toContain('<text:p>Hélène Dupont</text:p>');
    expect(content).toContain(`<text:p>Membership ${year}</text:p>`);
    expect(content).toContain('<text:p>Payment reference</text:p>');
    expect(content).toContain('<text:p>Known IBANs</text:p>');
    expect(content).toContain('<text:p>BE68539007547034 NL91ABNA0417164300</text:p>');
    expect(content).not.toContain('Deleted Person');
  });

  it('exports through the API, records who exported what, and refuses members', async () => {
    const token = await t.tokenFor(['treasurer']);
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/people/export?format=ods', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/filename="people-[\d-]+\.ods"/);
    const history = await historyOf(t.ctx.db, 'people', 'export');
    expect(history[0]).toMatchObject({ action: 'people.export', after: { format: 'ods', count: 2 } });
    expect(history[0].actor).toMatch(/treasurer/);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/people/export?format=pdf', headers: { authorization: `Bearer ${token}` } });
    expect(bad.statusCode).toBe(422);
    const member = await t.loginAs(['member']);
    expect((await member.get('/people/export.csv')).statusCode).toBe(403);
    expect((await member.get('/people/export')).statusCode).toBe(403);
  });
});
