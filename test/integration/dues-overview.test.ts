// The fiscal year overview built from the memberships and the dues under each policy setting (minimum, rolling 12
// months, grace period, last weeks counting for the next year), on the page, the API, the CLI and the three exports;
// and a dues policy change re-deriving the memberships it changes. Today is pinned: 2026-06-15 unless a test says.
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { historyOf } from '../../src/modules/audit/audit.service.js';
import { decideAllocation } from '../../src/modules/dues/allocation.service.js';
import { duesCommands } from '../../src/modules/dues/dues.cli.js';
import { updateDuesPolicy } from '../../src/modules/dues/dues.service.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { duesOverview } from '../../src/modules/dues/overview.service.js';
import { importAndAllocate } from '../../src/modules/dues/review.service.js';
import { getMembership, setMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { insertMany } from '../../src/storage/bulk.js';
import type { Db } from '../../src/storage/database.js';
import { camt054 } from '../fixtures/camt054.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

const NOW = '2026-06-15T10:00:00.000Z';

async function loadExcelJs(): Promise<typeof import('exceljs')> {
  return ((await import('exceljs')) as unknown as { default: typeof import('exceljs') }).default;
}

let movements = 0;

/** A credit on the collective's account, confirmed by the treasurer as dues of a person (memberships follow). */
async function pay(db: Db, personId: number, date: string, cents: number, fiscalYear?: number): Promise<void> {
  let account = await db.selectFrom('bank_accounts').select('id').executeTakeFirst();
  if (!account) {
    const [id] = await insertMany(db, 'bank_accounts', [{ iban: 'BE68539007547034', currency: 'EUR', created_at: NOW }]);
    account = { id };
  }
  const [importId] = await insertMany(db, 'bank_imports', [{ filename: 'x', format: 'camt.053', sha256: `x${++movements}`, account_id: account.id, imported_by: 'test', imported_at: NOW, summary_json: '{}' }]);
  const [statementId] = await insertMany(db, 'bank_statements', [{ bank_account_id: account.id, import_id: importId, entries: 1 }]);
  const [txId] = await insertMany(db, 'bank_transactions', [{
    bank_account_id: account.id, statement_id: statementId, import_id: importId, identity: `m${movements}`, booking_date: date, amount_cents: cents, currency: 'EUR', raw: '<Ntry/>', created_at: NOW,
  }]);
  await decideAllocation(db, SYSTEM, txId, { shares: [{ person_id: personId, amount_cents: cents, kind: 'dues', category: '', fiscal_year: fiscalYear }] });
}

const person = async (db: Db, name: string, extra: Record<string, unknown> = {}) => (await createPerson(db, SYSTEM, { display_name: name, ...extra })).id;

const statuses = async (db: Db, year: number) => Object.fromEntries((await duesOverview(db, year)).lines.map((l) => [l.display_name, l.status]));

/** The names listed under one status heading of the year page. */
function section(page: string, status: string): string[] {
  const start = page.indexOf(`id="status-${status}"`);
  if (start < 0) return [];
  const end = page.indexOf('<h2', start + 1);
  return [...page.slice(start, end < 0 ? undefined : end).matchAll(/<a href="\/people\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
}

forEachDialect('dues overview', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(NOW));
    t = await startTestApp(await open());
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it('gives each person one status under a minimum, with manual records winning, on the page, the API and the CLI', async () => {
    const db = t.ctx.db;
    await updateDuesPolicy(db, SYSTEM, { mode: 'minimum', minimum_cents: 2000 });
    const alice = await person(db, 'Alice Martin');
    const carla = await person(db, 'Carla Dubois');
    const emil = await person(db, 'Emil Janssens');
    const dirk = await person(db, 'Dirk Peeters');
    await person(db, 'Bob Newcomer');
    const gina = await person(db, 'Gina Old', { joined_on: '2024-01-10' });
    await pay(db, alice, '2026-03-01', 2500);
    await pay(db, carla, '2026-02-01', 500);
    await pay(db, emil, '2026-02-10', 2500);
    await pay(db, gina, '2024-05-01', 2500);
    await setMembership(db, SYSTEM, emil, 2026, { status: 'excluded', decision_ref: 'GA 2026-04-01' });
    await setMembership(db, SYSTEM, dirk, 2026, { status: 'member', note: 'exempted by the board' });
    expect(await getMembership(db, carla, 2026)).toBeNull();

    expect(await statuses(db, 2026)).toEqual({
      'Alice Martin': 'paid', 'Carla Dubois': 'below_minimum', 'Emil Janssens': 'excluded', 'Dirk Peeters': 'exempt', 'Bob Newcomer': 'not_paid',
    });
    expect(await statuses(db, 2025)).toEqual({ 'Gina Old': 'lapsed' }); // a member of 2024 who paid nothing for 2025, now over

    const browser = await t.loginAs(['treasurer']);
    const page = (await browser.get('/dues/2026')).body;
    expect(section(page, 'paid')).toEqual(['Alice Martin']);
    expect(section(page, 'below_minimum')).toEqual(['Carla Dubois']);
    expect(section(page, 'exempt')).toEqual(['Dirk Peeters']);
    expect(section(page, 'excluded')).toEqual(['Emil Janssens']);
    expect(section(page, 'not_paid')).toEqual(['Bob Newcomer']);
    expect(page).toContain('Paid below the minimum (not a member) (1)');

    const api = await t.api(await t.tokenFor(['treasurer']), 'GET', '/api/v1/dues/2026');
    const lines = (api.json() as { lines: { display_name: string; status: string; amount_cents: number; payments: { date: string }[] }[] }).lines;
    expect(lines.find((l) => l.display_name === 'Carla Dubois')).toMatchObject({ status: 'below_minimum', amount_cents: 500, payments: [{ date: '2026-02-01' }] });
    expect(lines.find((l) => l.display_name === 'Emil Janssens')).toMatchObject({ status: 'excluded', amount_cents: 2500 });

    const saved = { ...process.env };
    try {
      Object.assign(process.env, { LANG: 'fr_BE.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
      const status = duesCommands.find((c) => c.words.join(' ') === 'dues status');
      let text = '';
      const out = { write: (chunk: string) => { text += chunk; return true; } } as unknown as NodeJS.WritableStream;
      await status?.run({ ctx: t.ctx, values: { year: '2026' }, positionals: [], principal: undefined as never, actor: SYSTEM, out, err: out, stdin: undefined as never });
      expect(text).toMatch(/Dispensé\s+#\d+ Dirk Peeters\s+\+\+\+900\/0000\/\d{5}\+\+\+/);
      expect(text).toMatch(/Payé sous le minimum \(pas membre\)\s+#\d+ Carla Dubois/);
      expect(text).toMatch(/Pas encore payé\s+#\d+ Bob Newcomer/);
      expect(text).toMatch(/Total Cotisation: 55,00/);
      expect(text).not.toMatch(/\b(paid|lapsed|total)\b/);
    } finally {
      process.env = saved;
    }
  });

  it('counts a rolling 12 months into the next year, and a payment in the last weeks for the next year', async () => {
    const db = t.ctx.db;
    await updateDuesPolicy(db, SYSTEM, { mode: 'rolling' });
    const fien = await person(db, 'Fien Rolling', { joined_on: '2025-08-01' });
    await pay(db, fien, '2025-09-01', 2500);
    expect(await getMembership(db, fien, 2026)).toMatchObject({ status: 'member', source: 'payment', changed_on: '2025-09-01' });
    const overview = await duesOverview(db, 2026);
    expect(overview.lines).toMatchObject([{ display_name: 'Fien Rolling', status: 'paid', amount_cents: 2500, payments: [{ date: '2025-09-01' }] }]);
    expect(await statuses(db, 2027)).toEqual({ 'Fien Rolling': 'not_paid' }); // a member of 2026, nothing yet for 2027

    await updateDuesPolicy(db, SYSTEM, { mode: 'any', early_weeks: 4 });
    const hugo = await person(db, 'Hugo Early', { joined_on: '2025-11-01' });
    await pay(db, hugo, '2025-12-20', 2000);
    expect(await getMembership(db, hugo, 2026)).toMatchObject({ status: 'member', changed_on: '2025-12-20' });
    expect(await getMembership(db, hugo, 2025)).toBeNull();
    expect((await statuses(db, 2026))['Hugo Early']).toBe('paid');
    expect((await duesOverview(db, 2025)).lines.find((l) => l.display_name === 'Hugo Early')?.payments ?? []).toEqual([]);
  });

  it('keeps last year\'s members as not paid yet during the grace period, and lapsed after it', async () => {
    const db = t.ctx.db;
    await updateDuesPolicy(db, SYSTEM, { mode: 'any', grace_days: 31 });
    const gina = await person(db, 'Gina Old', { joined_on: '2020-01-10' });
    await pay(db, gina, '2024-05-01', 2500);
    vi.setSystemTime(new Date('2026-01-20T10:00:00Z'));
    expect(await statuses(db, 2025)).toEqual({ 'Gina Old': 'not_paid' });
    vi.setSystemTime(new Date('2026-02-01T10:00:00Z'));
    expect(await statuses(db, 2025)).toEqual({ 'Gina Old': 'lapsed' });
    vi.setSystemTime(new Date('2025-12-31T10:00:00Z'));
    await updateDuesPolicy(db, SYSTEM, { mode: 'any', grace_days: 0 });
    expect(await statuses(db, 2025)).toEqual({ 'Gina Old': 'not_paid' });
  });

  it('re-derives memberships when the policy changes, says how many on the settings page, and audits them', async () => {
    const db = t.ctx.db;
    await updateDuesPolicy(db, SYSTEM, { mode: 'minimum', minimum_cents: 2000 });
    const carla = await person(db, 'Carla Dubois');
    const alice = await person(db, 'Alice Martin');
    const fien = await person(db, 'Fien Rolling');
    await pay(db, carla, '2026-02-01', 500);
    await pay(db, alice, '2026-03-01', 2500);
    await pay(db, fien, '2025-09-01', 2500);
    expect(await getMembership(db, carla, 2026)).toBeNull();

    const browser = await t.loginAs(['treasurer']);
    await browser.get('/dues/policy');
    const saved = await browser.post('/dues/policy', { mode: 'any', minimum: '0', grace_days: '0', early_weeks: '0' });
    expect(saved.statusCode).toBe(303);
    expect((await browser.get('/dues/policy')).body).toContain('Dues policy saved; memberships changed: 1.');
    expect(await getMembership(db, carla, 2026)).toMatchObject({ status: 'member', source: 'payment', changed_on: '2026-02-01' });
    expect((await historyOf(db, 'person', carla)).filter((e) => e.action === 'membership.derived')).toHaveLength(1);
    expect((await statuses(db, 2026))['Carla Dubois']).toBe('paid');

    expect((await updateDuesPolicy(db, SYSTEM, { mode: 'rolling' })).changed).toBe(3); // Fien's 2026, Carla's and Alice's 2027
    expect(await getMembership(db, fien, 2026)).toMatchObject({ status: 'member' });
    expect(await getMembership(db, alice, 2027)).toMatchObject({ status: 'member' });
    expect((await updateDuesPolicy(db, SYSTEM, { mode: 'minimum', minimum_cents: 2000 })).changed).toBe(4); // and back
    expect(await getMembership(db, carla, 2026)).toBeNull();
    expect(await getMembership(db, alice, 2027)).toBeNull();
    expect(await getMembership(db, fien, 2026)).toBeNull();
    expect(await getMembership(db, fien, 2025)).toMatchObject({ status: 'member' });
    expect(await getMembership(db, alice, 2026)).toMatchObject({ status: 'member' });
    expect((await updateDuesPolicy(db, SYSTEM, { mode: 'minimum', minimum_cents: 2000 })).changed).toBe(0);
  });

  it('moves the matcher\'s dues to the year their date counts for when the last weeks setting changes; the treasurer\'s chosen year stays', async () => {
    const db = t.ctx.db;
    const hugo = await person(db, 'Hugo Early');
    const ines = await person(db, 'Ines Chosen');
    const imported = await importAndAllocate(db, SYSTEM, camt054([{ id: 'E1', amount: '20.00', ref: personReference(hugo), name: 'HUGO EARLY', date: '2025-12-20' }]), { filename: 'early.xml' });
    expect(imported).toMatchObject({ automatic: 1 });
    await pay(db, ines, '2025-12-22', 2000, 2025); // confirmed by the treasurer for 2025, by hand
    const yearsOf = async (personId: number) => (await db.selectFrom('allocations').select(['fiscal_year', 'status']).where('person_id', '=', personId).execute());
    expect(await yearsOf(hugo)).toEqual([{ fiscal_year: 2025, status: 'auto' }]);
    expect(await getMembership(db, hugo, 2025)).toMatchObject({ status: 'member', source: 'payment' });

    const browser = await t.loginAs(['treasurer']);
    await browser.get('/dues/policy');
    const saved = await browser.post('/dues/policy', { mode: 'any', minimum: '', grace_days: '0', early_weeks: '4' });
    expect(saved.statusCode).toBe(303);
    expect((await browser.get('/dues/policy')).body).toContain('Dues policy saved; memberships changed: 2.'); // Hugo's 2025 gone, his 2026 made
    expect(await yearsOf(hugo)).toEqual([{ fiscal_year: 2026, status: 'auto' }]);
    expect(await getMembership(db, hugo, 2026)).toMatchObject({ status: 'member', source: 'payment', changed_on: '2025-12-20' });
    expect(await getMembership(db, hugo, 2025)).toBeNull();
    expect((await statuses(db, 2026))['Hugo Early']).toBe('paid');
    expect(await yearsOf(ines)).toEqual([{ fiscal_year: 2025, status: 'confirmed' }]);
    expect(await getMembership(db, ines, 2025)).toMatchObject({ status: 'member' });
    expect(await getMembership(db, ines, 2026)).toBeNull();
    const audited = (await historyOf(db, 'settings', 'dues_policy')).find((e) => e.action === 'dues.years_recomputed');
    expect(audited).toMatchObject({ before: { early_weeks: 0 }, after: { early_weeks: 4, moved: 1 } });

    expect(await updateDuesPolicy(db, SYSTEM, { mode: 'any', early_weeks: 0 })).toMatchObject({ changed: 2, moved: 1 }); // and back
    expect(await yearsOf(hugo)).toEqual([{ fiscal_year: 2025, status: 'auto' }]);
    expect(await getMembership(db, hugo, 2025)).toMatchObject({ status: 'member' });
    expect(await getMembership(db, hugo, 2026)).toBeNull();
    expect(await yearsOf(ines)).toEqual([{ fiscal_year: 2025, status: 'confirmed' }]);
    expect(await updateDuesPolicy(db, SYSTEM, { mode: 'any', early_weeks: 0 })).toMatchObject({ changed: 0, moved: 0 });
  });

  it('keeps the year a payer wrote when the policy or the fiscal year\'s start changes', async () => {
    const db = t.ctx.db;
    const jade = await person(db, 'Jade Ahead');
    await importAndAllocate(db, SYSTEM, camt054([{ id: 'W1', amount: '20.00', ref: personReference(jade), name: 'JADE AHEAD', text: 'cotisation 2027', date: '2026-10-10' }]), { filename: 'w.xml' });
    const years = async () => (await db.selectFrom('allocations').select('fiscal_year').where('person_id', '=', jade).execute()).map((a) => a.fiscal_year);
    expect(await years()).toEqual([2027]);
    expect(await updateDuesPolicy(db, SYSTEM, { mode: 'any', early_weeks: 0 })).toMatchObject({ moved: 0 });
    expect(await updateDuesPolicy(db, SYSTEM, { mode: 'any', early_weeks: 4 })).toMatchObject({ moved: 0 });
    expect(await years()).toEqual([2027]);
    const admin = await t.tokenFor(['admin']);
    const put = await t.api(admin, 'PUT', '/api/v1/settings', { collective_name: 'Ruche', fiscal_year_start_month: 9, registration_open: false });
    expect(put.statusCode).toBe(200);
    expect(await years()).toEqual([2027]); // the year starting 2026-09 under the new start: 2027 is still next to it
    expect(await getMembership(db, jade, 2027)).toMatchObject({ status: 'member' });
  });

  it('exports the statuses to XLSX (read back with exceljs) and ODS (content.xml), in the reader\'s language', async () => {
    const db = t.ctx.db;
    await updateDuesPolicy(db, SYSTEM, { mode: 'minimum', minimum_cents: 2000 });
    const carla = await person(db, 'Carla Dubois');
    const dirk = await person(db, 'Dirk Peeters');
    await pay(db, carla, '2026-02-01', 500);
    await setMembership(db, SYSTEM, dirk, 2026, { status: 'member', note: 'exempted by the board' });
    const browser = await t.loginAs(['treasurer']);

    const xlsx = await browser.get('/dues/2026/export.xlsx');
    expect(xlsx.headers['content-disposition']).toContain('dues-2026.xlsx');
    const workbook = new (await loadExcelJs()).Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const rows = workbook.worksheets[0].getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1, 3));
    expect(rows).toContainEqual(['Carla Dubois', 'Paid below the minimum (not a member)']);
    expect(rows).toContainEqual(['Dirk Peeters', 'Exempt']);

    const ods = await browser.get('/dues/2026/export.ods', { 'accept-language': 'nl' });
    expect(ods.rawPayload.subarray(30, 38).toString()).toBe('mimetype');
    const content = strFromU8(unzipSync(new Uint8Array(ods.rawPayload))['content.xml']);
    expect(content).toContain('<text:p>Carla Dubois</text:p>');
    expect(content).toContain('<text:p>Betaald onder het minimum (geen lid)</text:p>');
    expect(content).toContain('<text:p>Vrijgesteld</text:p>');
  });
  it('moves the matcher\'s dues and re-derives memberships when the fiscal year start month changes (API and settings page), audited', async () => {
    const db = t.ctx.db;
    const hugo = await person(db, 'Hugo March');
    const ines = await person(db, 'Ines Chosen');
    await importAndAllocate(db, SYSTEM, camt054([{ id: 'F1', amount: '25.00', ref: personReference(hugo), name: 'HUGO MARCH', date: '2026-03-10' }]), { filename: 'march.xml' });
    await pay(db, ines, '2026-03-12', 2500, 2026); // the treasurer's chosen year stays
    const yearOf = async (personId: number) => (await db.selectFrom('allocations').select('fiscal_year').where('person_id', '=', personId).executeTakeFirstOrThrow()).fiscal_year;
    expect(await getMembership(db, hugo, 2026)).toMatchObject({ status: 'member', source: 'payment' });

    const admin = await t.tokenFor(['admin']);
    const put = await t.api(admin, 'PUT', '/api/v1/settings', { collective_name: 'Ruche', fiscal_year_start_month: 9, registration_open: false });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ fiscal_year_start_month: 9, memberships_changed: 2 }); // Hugo's 2026 gone, his 2025 made
    expect(await yearOf(hugo)).toBe(2025); // March 2026 is in the fiscal year 2025-2026
    expect(await getMembership(db, hugo, 2025)).toMatchObject({ status: 'member', source: 'payment', changed_on: '2026-03-10' });
    expect(await getMembership(db, hugo, 2026)).toBeNull();
    expect(await yearOf(ines)).toBe(2026);
    const year2025 = await duesOverview(db, 2025);
    expect(year2025.lines.filter((l) => l.status === 'paid').map((l) => [l.display_name, l.amount_cents])).toEqual([['Hugo March', 2500]]);
    expect(year2025.totals.find((x) => x.kind === 'dues')).toMatchObject({ amount_cents: 2500, count: 1 }); // totals agree with the lines
    const audited = (await historyOf(db, 'settings', 'collective')).find((e) => e.action === 'dues.years_recomputed');
    expect(audited).toMatchObject({ before: { fiscal_year_start_month: 1 }, after: { fiscal_year_start_month: 9, moved: 1 } });

    const browser = await t.loginAs(['admin']);
    await browser.get('/settings');
    expect((await browser.post('/settings', { collective_name: 'Ruche', fiscal_year_start_month: '1' })).statusCode).toBe(303);
    expect((await browser.get('/settings')).body).toContain('dues moved to the fiscal year they now fall in; memberships changed: 2.');
    expect(await yearOf(hugo)).toBe(2026);
    expect(await getMembership(db, hugo, 2026)).toMatchObject({ status: 'member' });
    expect(await getMembership(db, hugo, 2025)).toBeNull();
    expect((await t.api(admin, 'PUT', '/api/v1/settings', { collective_name: 'Other name', fiscal_year_start_month: 1, registration_open: false })).json()).not.toHaveProperty('memberships_changed');
  });

  it('counts the dues totals by fiscal year, as the lines: a payment in the last weeks counts in the next year\'s total', async () => {
    const db = t.ctx.db;
    await updateDuesPolicy(db, SYSTEM, { mode: 'any', early_weeks: 4 });
    const hugo = await person(db, 'Hugo Early');
    const alice = await person(db, 'Alice Late');
    await pay(db, hugo, '2025-12-20', 2000); // counts for 2026
    await pay(db, alice, '2026-03-01', 2500);
    await pay(db, alice, '2026-12-28', 3000); // counts for 2027
    const overview = await duesOverview(db, 2026);
    const paidLines = overview.lines.reduce((sum, l) => sum + l.amount_cents, 0);
    expect(paidLines).toBe(4500);
    expect(overview.totals.filter((x) => x.kind === 'dues')).toEqual([{ kind: 'dues', category: null, currency: 'EUR', amount_cents: 4500, count: 2 }]);
    const browser = await t.loginAs(['treasurer']);
    expect((await browser.get('/dues/2026')).body).toMatch(/<td>Dues<\/td><td><\/td><td>2<\/td><td>€45\.00<\/td>|<td>Dues<\/td><td><\/td><td>2<\/td><td>45\.00/);
  });

  it('tells namesakes apart by id and payment reference in the exports, and heads the totals block', async () => {
    const db = t.ctx.db;
    const first = await person(db, 'Jean Dupont');
    const second = await person(db, 'Jean Dupont');
    await pay(db, first, '2026-02-01', 2000);
    await pay(db, second, '2026-02-02', 2500);
    const browser = await t.loginAs(['treasurer']);
    const csv = (await browser.get('/dues/2026/export.csv')).body.replace(/^\uFEFF/, '');
    const lines = csv.split(/\r?\n/);
    expect(lines[0]).toContain('Person id');
    expect(lines[0]).toContain('Payment reference');
    // Two "Jean Dupont, Paid" rows, told apart by their ids and references (a cell starting with + is quoted against formulas).
    const row = (id: number) => new RegExp(`^Jean Dupont,Paid,\\d+,[\\d-]+,${id},'\\+\\+\\+900/0000/${personReference(id).slice(7, 12)}\\+\\+\\+$`);
    expect(lines.filter((l) => l.startsWith('Jean Dupont'))).toEqual([expect.stringMatching(row(first)), expect.stringMatching(row(second))]);
    const header = lines.findIndex((l) => l.startsWith('Totals,'));
    expect(lines[header]).toBe('Totals,Category,Amount,Number of payments,Currency');
    expect(lines[header + 1]).toBe('Dues,,45,2,EUR');
  });

  it('takes the minimum as money on the policy page and shows it back as money', async () => {
    const db = t.ctx.db;
    const browser = await t.loginAs(['treasurer']);
    await browser.get('/dues/policy');
    expect((await browser.post('/dues/policy', { mode: 'minimum', minimum: '20,50', grace_days: '0', early_weeks: '0' })).statusCode).toBe(303);
    expect((await db.selectFrom('settings').select('value').where('key', '=', 'dues_policy').executeTakeFirstOrThrow()).value).toContain('"minimum_cents":2050');
    const page = (await browser.get('/dues/policy')).body;
    expect(page).toContain('value="20.50"');
    expect(page).toContain('An amount in EUR');
    expect(page).not.toContain('cents');
    const refused = await browser.post('/dues/policy', { mode: 'minimum', minimum: '20 euros', grace_days: '0', early_weeks: '0' });
    expect(refused.statusCode).toBe(422);
    expect((await db.selectFrom('settings').select('value').where('key', '=', 'dues_policy').executeTakeFirstOrThrow()).value).toContain('"minimum_cents":2050');
  });

  it('reads the minimum in the collective\'s currency, whatever its decimals (a yen has none)', async () => {
    const db = t.ctx.db;
    await db.insertInto('bank_accounts').values({ iban: null, number: '1234567', bic: null, holder: null, currency: 'JPY', label: null, created_at: '2026-01-01' }).execute();
    const browser = await t.loginAs(['treasurer']);
    await browser.get('/dues/policy');
    expect((await browser.post('/dues/policy', { mode: 'minimum', minimum: '2000', grace_days: '0', early_weeks: '0' })).statusCode).toBe(303);
    const stored = async () => (await db.selectFrom('settings').select('value').where('key', '=', 'dues_policy').executeTakeFirstOrThrow()).value;
    expect(await stored()).toContain('"minimum_cents":2000');
    const page = (await browser.get('/dues/policy')).body;
    expect(page).toContain('value="2000"');
    expect((await browser.post('/dues/policy', { mode: 'minimum', minimum: '2000', grace_days: '0', early_weeks: '0' })).statusCode).toBe(303);
    expect(await stored()).toContain('"minimum_cents":2000'); // saved again unchanged: the same amount
    expect((await browser.post('/dues/policy', { mode: 'minimum', minimum: '20,50', grace_days: '0', early_weeks: '0' })).statusCode).toBe(422);
  });
});
