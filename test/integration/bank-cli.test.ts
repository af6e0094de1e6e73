// `ruche bank import`, `bank transactions` and `dues status` through main(argv, io) on each database; each import runs
// in its own process (the build's import-child.js) against the same database.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { personReference } from '../../src/modules/dues/matcher.js';
import { camt054 } from '../fixtures/camt054.js';
import { ruche } from '../helpers/cli.js';
import { forEachDialectCli } from '../helpers/dialects.js';

async function run(argv: string[], ttyErr = false) {
  const { code, out, err } = await ruche(argv, { out: false, err: ttyErr });
  return { code, out: out.text(), err: err.text() };
}

const transactionCount = async () => JSON.parse((await run(['bank', 'transactions', '--json'])).out).length as number;

forEachDialectCli('bank commands', (database) => {
  let dir = '';
  let onPostgres = false;
  const saved = { ...process.env };
  let reference = '';
  beforeAll(async () => {
    const { dataDir, databaseUrl } = database();
    dir = dataDir;
    onPostgres = databaseUrl !== '';
    Object.assign(process.env, { RUCHE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, RUCHE_SECRET: 'cli-bank-secret-0123456789', LANG: 'C', LC_ALL: '', LC_MESSAGES: '' });
    expect((await run(['migrate'])).code).toBe(0);
    const people = join(dir, 'people.csv');
    writeFileSync(people, 'first_name,last_name\nAlice,Verhoeven\n');
    expect((await run(['people', 'import', people])).code).toBe(0);
    reference = personReference(1);
  });
  afterAll(() => {
    process.env = saved;
  });

  it('imports a file in its own process, matches it, and adds nothing the second time', async () => {
    const file = join(dir, 'notification.xml');
    writeFileSync(file, camt054([
      { id: 'CLI-1', amount: '25.00', name: 'VERHOEVEN ALICE', ref: reference, date: '2026-02-03' },
      { id: 'CLI-2', amount: '-12.10', name: 'Registrar' },
    ]));
    const first = await run(['bank', 'import', file, '--json'], true);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'ruche.sqlite'))).toBe(!onPostgres); // the import process used the database it was given
    const [summary] = JSON.parse(first.out);
    expect(summary).toMatchObject({ format: 'camt.054', added: 2, duplicates: 0, automatic: 1, toReview: 1, dryRun: false });
    expect(first.err).toContain('notification.xml: 2 movements read');
    const again = await run(['bank', 'import', file]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('notification.xml (camt.054): 0 added, 2 duplicates skipped');
    const listed = JSON.parse((await run(['bank', 'transactions', '--json'])).out);
    expect(listed.map((t: { identity: string }) => t.identity).sort()).toEqual(['CLI-1', 'CLI-2']);
    const paid = listed.find((t: { identity: string }) => t.identity === 'CLI-1');
    expect(paid.allocations).toMatchObject([{ person_id: 1, status: 'auto', kind: 'dues' }]);
    const status = await run(['dues', 'status', '--year', '2026']);
    expect(status.out).toMatch(/^paid\s+Alice Verhoeven\s+25\.00 EUR$/m);
  });

  it('writes nothing on a dry run, and refuses a broken file in the LANG language, changing nothing', async () => {
    const before = await transactionCount();
    const file = join(dir, 'dry.xml');
    writeFileSync(file, camt054([{ id: 'CLI-DRY', amount: '5.00', name: 'Somebody' }]));
    const dry = await run(['bank', 'import', file, '--dry-run']);
    expect(dry.out).toContain('1 added, 0 duplicates skipped');
    expect(dry.out).toContain('dry run: nothing written');
    expect(await transactionCount()).toBe(before);
    const broken = join(dir, 'broken.xml');
    writeFileSync(broken, camt054([{ id: 'CLI-X', amount: '5.00', name: 'Somebody' }]).toString().replace('</Ntfctn>', ''));
    process.env.LANG = 'fr_BE.UTF-8';
    const refused = await run(['bank', 'import', broken]);
    process.env.LANG = 'C';
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/ruche bank import: .*(XML|ligne)/);
    expect(refused.err).toContain('line');
    expect(await transactionCount()).toBe(before);
    const missing = await run(['bank', 'import', join(dir, 'nowhere.xml')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nowhere.xml');
  });
});
