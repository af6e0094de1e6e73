// Bank accounts added by the treasurer (API, page, CLI) for files that do not name theirs (QIF, most CSV), and the
// refusal of a chosen account that does not exist, before anything is written.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../src/storage/database.js';
import { csrfOf } from '../helpers/browser-client.js';
import { ruche } from '../helpers/cli.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect, forEachDialectCli } from '../helpers/dialects.js';
import { multipart } from '../helpers/multipart.js';

const QIF = '!Type:Bank\nD03/02/2026\nT25.00\nPAlice Martin\n^\nD04/02/2026\nT-7.50\nPBank fees\n^\n';

/** The rows an import or an account change writes, to compare before and after a refusal. */
async function written(db: Db) {
  return {
    accounts: await db.selectFrom('bank_accounts').selectAll().orderBy('id').execute(),
    imports: await db.selectFrom('bank_imports').select('id').execute(),
    movements: await db.selectFrom('bank_transactions').select('id').execute(),
  };
}

forEachDialect('bank accounts', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it('adds, lists and relabels accounts through the API, with an audit entry, and refuses duplicates and bad input', async () => {
    const token = await t.tokenFor(['treasurer']);
    const added = await t.api(token, 'POST', '/api/v1/bank/accounts', { iban: 'be68 5390 0754 7034', bic: 'gkccbebb', holder: 'Ruche asbl', label: 'Main' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ iban: 'BE68539007547034', number: null, bic: 'GKCCBEBB', holder: 'Ruche asbl', currency: 'EUR', label: 'Main' });
    const id = added.json().id as number;
    const dollars = await t.api(token, 'POST', '/api/v1/bank/accounts', { number: '000-123456-78', currency: 'usd' });
    expect(dollars.statusCode).toBe(201);
    expect(dollars.json()).toMatchObject({ iban: null, number: '000-123456-78', currency: 'USD', label: null });

    const relabelled = await t.api(token, 'PATCH', `/api/v1/bank/accounts/${id}`, { label: 'Current account' });
    expect(relabelled.statusCode).toBe(200);
    expect(relabelled.json()).toMatchObject({ id, label: 'Current account' });
    const list = await t.api(token, 'GET', '/api/v1/bank/accounts');
    expect(list.json().items.map((a: { iban: string | null; number: string | null; currency: string; label: string | null }) => [a.iban ?? a.number, a.currency, a.label]))
      .toEqual([['BE68539007547034', 'EUR', 'Current account'], ['000-123456-78', 'USD', null]]);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_type', '=', 'bank_account').orderBy('id').execute();
    expect(audit).toEqual([{ action: 'bank.account_add', entity_id: String(id) }, { action: 'bank.account_add', entity_id: String(dollars.json().id) }, { action: 'bank.account_label', entity_id: String(id) }]);

    const before = await written(t.ctx.db);
    const duplicate = await t.api(token, 'POST', '/api/v1/bank/accounts', { iban: 'BE68539007547034', currency: 'EUR' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toBe(`There is already a bank account BE68539007547034 in EUR (number ${id}).`);
    const badIban = await t.api(token, 'POST', '/api/v1/bank/accounts', { iban: 'BE68539007547035' });
    expect(badIban.statusCode).toBe(422);
    expect(badIban.json().error.fields).toEqual({ iban: 'This is not a valid IBAN.' });
    const badCurrency = await t.api(token, 'POST', '/api/v1/bank/accounts', { number: '42', currency: 'EURO' });
    expect(badCurrency.json().error.fields).toEqual({ currency: 'This is not an ISO 4217 currency code (three letters, e.g. EUR).' });
    const neither = await t.api(token, 'POST', '/api/v1/bank/accounts', { currency: 'EUR' });
    expect(Object.keys(neither.json().error.fields)).toEqual(['iban']);
    expect((await t.api(token, 'PATCH', '/api/v1/bank/accounts/999', { label: 'x' })).statusCode).toBe(404);
    expect(await written(t.ctx.db)).toEqual(before);

    const secretary = await t.tokenFor(['secretary']);
    expect((await t.api(secretary, 'GET', '/api/v1/bank/accounts')).statusCode).toBe(403);
    expect((await t.api(secretary, 'POST', '/api/v1/bank/accounts', { iban: 'NL91ABNA0417164300' })).statusCode).toBe(403);
    expect((await t.api(secretary, 'PATCH', `/api/v1/bank/accounts/${id}`, { label: 'x' })).statusCode).toBe(403);
    expect(await written(t.ctx.db)).toEqual(before);
  });

  it('adds an account from the page (linked from the bank page), keeps the input on an error, and refuses a forged form', async () => {
    const browser = await t.loginAs(['treasurer']);
    expect((await browser.get('/bank')).body).toContain('href="/bank/accounts"');
    const page = await browser.get('/bank/accounts', { 'accept-language': 'fr' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Aucun compte bancaire');
    expect(page.body).toMatch(/<label for="f-iban">IBAN/);
    expect(page.body).toMatch(/<label for="f-currency">Devise/);

    const forged = await browser.post('/bank/accounts', { iban: 'BE68539007547034', currency: 'EUR', _csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(await t.ctx.db.selectFrom('bank_accounts').selectAll().execute()).toHaveLength(0);

    await browser.get('/bank/accounts');
    const bad = await browser.post('/bank/accounts', { iban: 'BE00 1234', number: '', currency: 'CHF', bic: '', holder: '', label: 'Savings <Swiss>' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('This is not a valid IBAN.');
    expect(bad.body).toContain('aria-invalid="true" aria-describedby="e-iban"');
    expect(bad.body).toContain('value="BE00 1234"');
    expect(bad.body).toContain('value="Savings &lt;Swiss&gt;"');
    expect(await t.ctx.db.selectFrom('bank_accounts').selectAll().execute()).toHaveLength(0);

    const good = await browser.post('/bank/accounts', { iban: 'CH93 0076 2011 6238 5295 7', number: '', currency: 'chf', bic: '', holder: '', label: 'Savings <Swiss>' });
    expect(good.statusCode).toBe(303);
    const listed = (await browser.get('/bank/accounts')).body;
    expect(listed).toContain('Bank account added.');
    expect(listed).toMatch(/<td>CH9300762011623852957<\/td><td>CHF<\/td>/);
    expect(listed).toContain('value="Savings &lt;Swiss&gt;"');

    const again = await browser.post('/bank/accounts', { iban: 'CH9300762011623852957', number: '', currency: 'CHF', bic: '', holder: '', label: '' });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('There is already a bank account CH9300762011623852957 in CHF');
    const [account] = await t.ctx.db.selectFrom('bank_accounts').selectAll().execute();
    expect((await browser.post(`/bank/accounts/${account.id}/label`, { label: 'Épargne' })).statusCode).toBe(303);
    expect((await t.ctx.db.selectFrom('bank_accounts').select('label').executeTakeFirstOrThrow()).label).toBe('Épargne');

    const secretary = await t.loginAs(['secretary'], 'sec');
    expect((await secretary.get('/bank/accounts')).statusCode).toBe(403);
  });

  it('refuses an import into an account that does not exist, in the caller\'s language, writing nothing (API and web)', async () => {
    const token = await t.tokenFor(['treasurer']);
    const before = await written(t.ctx.db);
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports?account=99&qif_date_order=dmy', payload: QIF,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'accept-language': 'fr' } });
    expect(api.statusCode).toBe(422);
    expect(api.json().error).toEqual({ code: 'bank_account_unknown', message: 'Il n’y a pas de compte bancaire numéro 99. Ajoutez-le d’abord (Banque › Comptes, ou `ruche bank account add`), puis choisissez-le.' });
    expect(await written(t.ctx.db)).toEqual(before);

    const browser = await t.loginAs(['treasurer']);
    const bank = await browser.get('/bank', { 'accept-language': 'nl' });
    const body = multipart({ _csrf: csrfOf(bank.body), account: '99', qif_date_order: 'dmy' }, Buffer.from(QIF), 'statement.qif');
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const uploaded = await t.app.inject({ method: 'POST', url: '/bank/import', payload: body.payload, headers: { 'content-type': body.contentType, cookie } });
    expect(uploaded.statusCode).toBe(303);
    const preview = await browser.get(uploaded.headers.location as string, { 'accept-language': 'nl' });
    expect(preview.body).toContain('Er is geen bankrekening met nummer 99.');
    const confirm = await browser.post(uploaded.headers.location as string);
    expect(confirm.statusCode).toBe(422);
    expect(await written(t.ctx.db)).toEqual(before);
  });
});

forEachDialectCli('bank account commands', (database) => {
  let dir = '';
  const saved = { ...process.env };
  const run = async (argv: string[]) => {
    const { code, out, err } = await ruche(argv);
    return { code, out: out.text(), err: err.text() };
  };
  beforeAll(async () => {
    const { dataDir, databaseUrl } = database();
    dir = dataDir;
    Object.assign(process.env, { RUCHE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, RUCHE_SECRET: 'cli-bank-accounts-0123456789', LANG: 'C', LC_ALL: '', LC_MESSAGES: '' });
    expect((await run(['migrate'])).code).toBe(0);
  });
  afterAll(() => {
    process.env = saved;
  });

  it('adds a USD account and imports a QIF file into it; refuses an unknown account, writing nothing', async () => {
    expect((await run(['bank', 'accounts'])).out).toContain('No bank account yet');
    expect((await run(['bank', 'account', 'add', '--help'])).out).toContain('Usage: ruche bank account add (--iban IBAN | --number N) [--currency EUR]');
    const added = await run(['bank', 'account', 'add', '--number', '4711-0815', '--currency', 'USD', '--label', 'Dollar account', '--json']);
    expect(added.code).toBe(0);
    const account = JSON.parse(added.out);
    expect(account).toMatchObject({ number: '4711-0815', iban: null, currency: 'USD', label: 'Dollar account' });
    const duplicate = await run(['bank', 'account', 'add', '--number', '4711-0815', '--currency', 'USD']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toContain(`There is already a bank account 4711-0815 in USD (number ${account.id}).`);
    const listed = await run(['bank', 'accounts']);
    expect(listed.out).toMatch(new RegExp(`^\\s*${account.id}\\s+4711-0815\\s+USD\\s+Dollar account$`, 'm'));

    const file = join(dir, 'dollars.qif');
    writeFileSync(file, QIF);
    const unknown = await run(['bank', 'import', file, '--account', '99', '--qif-date-order', 'dmy']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('ruche bank import: dollars.qif: There is no bank account number 99. Add it first');
    expect(unknown.err).not.toMatch(/FOREIGN KEY|foreign key/);
    const fr = await (async () => {
      process.env.LANG = 'fr_BE.UTF-8';
      try { return await run(['bank', 'import', file, '--account', '99', '--qif-date-order', 'dmy', '--json']); } finally { process.env.LANG = 'C'; }
    })();
    expect(JSON.parse(fr.out)).toEqual([{ filename: 'dollars.qif', error: { code: 'bank_account_unknown', message: expect.stringContaining('Il n’y a pas de compte bancaire numéro 99.') } }]);
    expect(JSON.parse((await run(['bank', 'transactions', '--json'])).out)).toEqual([]);

    const imported = await run(['bank', 'import', file, '--account', String(account.id), '--qif-date-order', 'dmy', '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)[0]).toMatchObject({ format: 'qif', added: 2, statements: [{ account: '4711-0815', currency: 'USD', entries: 2 }] });
    const movements = JSON.parse((await run(['bank', 'transactions', '--json'])).out);
    expect(movements.map((m: { booking_date: string; amount_cents: number; currency: string; bank_account_id: number }) => [m.booking_date, m.amount_cents, m.currency, m.bank_account_id]))
      .toEqual([['2026-02-04', -750, 'USD', account.id], ['2026-02-03', 2500, 'USD', account.id]]);
  });
});
