import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { importAndAllocate, reviewQueue } from '../../src/modules/dues/review.service.js';
import { createPerson, deletePerson } from '../../src/modules/people/people.service.js';
import { csrfOf } from '../helpers/browser-client.js';
import { multipart } from '../helpers/multipart.js';
import type { CsvProfile } from '../../src/modules/bank/parsers/types.js';
import type { Db } from '../../src/storage/database.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';
import { camt054 } from '../fixtures/camt054.js';
import { corpusFile, haveCorpus } from '../helpers/statements.js';

const HAVE_CORPUS = haveCorpus('bank re-import');
/** Every corpus file that imports (test_ofx_wrong.ofx is refused); QIF and CSV name no account: they go to one chosen. */
const CORPUS_FILES = ['coda-ontvangen-2012.txt', 'coda-v2.3-single.txt', 'coda-v2.3-multi.txt', 'test-camt053.xml', 'test-camt053-txdtls.xml',
  'test-camt053-no-ntry.xml', 'test-camt054.xml', 'test_ofx.ofx', 'test_ofx_iban.ofx', 'test_qif.qif', 'sample_statement_en.csv', 'debit_credit.csv', 'multi_currency.csv'];
const NEEDS_ACCOUNT = /\.(qif|csv)$/;
/** The CSV files' column profiles, as the corpus README describes them: US dates, thousands separators, a D/C column, a currency column. */
const ENGLISH: CsvProfile = {
  name: 'en', delimiter: ',', decimalComma: false, dateFormat: 'MM/DD/YYYY',
  columns: { date: 'Date', amount: 'Amount', counterpartyName: 'Partner Name', counterpartyAccount: 'Bank Account', communication: 'Label' },
};
const PROFILES: Record<string, CsvProfile> = {
  'sample_statement_en.csv': ENGLISH,
  'debit_credit.csv': { ...ENGLISH, columns: { ...ENGLISH.columns, indicator: 'D/C' }, debitValues: ['D'] },
  'multi_currency.csv': { ...ENGLISH, columns: { ...ENGLISH.columns, currency: 'Currency' } },
};

/** The rows of the tables an import writes, to compare before and after. */
async function tables(db: Db) {
  return {
    statements: await db.selectFrom('bank_statements').selectAll().orderBy('id').execute(),
    movements: await db.selectFrom('bank_transactions').select(['id', 'identity', 'statement_id', 'amount_cents']).orderBy('id').execute(),
    allocations: await db.selectFrom('allocations').selectAll().orderBy('id').execute(),
  };
}

async function newAccount(db: Db, currency: string): Promise<number> {
  const row = await db.insertInto('bank_accounts').values({ iban: null, number: `local-${currency}`, bic: null, holder: null, currency, label: null, created_at: '2026-01-01T00:00:00Z' })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

forEachDialect('bank import, more', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it.skipIf(!HAVE_CORPUS)('imports every corpus file twice: the second import adds no statement, movement or allocation, and still reports the balances', async () => {
    const accountId = await newAccount(t.ctx.db, 'EUR');
    for (const name of CORPUS_FILES) {
      const request = { filename: name, ...(NEEDS_ACCOUNT.test(name) ? { accountId, qifDateOrder: 'mdy' as const, csvProfile: PROFILES[name] } : {}) };
      const first = await importAndAllocate(t.ctx.db, SYSTEM, corpusFile(name), request);
      expect(first.added, name).toBeGreaterThanOrEqual(name.includes('no-ntry') ? 0 : 1);
      const before = await tables(t.ctx.db);
      const again = await importAndAllocate(t.ctx.db, SYSTEM, corpusFile(name), request);
      expect(await tables(t.ctx.db), name).toEqual(before);
      expect(again.added, name).toBe(0);
      expect(again.statements.map((s) => [s.statementRef, s.opening, s.closing, s.entries]), name).toEqual(first.statements.map((s) => [s.statementRef, s.opening, s.closing, s.entries]));
    }
    const statements = await t.ctx.db.selectFrom('bank_statements').select(['bank_account_id', 'statement_ref']).where('statement_ref', 'is not', null).execute();
    const keys = statements.map((s) => `${s.bank_account_id} ${s.statement_ref}`);
    expect(keys.filter((k) => k.endsWith(' 2012/135'))).toHaveLength(1);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('previews the proposed matches of the credits on the web, with the file\'s own name, and writes nothing until confirmed', async () => {
    const alice = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Alice Martin' });
    const file = camt054([
      { id: 'W1', amount: '25.00', ref: personReference(alice.id), name: 'MARTIN ALICE' },
      { id: 'W2', amount: '10.00', name: 'Someone Unknown', text: 'merci' },
      { id: 'W3', amount: '-7.50', name: 'Bank', text: 'frais' },
    ]);
    const browser = await t.loginAs(['treasurer']);
    const bank = await browser.get('/bank');
    const body = multipart({ _csrf: csrfOf(bank.body) }, file, 'C:\\Users\\tresorier\\relevé <février>.xml');
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const uploaded = await t.app.inject({ method: 'POST', url: '/bank/import', payload: body.payload, headers: { 'content-type': body.contentType, cookie } });
    expect(uploaded.statusCode).toBe(303);
    const preview = (await browser.get(uploaded.headers.location as string)).body;
    expect(preview).toContain('relevé &lt;février&gt;.xml');
    expect(preview).not.toContain('tresorier');
    const table = preview.slice(preview.indexOf('Proposed matches'));
    const rows = [...table.matchAll(/<tr><td>(.*?)<\/tr>/gs)].map((m) => m[1]);
    expect(rows).toHaveLength(2); // the credits only
    expect(rows[0]).toContain('Alice Martin');
    expect(rows[0]).toContain('MARTIN ALICE');
    expect(rows[0]).toContain('Structured reference +++');
    expect(rows[0]).toContain('assigned automatically');
    expect(rows[0]).toMatch(/25\.00/);
    expect(rows[1]).toContain('Someone Unknown');
    expect(rows[1]).toContain('Nobody recognised');
    expect(rows[1]).toContain('to review');
    expect(await t.ctx.db.selectFrom('bank_transactions').selectAll().execute()).toHaveLength(0);

    const action = /<form method="post" action="(\/bank\/import\/[^"]+)"/.exec(preview)?.[1].replaceAll('&amp;', '&');
    expect((await browser.post(action as string)).statusCode).toBe(303);
    const imports = await t.ctx.db.selectFrom('bank_imports').select('filename').execute();
    expect(imports.map((i) => i.filename)).toEqual(['relevé <février>.xml']);
  });

  it('keeps an uploaded file after a refusal, to read it again with the QIF date order the refusal asks for', async () => {
    const account = await t.ctx.db.insertInto('bank_accounts').values({ iban: null, number: '123-4567890-12', bic: null, holder: null, currency: 'EUR', label: null, created_at: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
    const qif = Buffer.from('!Type:Bank\nD03/02/2026\nT25.00\nPAnn Peeters\n^\nD04/02/2026\nT-7.50\nPBank\n^\n');
    const browser = await t.loginAs(['treasurer']);
    const body = multipart({ _csrf: csrfOf((await browser.get('/bank')).body), account: String(account.id) }, qif, 'ann.qif');
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const uploaded = await t.app.inject({ method: 'POST', url: '/bank/import', payload: body.payload, headers: { 'content-type': body.contentType, cookie } });
    const refused = (await browser.get(uploaded.headers.location as string)).body;
    expect(refused).toContain('role="alert"');
    const again = /<form method="get" action="(\/bank\/import\/[^"]+)">([\s\S]*?)<\/form>/.exec(refused);
    expect(again?.[2]).toContain(`<option value="${account.id}" selected>`);
    const read = await browser.get(`${again?.[1]}?account=${account.id}&qif_date_order=dmy`);
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('123-4567890-12');
    expect(read.body).toContain('Ann Peeters');
    expect(await t.ctx.db.selectFrom('bank_transactions').selectAll().execute()).toHaveLength(0);
  });

  it('lists the first credits\' proposals and counts the rest, in French too', async () => {
    const credits = Array.from({ length: 130 }, (_, i) => ({ id: `M${i}`, amount: `${10 + i}.00`, name: `Payeur ${i}` }));
    const browser = await t.loginAs(['treasurer']);
    const bank = await browser.get('/bank', { 'accept-language': 'fr' });
    const body = multipart({ _csrf: csrfOf(bank.body) }, camt054(credits), 'many.xml');
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const uploaded = await t.app.inject({ method: 'POST', url: '/bank/import', payload: body.payload, headers: { 'content-type': body.contentType, cookie } });
    const preview = (await browser.get(uploaded.headers.location as string, { 'accept-language': 'fr' })).body;
    const table = preview.slice(preview.indexOf('Correspondances proposées'));
    expect([...table.matchAll(/<tr><td>/g)]).toHaveLength(100);
    expect(table).toContain('Et 30 autres crédits');
    expect(table).toContain('Payeur 99');
    expect(table).not.toContain('Payeur 100<');
  });

  it('returns the proposals in an API dry run, and keeps the name of the file sent as the body or as multipart', async () => {
    const bob = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Bob Lenoir' });
    const token = await t.tokenFor(['treasurer']);
    const file = camt054([{ id: 'A1', amount: '30.00', ref: personReference(bob.id), name: 'LENOIR BOB' }, { id: 'A2', amount: '12.00', name: 'X' }]);
    const auth = { authorization: `Bearer ${token}` };
    const dry = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports?dry_run=1', headers: { ...auth, 'content-type': 'application/xml' }, payload: file });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({
      dryRun: true, filename: 'api', proposalsNotShown: 0,
      proposals: [
        { bookingDate: '2026-02-03', amountCents: 3000, currency: 'EUR', counterpartyName: 'LENOIR BOB', people: [{ id: bob.id, displayName: 'Bob Lenoir', amountCents: 3000 }], kind: 'dues', status: 'auto', reason: { key: 'dues.reason.reference' } },
        { amountCents: 1200, people: [], status: 'to_review', reason: { key: 'dues.reason.none' } },
      ],
    });
    expect(await t.ctx.db.selectFrom('bank_transactions').selectAll().execute()).toHaveLength(0);

    const named = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports?filename=..%2F..%2Fetc%2Fjanvier.xml', headers: { ...auth, 'content-type': 'application/xml' }, payload: file });
    expect(named.statusCode).toBe(201);
    expect(named.json()).toMatchObject({ filename: 'janvier.xml', added: 2 });
    expect(named.json()).not.toHaveProperty('proposals');

    const second = camt054([{ id: 'A3', amount: '5.00', name: 'Y' }]);
    const disposed = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports', headers: { ...auth, 'content-type': 'application/xml', 'content-disposition': 'attachment; filename="fevrier.xml"; filename*=UTF-8\'\'f%C3%A9vrier.xml' }, payload: second });
    expect(disposed.json()).toMatchObject({ filename: 'février.xml', added: 1 });

    const body = multipart({}, camt054([{ id: 'A4', amount: '6.00', name: 'Z' }]), 'mars\u0007.xml');
    const uploaded = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports', headers: { ...auth, 'content-type': body.contentType }, payload: body.payload });
    expect(uploaded.statusCode).toBe(201);
    expect(uploaded.json()).toMatchObject({ filename: 'mars.xml', added: 1, format: 'camt.054' });
    const stored = await t.ctx.db.selectFrom('bank_imports').select('filename').orderBy('id').execute();
    expect(stored.map((i) => i.filename)).toEqual(['janvier.xml', 'février.xml', 'mars.xml']);
  });

  it('reads a QIF or CSV file without a currency in the currency of the account chosen for it', async () => {
    const usd = await newAccount(t.ctx.db, 'USD');
    const qif = Buffer.from('!Type:Bank\nD01/15/2026\nT-12.50\nPShop\n^\nD01/16/2026\nT40.00\nPDonor\n^\n');
    const summary = await importAndAllocate(t.ctx.db, SYSTEM, qif, { filename: 'usd.qif', accountId: usd });
    expect(summary.statements[0]).toMatchObject({ currency: 'USD' });
    const csv = Buffer.from('Date,Amount,Partner Name,Label\n01/20/2026,"1,525.00",Azure Interior,invoice\n');
    await importAndAllocate(t.ctx.db, SYSTEM, csv, { filename: 'usd.csv', accountId: usd });
    const movements = await t.ctx.db.selectFrom('bank_transactions').select(['amount_cents', 'currency', 'bank_account_id']).orderBy('id').execute();
    expect(movements).toEqual([
      { amount_cents: -1250, currency: 'USD', bank_account_id: usd },
      { amount_cents: 4000, currency: 'USD', bank_account_id: usd },
      { amount_cents: 152500, currency: 'USD', bank_account_id: usd },
    ]);
    const eur = await newAccount(t.ctx.db, 'EUR');
    await importAndAllocate(t.ctx.db, SYSTEM, qif, { filename: 'eur.qif', accountId: eur });
    expect((await t.ctx.db.selectFrom('bank_transactions').select('currency').where('bank_account_id', '=', eur).execute()).map((m) => m.currency)).toEqual(['EUR', 'EUR']);
  });

  it('keeps two genuine identical payments of a day (and still two after a re-import), and an overlapping period adds only its new movements', async () => {
    const accountId = await newAccount(t.ctx.db, 'EUR');
    const record = (date: string, amount: string, payee: string) => `D${date}\nT${amount}\nP${payee}\n^\n`;
    const january = Buffer.from(`!Type:Bank\n${record('01/10/2026', '20.00', 'Carla Dubois')}${record('01/10/2026', '20.00', 'Carla Dubois')}${record('01/12/2026', '15.00', 'Dan')}`);
    expect(await importAndAllocate(t.ctx.db, SYSTEM, january, { filename: 'jan.qif', accountId, qifDateOrder: 'mdy' })).toMatchObject({ added: 3, duplicates: 0 });
    expect(await importAndAllocate(t.ctx.db, SYSTEM, january, { filename: 'jan.qif', accountId, qifDateOrder: 'mdy' })).toMatchObject({ added: 0, duplicates: 3 });
    const overlapping = Buffer.from(`!Type:Bank\n${record('01/10/2026', '20.00', 'Carla Dubois')}${record('01/10/2026', '20.00', 'Carla Dubois')}${record('01/12/2026', '15.00', 'Dan')}${record('01/10/2026', '20.00', 'Carla Dubois')}${record('02/02/2026', '8.00', 'Eve')}`);
    expect(await importAndAllocate(t.ctx.db, SYSTEM, overlapping, { filename: 'jan-feb.qif', accountId, qifDateOrder: 'mdy' })).toMatchObject({ added: 2, duplicates: 3 });
    const carla = await t.ctx.db.selectFrom('bank_transactions').select('id').where('counterparty_name', '=', 'Carla Dubois').execute();
    expect(carla).toHaveLength(3); // the third identical payment of the day is new
    expect(await t.ctx.db.selectFrom('bank_transactions').selectAll().execute()).toHaveLength(5);
    expect(await t.ctx.db.selectFrom('bank_statements').selectAll().execute()).toHaveLength(2);

    // camt: an overlapping notification adds only the movements it has that the account does not.
    await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'O1', amount: '1.00', name: 'A' }, { id: 'O2', amount: '2.00', name: 'B' }]), { filename: 'o1.xml' });
    expect(await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'O2', amount: '2.00', name: 'B' }, { id: 'O3', amount: '3.00', name: 'C' }]), { filename: 'o2.xml' })).toMatchObject({ added: 1, duplicates: 1 });
  });

  it('refuses to make a bank fee someone\'s dues, and counts dues for the year the payer wrote', async () => {
    const ann = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Ann Peeters' });
    await importAndAllocate(t.ctx.db, SYSTEM, camt054([
      { id: 'F1', amount: '-2.50', name: 'Banque', text: 'frais de tenue de compte' },
      { id: 'Y1', amount: '25.00', name: 'Ann Peeters', ref: personReference(ann.id), text: 'cotisation 2027', date: '2026-11-02' },
    ]), { filename: 'y.xml' });
    const fee = await t.ctx.db.selectFrom('bank_transactions').select('id').where('amount_cents', '=', -250).executeTakeFirstOrThrow();
    const token = await t.tokenFor(['treasurer']);
    const asDues = await t.api(token, 'POST', `/api/v1/bank/transactions/${fee.id}/allocations`, { shares: [{ person_id: ann.id, amount_cents: -250, kind: 'dues', category: null }] });
    expect(asDues.statusCode).toBe(422);
    expect(await t.ctx.db.selectFrom('allocations').select('kind').where('transaction_id', '=', fee.id).execute()).toEqual([{ kind: 'expense' }]);
    const dues = await t.ctx.db.selectFrom('allocations').select(['person_id', 'fiscal_year', 'status']).where('kind', '=', 'dues').execute();
    expect(dues).toEqual([{ person_id: ann.id, fiscal_year: 2027, status: 'auto' }]);
    const years = await t.ctx.db.selectFrom('memberships').select(['year', 'status']).where('person_id', '=', ann.id).execute();
    expect(years).toEqual([{ year: 2027, status: 'member' }]);
  });

  it('decides a movement\'s allocations through the API: confirm, split, refuse shares that do not add up, and 403 without dues:manage', async () => {
    const ann = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Ann Peeters' });
    const ben = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Ben Peeters' });
    await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'S1', amount: '50.00', name: 'Famille Peeters', text: 'cotisations' }, { id: 'S2', amount: '20.00', name: 'Famille Peeters', text: 'cotisation' }]), { filename: 's.xml' });
    const [split, single] = (await reviewQueue(t.ctx.db)).items;
    const token = await t.tokenFor(['treasurer']);
    const url = (id: number) => `/api/v1/bank/transactions/${id}/allocations`;

    const confirmed = await t.api(token, 'POST', url(single.id), { shares: [{ person_id: ann.id, amount_cents: 2000, kind: 'dues', category: null }] });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().allocations).toMatchObject([{ person_id: ann.id, amount_cents: 2000, kind: 'dues', status: 'confirmed' }]);

    const shares = [{ person_id: ann.id, amount_cents: 2500, kind: 'dues', category: null }, { person_id: ben.id, amount_cents: 2500, kind: 'dues', category: null }];
    const proposed = () => t.ctx.db.selectFrom('allocations').select(['person_id', 'amount_cents', 'status']).where('transaction_id', '=', split.id).orderBy('id').execute();
    const before = await proposed();
    expect(before.every((a) => a.status === 'to_review')).toBe(true);
    const refused = await t.api(token, 'POST', url(split.id), { shares: [{ ...shares[0] }, { ...shares[1], amount_cents: 2000 }] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: expect.anything() });
    expect(await proposed()).toEqual(before);
    // A share of nothing, or against the movement's direction, would make a member of someone who paid nothing.
    const signs = await t.api(token, 'POST', url(split.id), { shares: [{ ...shares[0], amount_cents: 5500 }, { ...shares[1], amount_cents: 0 }, { person_id: null, amount_cents: -500, kind: 'other', category: null }] });
    expect(signs.statusCode).toBe(422);
    expect(signs.json().error.message).toMatch(/not zero/);
    // Only live people: a deleted person or an id that never was one is refused (not a database error), and nothing changes.
    const gone = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Gone Peeters' });
    await deletePerson(t.ctx.db, SYSTEM, gone.id);
    for (const person_id of [gone.id, 999_999]) {
      const unknown = await t.api(token, 'POST', url(split.id), { shares: [{ ...shares[0], person_id, amount_cents: 5000 }] });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().error.message).toMatch(/no longer exists/);
    }
    expect(await proposed()).toEqual(before);
    // Money received is never an expense, money paid out never anyone's dues.
    const asExpense = await t.api(token, 'POST', url(split.id), { shares: [{ person_id: null, amount_cents: 5000, kind: 'expense', category: 'x' }] });
    expect(asExpense.statusCode).toBe(422);
    expect(asExpense.json().error.message).toMatch(/money paid out is an expense/);
    expect(await proposed()).toEqual(before);

    const splitted = await t.api(token, 'POST', url(split.id), { shares });
    expect(splitted.statusCode).toBe(200);
    expect(splitted.json().allocations.map((a: { person_id: number; amount_cents: number; status: string }) => [a.person_id, a.amount_cents, a.status]).sort())
      .toEqual([[ann.id, 2500, 'confirmed'], [ben.id, 2500, 'confirmed']].sort());

    const secretary = await t.tokenFor(['secretary']);
    expect((await t.api(secretary, 'POST', url(split.id), { shares: [{ person_id: ann.id, amount_cents: 5000, kind: 'dues', category: null }] })).statusCode).toBe(403);
    expect(await t.ctx.db.selectFrom('allocations').select('person_id').where('transaction_id', '=', split.id).execute()).toHaveLength(2);
  });
});
