// The people pages in a real Chromium with JavaScript off, at a phone width and a desktop width.
// SQLite only: what is checked here is the HTML, forms and layout in a browser; storage is covered on both dialects elsewhere.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { setMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/database.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { chromiumMissing, openChromium } from '../helpers/chromium.js';
import { unavailable } from '../helpers/require.js';

const VIEWPORTS = [
  { name: 'phone', width: 375, height: 740, person: { display_name: 'Hélène Dupont', typed: 'helene', email: 'helene@example.org', city: 'Liège' } },
  { name: 'desktop', width: 1280, height: 800, person: { display_name: 'Zoé Lambert', typed: 'zoe lamb', email: 'zoe@example.org', city: 'Gent' } },
] as const;

/** Largest acceptable weight of the list page with everything it loads (members on old phones and bad links). */
const MAX_PAGE_BYTES = 50 * 1024;

const missing = chromiumMissing();
if (missing) unavailable('browser', missing);

/** Where the screenshots go: RUCHE_SCREENSHOT_DIR, or a fresh temp folder (kept, so they can be looked at). */
function screenshotDir(): string {
  const dir = process.env.RUCHE_SCREENSHOT_DIR || mkdtempSync(join(tmpdir(), 'ruche-screenshots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Clicks something that submits a form or follows a link, and waits for the new page. */
async function navigate(page: Page, action: () => Promise<void>, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), action()]);
}

/** Bytes of a page and everything it loads, with the cache off so nothing is left out. */
async function pageWeight(page: Page, url: string): Promise<{ total: number; resources: { url: string; type: string; bytes: number }[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const pending: Promise<{ url: string; type: string; bytes: number }>[] = [];
  const listener = (response: import('playwright-core').Response) => {
    pending.push(response.body().then((body) => ({ url: response.url(), type: response.request().resourceType(), bytes: body.length })));
  };
  page.on('response', listener);
  await page.goto(url, { waitUntil: 'load' });
  page.off('response', listener);
  await cdp.detach();
  const resources = await Promise.all(pending);
  return { total: resources.reduce((sum, r) => sum + r.bytes, 0), resources };
}

(missing ? describe.skip : describe)('people pages in Chromium without JavaScript [sqlite]', () => {
  let storage: Storage;
  let dataDir: string;
  let t: TestApp;
  let base: string;
  let shots: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ruche-browser-'));
    storage = openStorage({ databaseUrl: '', dataDir });
    await migrateToLatest(storage.db);
    t = await startTestApp(storage);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await t.tokenFor(['secretary'], 'sam');
    // A list that looks like a real one: long names, several e-mails and tags, organisations, statuses.
    const seed = [
      ['Association des Chatons Libres de Wallonie', 'organisation', ['contact@chatons-wallonie.example', 'tresorerie@chatons-wallonie.example'], ['board', 'vpn', 'cloud'], 'Namur'],
      ['Alice Martin', 'individual', ['alice.martin@example.org'], ['vpn'], 'Bruxelles'],
      ['Bob Peeters', 'individual', ['bob@example.be'], ['mail'], 'Antwerpen'],
      ['Marc Dupont', 'individual', ['family@example.org', 'marc.dupont.with.a.long.address@example.org'], ['cloud', 'wiki'], 'Liège'],
      ['Nadia El Amrani', 'individual', [], [], 'Charleroi'],
    ] as const;
    for (const [display_name, kind, emails, tags, city] of seed) {
      const person = await createPerson(storage.db, SYSTEM, { display_name, kind, emails: [...emails], tags: [...tags], city });
      await setMembership(storage.db, SYSTEM, person.id, new Date().getFullYear(), { status: city === 'Charleroi' ? 'pending' : 'member' });
    }
    shots = screenshotDir();
    console.info(`browser screenshots: ${shots}`);
  });

  afterAll(async () => {
    await t?.close();
    await storage?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const viewport of VIEWPORTS) {
    it(`logs in, creates a person, finds it with the search box and opens it at ${viewport.name} width (${viewport.width}×${viewport.height})`, async () => {
      const session = await openChromium({ viewport: { width: viewport.width, height: viewport.height }, javaScriptEnabled: false, locale: 'en-GB' });
      onTestFinished(() => session.close());
      const page = session.context.pages()[0] ?? (await session.context.newPage());
      const { person } = viewport;

      // Asking for the list sends us to the login form, which brings us back after logging in.
      await page.goto(`${base}/people`);
      expect(page.url()).toBe(`${base}/login?next=%2Fpeople`);
      await page.getByLabel('Username or e-mail').fill('sam');
      await page.getByLabel('Password').fill(PASSWORD);
      await navigate(page, () => page.locator('main').getByRole('button', { name: 'Log in' }).click(), /\/people$/);
      await expect.poll(() => page.locator('h1').textContent()).toBe('People');

      // Create a person through the form.
      await navigate(page, () => page.getByRole('link', { name: 'New person' }).click(), /\/people\/new$/);
      await page.getByLabel('Name', { exact: true }).fill(person.display_name);
      await page.getByLabel(/^E-mail addresses/).fill(person.email);
      await page.getByLabel(/^Tags/).fill('vpn, board');
      await page.getByLabel('City').fill(person.city);
      await navigate(page, () => page.locator('main').getByRole('button', { name: 'Save' }).click(), /\/people\/\d+$/);
      expect(await page.locator('.flash').textContent()).toBe(`${person.display_name} was added.`);
      expect(await page.locator('h1').textContent()).toBe(person.display_name);

      // Back to the list; search by typing without accents, submitting with Enter (no script involved).
      await navigate(page, () => page.locator('header').getByRole('link', { name: 'People' }).click(), /\/people$/);
      const search = page.getByRole('searchbox');
      await search.pressSequentially(person.typed);
      await navigate(page, () => search.press('Enter'), /\/people\?q=/);
      const results = page.locator('table tbody tr');
      await expect.poll(() => results.count()).toBe(1);
      const link = results.getByRole('link', { name: person.display_name });
      expect(await link.count()).toBe(1);
      await navigate(page, () => link.click(), /\/people\/\d+$/);
      expect(await page.locator('h1').textContent()).toBe(person.display_name);
      expect(await page.getByRole('link', { name: person.email }).getAttribute('href')).toBe(`mailto:${person.email}`);

      // The list shows everyone, the newly created person included.
      await page.goto(`${base}/people`);
      expect(await page.locator('table tbody tr').count()).toBe(VIEWPORTS.indexOf(viewport) + 6);
    }, 90_000);

    it(`shows a readable, light list at ${viewport.name} width: screenshot, and under 50 KB with everything it loads`, async () => {
      const session = await openChromium({ viewport: { width: viewport.width, height: viewport.height }, javaScriptEnabled: false, locale: 'en-GB' });
      onTestFinished(() => session.close());
      const page = session.context.pages()[0] ?? (await session.context.newPage());
      await page.goto(`${base}/login`);
      await page.getByLabel('Username or e-mail').fill('sam');
      await page.getByLabel('Password').fill(PASSWORD);
      await navigate(page, () => page.locator('main').getByRole('button', { name: 'Log in' }).click(), /\/$/);

      const weight = await pageWeight(page, `${base}/people`);
      const file = join(shots, `people-list-${viewport.name}-${viewport.width}x${viewport.height}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.info(`list page at ${viewport.name} width: ${weight.total} bytes (${weight.resources.map((r) => `${r.type} ${r.bytes}`).join(', ')}); screenshot ${file}`);
      expect(weight.resources.map((r) => r.type).sort()).toEqual(['document', 'stylesheet']);
      expect(weight.total, JSON.stringify(weight.resources)).toBeLessThan(MAX_PAGE_BYTES);
      // Readable: the text is not tiny and the table rows are laid out (as cards on a phone).
      const fontSize = await page.locator('table td').first().evaluate((td) => Number.parseFloat(getComputedStyle(td).fontSize));
      expect(fontSize).toBeGreaterThanOrEqual(14);
      const header = await page.locator('table thead').isVisible();
      expect(header, 'column headers shown on desktop, hidden (card layout) on a phone').toBe(viewport.width > 640);
      // No short word (a city, a status, a column header) is cut across two lines.
      const cut = await page.locator('table th, table td').evaluateAll((cells) => cells.flatMap((cell) => {
        const text = (cell.textContent ?? '').trim();
        if (!text || cell.children.length || /\s/.test(text) || text.length > 20) return [];
        const range = document.createRange();
        range.selectNodeContents(cell);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return lines.size > 1 ? [text] : [];
      }));
      expect(cut, 'words cut in the middle (overflow-wrap:anywhere on table cells shrinks the columns)').toEqual([]);
    }, 90_000);

    it(`lays out the list within the ${viewport.name} screen width (no sideways scrolling), long e-mail addresses included`, async () => {
      const session = await openChromium({ viewport: { width: viewport.width, height: viewport.height }, javaScriptEnabled: false, locale: 'en-GB' });
      onTestFinished(() => session.close());
      const page = session.context.pages()[0] ?? (await session.context.newPage());
      await page.goto(`${base}/login?next=%2Fpeople`);
      await page.getByLabel('Username or e-mail').fill('sam');
      await page.getByLabel('Password').fill(PASSWORD);
      await navigate(page, () => page.locator('main').getByRole('button', { name: 'Log in' }).click(), /\/people$/);
      const widest = await page.locator('main *').evaluateAll((nodes) => nodes
        .map((n) => ({
          right: Math.round(n.getBoundingClientRect().right),
          inner: n.querySelectorAll('*').length,
          word: Math.max(0, ...(n.textContent ?? '').split(/\s+/).map((w) => w.length)),
          what: `<${n.tagName.toLowerCase()}> ${(n.textContent ?? '').trim().slice(0, 80)}`,
        }))
        // The rightmost element; among equals, the innermost one holding the longest unbreakable word.
        .sort((a, b) => b.right - a.right || a.inner - b.inner || b.word - a.word)[0]);
      expect(widest.right, `<main> content reaches ${widest.right}px on a ${viewport.width}px screen; innermost culprit: ${widest.what}`).toBeLessThanOrEqual(viewport.width);
    }, 90_000);
  }
});
