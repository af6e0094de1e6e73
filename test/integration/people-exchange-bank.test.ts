// Bank data in the people import and export: IBAN columns validated with their row and recorded for the person
// (also for one already present), payment references and known IBANs exported, and nothing added twice on re-import.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../../src/core/actor.js';
import { readCsv } from '../../src/exchange/csv-read.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { addPersonIban, personPayments, referencesOf } from '../../src/modules/dues/person-payments.service.js';
import { importAndAllocate } from '../../src/modules/dues/review.service.js';
import { exportPeople } from '../../src/modules/people-exchange/export.service.js';
import { autoMapping } from '../../src/modules/people-exchange/import.mapping.js';
import { ibansInCell, importPeople } from '../../src/modules/people-exchange/import.service.js';
import { createPerson, listPeople } from '../../src/modules/people/people.service.js';
import type { Db } from '../../src/storage/database.js';
import { camt054 } from '../fixtures/camt054.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

const utf8 = (text: string) => Buffer.from(text, 'utf-8');
const IMPORTER: Actor = { accountId: null, label: 'importer-test' };

async function byName(db: Db) {
  const page = await listPeople(db, { per_page: 500 }, { currentYear: 2026 });
  return new Map(page.items.map((p) => [p.display_name, p.id]));
}

const ibansOf = async (db: Db, id: number) => (await personPayments(db, id)).ibans.map((i) => [i.iban, i.source]);

const ibanAdds = async (db: Db, id: number) => (await historyOf(db, 'person', id)).filter((h) => h.action === 'person.iban_add').length;

describe('IBAN columns', () => {
  it('are recognised from their names in English, French and Dutch (case and accents ignored), the reference column ignored', () => {
    expect(autoMapping(['Nom', 'IBAN', 'Compte', 'Rekening', 'Rekeningnummer', 'Account', 'Bank account', 'Numéro de compte', 'N° de compte', 'iban 2', 'NUMERO DE COMPTE']))
      .toEqual(['display_name', 'iban', 'iban', 'iban', 'iban', 'iban', 'iban', 'iban', 'iban', 'iban', 'iban']);
    expect(autoMapping(['Name', 'Payment reference', 'Known IBANs', 'Communication structurée', 'IBAN connus', 'Gestructureerde mededeling', 'Gekende IBAN’s']))
      .toEqual(['display_name', 'ignore', 'iban', 'ignore', 'iban', 'ignore', 'iban']);
  });

  it('split a cell on commas, semicolons and spaces, keeping IBANs typed in groups of four whole', () => {
    expect(ibansInCell('BE71 0961 2345 6769')).toEqual(['BE71 0961 2345 6769']);
    expect(ibansInCell('BE71096123456769 NL91ABNA0417164300')).toEqual(['BE71096123456769', 'NL91ABNA0417164300']);
    expect(ibansInCell('BE71 0961 2345 6769 NL91 ABNA 0417 1643 00;GB29NWBK60161331926819, fr14 2004 1010 0505 0001 3M02 606'))
      .toEqual(['BE71 0961 2345 6769', 'NL91 ABNA 0417 1643 00', 'GB29NWBK60161331926819', 'fr14 2004 1010 0505 0001 3M02 606']);
    expect(ibansInCell(' ; BE00 1234 ,')).toEqual(['BE00 1234']);
  });
});

forEachDialect('people exchange with IBANs', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(await open());
  });
  afterEach(() => t.close());

  it('records every IBAN of one or several columns for the people created, then a re-import adds nothing', async () => {
    const db = t.ctx.db;
    const file = utf8('Nom;Prénom;Courriel;IBAN;Numéro de compte\n'
      + 'Dupont;Anne;anne@example.org;BE71 0961 2345 6769;nl91abna0417164300, GB29 NWBK 6016 1331 9268 19\n'
      + 'Grand;Bob;bob@example.org;;\n'
      + 'Petit;Chloé;;BE62-5100-0754-7061 BE71096123456769;\n');
    const dry = await importPeople(db, IMPORTER, file, { dryRun: true });
    expect(dry).toMatchObject({ created: 3, ibans_added: 5, errors: [] });
    expect(dry.fields).toEqual(['last_name', 'first_name', 'emails', 'iban', 'iban']);
    expect((await byName(db)).size).toBe(0);

    const result = await importPeople(db, IMPORTER, file);
    expect(result).toMatchObject({ created: 3, unchanged: 0, ibans_added: 5, errors: [] });
    const ids = await byName(db);
    expect(await ibansOf(db, ids.get('Anne Dupont')!)).toEqual([['BE71096123456769', 'import'], ['GB29NWBK60161331926819', 'import'], ['NL91ABNA0417164300', 'import']]);
    expect(await ibansOf(db, ids.get('Bob Grand')!)).toEqual([]);
    expect(await ibansOf(db, ids.get('Chloé Petit')!)).toEqual([['BE62510007547061', 'import'], ['BE71096123456769', 'import']]);
    expect((await historyOf(db, 'person', ids.get('Anne Dupont')!)).find((h) => h.action === 'person.iban_add')).toMatchObject({ actor: 'importer-test' });

    const again = await importPeople(db, IMPORTER, file);
    expect(again).toMatchObject({ created: 0, unchanged: 3, ibans_added: 0, errors: [] });
    expect(await ibanAdds(db, ids.get('Anne Dupont')!)).toBe(3);
    expect((await byName(db)).size).toBe(3);
  });

  it('reports an invalid IBAN on line 6 at line 6 and its own column, and writes nothing', async () => {
    const db = t.ctx.db;
    await createPerson(db, IMPORTER, { display_name: 'Already There', emails: ['there@example.org'] });
    // Lines 2-3: a note with a quoted newline; line 4: empty; line 6: the second IBAN of the second IBAN column is broken.
    const file = utf8('Name,Email,Notes,IBAN,IBAN 2\n'
      + 'Anne Dupont,anne@example.org,"two\nlines",BE71096123456769,\n'
      + '\n'
      + 'Already There,there@example.org,,NL91ABNA0417164300,\n'
      + 'Bob Grand,bob@example.org,,,"BE62 5100 0754 7061; BE62 5100 0754 7062"\n');
    const result = await importPeople(db, IMPORTER, file);
    expect(result.created).toBe(0);
    expect(result.ibans_added).toBe(0);
    expect(result.errors).toEqual([{ line: 6, column: 'IBAN 2', field: 'iban', key: 'dues.iban_invalid', params: {}, value: 'BE62 5100 0754 7062' }]);
    expect(result.preview.map((p) => p.status)).toEqual(['new', 'unchanged', 'invalid']);
    expect([...(await byName(db)).keys()]).toEqual(['Already There']);
    expect(await ibansOf(db, (await byName(db)).get('Already There')!)).toEqual([]);

    const token = await t.tokenFor(['secretary']);
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/people/import', payload: file, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
    expect(api.statusCode).toBe(422);
    expect(api.json().error).toMatchObject({ code: 'import_invalid', rows: [{ line: 6, column: 'IBAN 2', field: 'iban', code: 'dues.iban_invalid', message: 'This is not a valid IBAN.', value: 'BE62 5100 0754 7062' }] });
    expect((await byName(db)).size).toBe(1);
  });

  it('adds to a person already present only the IBANs they do not have yet, once', async () => {
    const db = t.ctx.db;
    const anne = await createPerson(db, SYSTEM, { display_name: 'Anne Dupont', emails: ['anne@example.org'] });
    await addPersonIban(db, SYSTEM, anne.id, 'BE71096123456769');
    // Line 3 repeats line 2 with another IBAN; the new IBAN is written on both lines.
    const file = utf8('Name,Email,Account\nANNE DUPONT,anne@example.org,BE71 0961 2345 6769 NL91ABNA0417164300\nAnne Dupont,Anne@example.org,NL91 ABNA 0417 1643 00;GB29NWBK60161331926819\n');
    const dry = await importPeople(db, IMPORTER, file, { dryRun: true });
    expect(dry).toMatchObject({ created: 0, unchanged: 2, ibans_added: 2 });
    expect(await ibansOf(db, anne.id)).toEqual([['BE71096123456769', 'manual']]);

    const done = await importPeople(db, IMPORTER, file);
    expect(done).toMatchObject({ created: 0, unchanged: 2, ibans_added: 2, errors: [] });
    expect(await ibansOf(db, anne.id)).toEqual([['BE71096123456769', 'manual'], ['GB29NWBK60161331926819', 'import'], ['NL91ABNA0417164300', 'import']]);
    expect(await ibanAdds(db, anne.id)).toBe(3);

    const again = await importPeople(db, IMPORTER, file);
    expect(again).toMatchObject({ created: 0, unchanged: 2, ibans_added: 0 });
    expect(await ibanAdds(db, anne.id)).toBe(3);
  });

  it('exports the payment reference and known IBANs, and the export re-imports as already present', async () => {
    const db = t.ctx.db;
    await importPeople(db, IMPORTER, utf8('Name;Email;IBAN\nAnne Dupont;anne@example.org;BE71096123456769 NL91ABNA0417164300\nBob Grand;;\n'));
    const ids = await byName(db);
    for (const locale of ['en', 'fr', 'nl'] as const) {
      const file = await exportPeople(db, SYSTEM, 'csv', locale);
      const table = readCsv(file.body);
      const headers = table.headers.slice(-3);
      expect(headers).toEqual({ en: ['Payment reference', 'RF reference', 'Known IBANs'], fr: ['Communication structurée', 'Référence RF', 'IBAN connus'], nl: ['Gestructureerde mededeling', 'RF-referentie', 'Gekende IBAN’s'] }[locale]);
      const [anne, bob] = [referencesOf(ids.get('Anne Dupont')!), referencesOf(ids.get('Bob Grand')!)];
      expect(table.rows.map((r) => r.cells.slice(-3))).toEqual([
        [`'${anne.belgian}`, anne.rf, 'BE71096123456769 NL91ABNA0417164300'],
        [`'${bob.belgian}`, bob.rf, ''],
      ]);
      const again = await importPeople(db, IMPORTER, file.body, locale === 'en' ? {} : { map: { [table.headers[2]]: 'display_name' } });
      expect(again).toMatchObject({ errors: [], created: 0, unchanged: 2, ibans_added: 0 });
    }
    expect(referencesOf(ids.get('Anne Dupont')!).belgian).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);
    expect(await ibanAdds(db, ids.get('Anne Dupont')!)).toBe(2);
  });

  it('lets a later bank payment from an imported IBAN find its person', async () => {
    const db = t.ctx.db;
    await importPeople(db, IMPORTER, utf8('Name,IBAN\nAlice Martin,BE62 5100 0754 7061\n'));
    const alice = (await byName(db)).get('Alice Martin')!;
    const result = await importAndAllocate(db, SYSTEM, camt054([{ id: 'I1', amount: '25.00', name: 'MARTIN ALICE', iban: 'BE62510007547061' }]), { filename: 'i.xml' });
    expect(result).toMatchObject({ added: 1, automatic: 1, toReview: 0 });
    expect((await personPayments(db, alice)).allocations).toEqual([expect.objectContaining({ amount_cents: 2500, kind: 'dues' })]);
  });
});
