// A refused statement file through the API: the place in the file and the CSV profile's doubts are in the caller's
// language, like the rest of the message; an unknown CSV profile name lists the saved ones.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';
import { OFX_WITHOUT_ACCOUNT } from '../helpers/statements.js';

forEachDialect('places and names in import refusals', (open) => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeEach(async () => {
    t = await startTestApp(await open());
    auth = { authorization: `Bearer ${await t.tokenFor(['treasurer'])}` };
  });
  afterEach(() => t.close());

  const post = (query: string, type: string, payload: string, language: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/bank/imports${query}`, headers: { ...auth, 'content-type': type, 'accept-language': language }, payload });

  it('says where a file is broken in the caller’s language', async () => {
    const fr = await post('', 'application/x-ofx', OFX_WITHOUT_ACCOUNT, 'fr-BE');
    expect(fr.statusCode).toBe(422);
    expect(fr.json().error.message).toBe('Il manque au fichier OFX des éléments obligatoires (ligne 5 <STMTRS>) : <CURDEF>, <BANKACCTFROM>');
    const en = await post('', 'application/x-ofx', OFX_WITHOUT_ACCOUNT, 'en');
    expect(en.json().error.message).toBe('The OFX file lacks required elements (line 5 <STMTRS>): missing <CURDEF>, <BANKACCTFROM>');
    const xml = await post('', 'application/xml', '<Document><BkToCstmrStmt><Stmt>', 'nl');
    expect(xml.statusCode).toBe(422);
    expect(xml.json().error.message).toBe('Het XML-bestand is misvormd (regel 1 kolom 32). Het element <Stmt> wordt nooit gesloten');
    const csv = 'Date,Amount,Description\n01/02/2026,12.50,x\n03/04/2026,-5.00,y\n';
    const nl = await post('', 'text/csv', csv, 'nl');
    expect(nl.statusCode).toBe(422);
    expect(nl.json().error.message).toContain('in dit CSV-bestand (volgorde van dag en maand in de datums)');
    expect((await t.app.inject({ url: '/api/v1/bank/transactions', headers: auth })).json().items).toEqual([]);
  });

  it('names the saved CSV profiles when the one asked for does not exist', async () => {
    const profile = { name: 'my-bank', decimalComma: true, dateFormat: 'DD/MM/YYYY', delimiter: ';', columns: { date: 'Datum', amount: 'Bedrag' } };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/bank/profiles', headers: auth, payload: profile })).statusCode).toBe(200);
    const refused = await post('?profile=nope', 'text/csv', 'Datum;Bedrag\n03/02/2026;1,00\n', 'fr');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toEqual({ code: 'csv_profile_unknown', message: 'Aucun profil CSV ne s’appelle « nope ». Profils enregistrés : « my-bank ».' });
  });
});
