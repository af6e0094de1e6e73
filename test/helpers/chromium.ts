// Debian's Chromium driven by playwright-core for the browser tests: found or reported missing, launched headless with a fresh profile.
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, sandbox-less (containers run as root), and quiet: no GPU, QUIC, first-run, sync or update traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium cannot run here, or '' when it can. */
export function chromiumMissing(): string {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return '';
  } catch {
    return `${CHROMIUM_PATH} not found or not executable (apt-get install chromium)`;
  }
}

/** A browser context over its own fresh profile; `close()` ends the browser and removes the profile. */
export interface ChromiumSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir and the given context options (viewport, JavaScript, locale...). */
export async function openChromium(options: BrowserContextOptions = {}): Promise<ChromiumSession> {
  const profile = mkdtempSync(join(tmpdir(), 'ruche-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
      ...options,
    });
    return {
      context,
      async close() {
        await context.close().catch(() => {});
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
