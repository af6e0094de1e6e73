// `ruche people import` and `ruche people export` through main(argv, io), over a SQLite data folder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/exchange/csv-read.js';
import { ruche } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/people');

describe('people import and export commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruche-exchange-cli-'));
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, { RUCHE_DATA_DIR: dir, DATABASE_URL: '', RUCHE_SECRET: 'cli-exchange-secret-0123456789' });
    expect((await ruche(['migrate'])).code).toBe(0);
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes both commands with --help', async () => {
    const help = await ruche(['people', 'import', '--help']);
    expect(help.code).toBe(0);
    expect(help.out.text()).toContain('--map COLUMN=FIELD');
    expect(help.out.text()).toContain('display_name, first_name, last_name');
    expect((await ruche(['people', 'export', '--help'])).out.text()).toContain('--format csv|xlsx|ods');
  });

  it('prints errors with line numbers, exits 1 and writes nothing; a dry run writes nothing either', async () => {
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'Nom;Prénom;E-mail\nDupont;Anne;anne@example.org\n\nGrand;Denis;denis(at)example.org\n');
    const failed = await ruche(['people', 'import', broken]);
    expect(failed.code).toBe(1);
    expect(failed.err.text()).toContain('error: line 4, column "E-mail" (emails): This is not a valid e-mail address. [denis(at)example.org]');
    expect(failed.out.text()).toContain('nothing was imported');
    const dry = await ruche(['people', 'import', join(FIXTURES, 'galette-export.csv'), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out.text()).toContain('Dry run: 4 rows, 4 would be created, 0 already present, 1 warnings. Nothing was written.');
    expect(JSON.parse((await ruche(['people', 'list', '--json'])).out.text()).total).toBe(0);
  });

  it('imports with --map and --json (stable output), shows progress only on a terminal, and re-imports nothing', async () => {
    const file = join(dir, 'list.csv');
    writeFileSync(file, 'Qui\tCourriel\tDivers\nAnne Petit\tanne@example.org\tvia the fair\nBob Grand\tbob@example.org\t\n');
    const args = ['people', 'import', file, '--map', 'Qui=display_name', '--map', '3=notes', '--delimiter', 'tab'];
    const first = await ruche([...args, '--json']);
    expect(first.code).toBe(0);
    expect(first.err.text()).toBe('');
    const report = JSON.parse(first.out.text());
    expect(Object.keys(report)).toEqual(['dry_run', 'encoding', 'delimiter', 'columns', 'total', 'created', 'unchanged', 'errors', 'warnings', 'preview']);
    expect(report).toMatchObject({ dry_run: false, delimiter: '\t', total: 2, created: 2, unchanged: 0, errors: [] });
    const tty = await ruche(args, { out: false, err: true });
    expect(tty.err.text()).toContain('\r2/2 (100%)\n');
    expect(tty.out.text()).toContain('2 rows: 0 created, 2 already present');
    const piped = await ruche(args);
    expect(piped.err.text()).not.toContain('\r');
  });

  it('exports CSV to standard output and XLSX/ODS to files, refusing binary output on a terminal', async () => {
    const csv = await ruche(['people', 'export', '--lang', 'fr']);
    expect(csv.code).toBe(0);
    const table = readCsv(csv.out.bytes());
    expect(table.headers.slice(0, 3)).toEqual(['ID', 'Type', 'Nom']);
    expect(table.rows.map((r) => r.cells[2])).toEqual(['Anne Petit', 'Bob Grand']);
    expect((await ruche(['people', 'export', '--format', 'xlsx'], { out: true, err: true })).code).toBe(2);
    const output = join(dir, 'people.ods');
    const ods = await ruche(['people', 'export', '--format', 'ods', '--output', output]);
    expect(ods.code).toBe(0);
    expect(ods.err.text()).toContain(`2 people written to ${output}.`);
    expect(Object.keys(unzipSync(readFileSync(output)))[0]).toBe('mimetype');
    const piped = await ruche(['people', 'export', '--format', 'xlsx']);
    expect(piped.out.bytes().subarray(0, 2).toString()).toBe('PK');
    expect((await ruche(['people', 'export', '--format', 'pdf'])).code).toBe(1);
  });
});
