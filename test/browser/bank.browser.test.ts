// A treasurer's dues work in a real Chromium with JavaScript off: upload a statement, check the preview's proposals,
// import it, confirm a proposal as it stands, and correct a movement from the keyboard.
// SQLite only: what is checked here is the HTML and forms in a browser; storage is covered on both dialects elsewhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { getMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/database.js';
import { camt054 } from '../fixtures/camt054.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { chromiumMissing, openChromium } from '../helpers/chromium.js';
import { unavailable } from '../helpers/require.js';

const missing = chromiumMissing();
if (missing) unavailable('browser', missing);

/** Clicks something that submits a form or follows a link, and waits for the new page. */
async function navigate(page: Page, action: () => Promise<void>, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), action()]);
}

(missing ? describe.skip : describe)('dues pages in Chromium without JavaScript [sqlite]', () => {
  let storage: Storage;
  let dataDir: string;
  let t: TestApp;
  let base: string;
  let people: { ann: number; bob: number; carla: number };
  let statement: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ruche-browser-bank-'));
    storage = openStorage({ databaseUrl: '', dataDir });
    await migrateToLatest(storage.db);
    t = await startTestApp(storage);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await t.tokenFor(['treasurer'], 'tina');
    const [ann, bob, carla] = await Promise.all(['Ann Peeters', 'Bob Martin', 'Carla Janssens'].map((display_name) => createPerson(storage.db, SYSTEM, { display_name })));
    people = { ann: ann.id, bob: bob.id, carla: carla.id };
    statement = join(dataDir, 'februari.xml');
    writeFileSync(statement, camt054([
      { id: 'A1', amount: '25.00', name: 'Ann Peeters', ref: personReference(ann.id), text: 'cotisation' },
      { id: 'B1', amount: '50.00', name: 'Bob Martin', ref: personReference(bob.id), text: 'don pour le nouveau serveur' },
      { id: 'U1', amount: '20.00', name: 'J. Janssens-Wouters', text: 'lidgeld' },
    ]));
  });

  afterAll(async () => {
    await t?.close();
    await storage?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads a statement, shows the proposals before importing, confirms a donation as proposed, and corrects a movement from the keyboard', async () => {
    const session = await openChromium({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false, locale: 'en-GB' });
    onTestFinished(() => session.close());
    const page = session.context.pages()[0] ?? (await session.context.newPage());

    await page.goto(`${base}/bank`);
    await page.getByLabel('Username or e-mail').fill('tina');
    await page.getByLabel('Password').fill(PASSWORD);
    await navigate(page, () => page.locator('main').getByRole('button', { name: 'Log in' }).click(), /\/bank$/);

    // The preview: nothing written yet, each credit with who it is proposed for and what happens to it.
    await page.getByLabel('Statement file').setInputFiles(statement);
    await navigate(page, () => page.getByRole('button', { name: 'Read the file' }).click(), /\/bank/);
    const proposals = page.locator('table', { hasText: 'Ann Peeters' });
    await expect.poll(() => proposals.locator('tbody tr').count()).toBe(3);
    expect(await proposals.locator('tr', { hasText: 'Ann Peeters' }).textContent()).toContain('assigned automatically');
    expect(await proposals.locator('tr', { hasText: 'Bob Martin' }).textContent()).toContain('to review');
    expect(await storage.db.selectFrom('bank_transactions').select('id').execute()).toHaveLength(0);
    await navigate(page, () => page.getByRole('button', { name: 'Import' }).click(), /\/bank/);
    expect(await page.locator('.flash').textContent()).toContain('3 movements imported');

    // The review queue starts from the proposal: Bob's donation, confirmed as it stands, stays a donation.
    await page.goto(`${base}/bank/review`);
    const bobForm = page.locator('form', { has: page.locator(`option[value="${people.bob}"][selected]`) });
    expect(await bobForm.locator('select[name="s0_kind"]').inputValue()).toBe('donation');
    await navigate(page, () => bobForm.getByRole('button', { name: 'Confirm' }).click(), /\/bank\/review/);
    expect(await page.locator('.flash').textContent()).toBe('Decision recorded.');
    const bobs = await storage.db.selectFrom('allocations').select(['kind', 'status']).where('person_id', '=', people.bob).execute();
    expect(bobs).toEqual([{ kind: 'donation', status: 'confirmed' }]);

    // The unknown payer's movement, from its own page: the cursor starts in the form; a person found by the search
    // box, then Enter in the amount field records the decision, and Carla becomes a member.
    const unknown = await storage.db.selectFrom('bank_transactions').select('id').where('counterparty_name', '=', 'J. Janssens-Wouters').executeTakeFirstOrThrow();
    await page.goto(`${base}/bank/transactions/${unknown.id}`);
    expect(await page.locator(':focus').count()).toBe(1);
    const search = page.getByRole('searchbox');
    await search.fill('Janssens');
    await navigate(page, () => search.press('Enter'), /q=Janssens/);
    await page.locator('select[name="s0_person"]').selectOption(String(people.carla));
    await page.locator('select[name="s0_kind"]').selectOption('dues');
    await navigate(page, () => page.locator('input[name="s0_amount"]').press('Enter'), new RegExp(`/bank/transactions/${unknown.id}$`));
    expect(await page.locator('.flash').textContent()).toBe('Decision recorded.');
    expect(await getMembership(storage.db, people.carla, 2026)).toMatchObject({ status: 'member' });
    expect(await getMembership(storage.db, people.ann, 2026)).toMatchObject({ status: 'member' });
    expect(await getMembership(storage.db, people.bob, 2026)).toBeNull();
  }, 90_000);
});
