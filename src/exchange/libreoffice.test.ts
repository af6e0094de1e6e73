// Opens what Ruche writes in real LibreOffice (headless) and checks what it reads.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter as pathDelimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unavailable } from '../../test/helpers/require.js';
import { readCsv } from './csv-read.js';
import { toOds } from './ods-write.js';
import type { Cell } from './sheet.js';
import { toXlsx } from './xlsx-write.js';

// CSV export filter: comma, double quote, UTF-8 (76), then raw values rather than "as shown" (token 9).
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false';
const HEADERS = ['nom', 'montant', 'note'];
const ROWS: Cell[][] = [
  ['Hélène Œuvray', 12.5, '<b>&"\'</b>'],
  ['Zoë l’Ardennaise', -1234567.25, '=1+1'],
  [null, 0, '  deux  espaces'],
];
const EXPECTED = [
  ['Hélène Œuvray', '12.5', '<b>&"\'</b>'],
  ['Zoë l’Ardennaise', '-1234567.25', '=1+1'],
  ['', '0', '  deux  espaces'],
];

function findSoffice(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(pathDelimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, 'soffice')).find((file) => existsSync(file));
}

/** Whether CI runs these tests (RUCHE_REQUIRE_SUITES=libreoffice is enforced by unavailable()). */
function onCi(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}

const MISSING = 'soffice is not on PATH (apt-get install --no-install-recommends libreoffice-calc-nogui)';
const soffice = findSoffice();
if (!soffice) {
  if (onCi()) throw new Error(`libreoffice tests cannot run on CI: ${MISSING}`);
  unavailable('libreoffice', MISSING); // throws when RUCHE_REQUIRE_SUITES lists libreoffice, else warns
}

describe.skipIf(!soffice)('LibreOffice opens the exported spreadsheets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruche-lo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the same cells from the XLSX and the ODS', async () => {
    writeFileSync(join(dir, 'export.xlsx'), await toXlsx('Membres', HEADERS, ROWS));
    writeFileSync(join(dir, 'export-ods.ods'), toOds('Membres', HEADERS, ROWS));
    const profile = `-env:UserInstallation=file://${join(dir, 'profile')}`;
    const out = join(dir, 'out');
    execFileSync(soffice!, [profile, '--headless', '--norestore', '--convert-to', CSV_FILTER, '--outdir', out,
      join(dir, 'export.xlsx'), join(dir, 'export-ods.ods')], { timeout: 120_000, stdio: 'pipe' });
    for (const name of ['export.csv', 'export-ods.csv']) {
      const table = readCsv(readFileSync(join(out, name)));
      expect(table.headers, name).toEqual(HEADERS);
      expect(table.rows.map((row) => row.cells), name).toEqual(EXPECTED);
    }
  }, 180_000);
});
