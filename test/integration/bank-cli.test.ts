// `ruche bank import`, `bank transactions` and `dues status` through main(argv, io) on each database; each import runs
// in its own process (the build's import-child.js) against the same database.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { personReference } from '../../src/modules/dues/matcher.js';
import { camt054 } from '../fixtures/camt054.js';
import { ruche } from '../helpers/cli.js';
import { forEachDialectCli } from '../helpers/dialects.js';
import { OFX_WITHOUT_ACCOUNT } from '../helpers/statements.js';

async function run(argv: string[], ttyErr = false) {
  const { code, out, err } = await ruche(argv, { out: false, err: ttyErr });
  return { code, out: out.text(), err: err.text() };
}

/** Runs a command with LANG set to a language (fr_BE.UTF-8, nl_BE.UTF-8), as an operator's shell would. */
async function runIn(lang: string, argv: string[], ttyErr = false) {
  process.env.LANG = lang;
  try {
    return await run(argv, ttyErr);
  } finally {
    process.env.LANG = 'C';
  }
}

const QIF_HEADER = '!Type:Bank\n';
const qif = (...movements: [string, string, string][]) => QIF_HEADER + movements.map(([date, amount, payee]) => `D${date}\nT${amount}\nP${payee}\n^\n`).join('');

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
    expect(first.err).toBe(''); // no progress bar with --json, even on a terminal
    const again = await run(['bank', 'import', file], true);
    expect(again.err).toMatch(/^\rnotification\.xml \[[#-]{24}\] +\d+% · /); // on a terminal: a bar...
    expect(again.err).toMatch(/\rnotification\.xml \[#{24}\] 100% · 2 movements · \d+:\d\d\n$/); // ...ended full, on its own line
    expect(again.code).toBe(0);
    expect(again.out).toContain('notification.xml (camt.054): 0 added, 2 duplicates skipped');
    const listed = JSON.parse((await run(['bank', 'transactions', '--json'])).out);
    expect(listed.map((t: { identity: string }) => t.identity).sort()).toEqual(['CLI-1', 'CLI-2']);
    const paid = listed.find((t: { identity: string }) => t.identity === 'CLI-1');
    expect(paid.allocations).toMatchObject([{ person_id: 1, status: 'auto', kind: 'dues' }]);
    const status = await run(['dues', 'status', '--year', '2026']);
    expect(status.out).toMatch(/^Paid\s+#\d+ Alice Verhoeven\s+\+\+\+900\/0000\/\d{5}\+\+\+\s+25\.00 EUR$/m);
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
    expect(refused.err).toMatch(/ruche bank import: broken\.xml : Le fichier XML est mal formé \(ligne \d+ colonne \d+\)/);
    expect(refused.err).not.toMatch(/\bline\b|\bcolumn\b/);
    expect(await transactionCount()).toBe(before);
    const missing = await run(['bank', 'import', join(dir, 'nowhere.xml')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('ruche bank import: nowhere.xml: no such file.');
  });

  it('imports each of several files in its own transaction, tries them all, and names the one that fails', async () => {
    const before = await transactionCount();
    const first = join(dir, 'first.qif');
    const cut = join(dir, 'cut.qif');
    const last = join(dir, 'last.qif');
    writeFileSync(first, qif(['13/03/2026', '25.00', 'Alice'], ['14/03/2026', '-5.00', 'Shop']));
    writeFileSync(cut, `${QIF_HEADER}D15/03/2026\nT7.00\nPBob\n`);
    writeFileSync(last, qif(['16/03/2026', '30.00', 'Carol']));
    const json = await run(['bank', 'import', first, cut, last, '--account', '1', '--json'], true);
    expect(json.code).toBe(1);
    const results = JSON.parse(json.out);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ filename: 'first.qif', format: 'qif', added: 2 });
    expect(results[1]).toEqual({ filename: 'cut.qif', error: { code: 'bank_unreadable', message: 'The QIF file is cut short (line 2).' } });
    expect(results[2]).toMatchObject({ filename: 'last.qif', format: 'qif', added: 1 });
    expect(json.err).not.toContain('#'); // no progress bar with --json
    expect(await transactionCount()).toBe(before + 3); // the files around the refused one are in

    const text = await run(['bank', 'import', first, cut, last, '--account', '1']);
    expect(text.code).toBe(1);
    expect(text.out).toContain('first.qif (qif): 0 added, 2 duplicates skipped');
    expect(text.out).toContain('last.qif (qif): 0 added, 1 duplicates skipped');
    expect(text.err).toContain('ruche bank import: cut.qif: The QIF file is cut short (line 2).');
    expect(text.err).toContain('3 files: 2 imported, 1 refused.');
    expect(text.err).not.toMatch(/\r|#/); // standard error is not a terminal: no progress bar
    expect(await transactionCount()).toBe(before + 3);
  });

  it('writes its summaries and the places of its refusals in the LANG language', async () => {
    const file = join(dir, 'fr.qif');
    writeFileSync(file, qif(['13/04/2026', '12.00', 'Dora']));
    const fr = await runIn('fr_BE.UTF-8', ['bank', 'import', file, '--account', '1', '--dry-run']);
    expect(fr.out).toContain('fr.qif (qif) : 1 ajoutés, 0 doublons ignorés, 0 rapprochés automatiquement, 1 à vérifier (essai : rien n’est enregistré)');
    expect(fr.out).toContain('1 mouvements, soldes non fournis');
    const nl = await runIn('nl_BE.UTF-8', ['bank', 'import', file, '--account', '1', '--dry-run']);
    expect(nl.out).toContain('fr.qif (qif): 1 toegevoegd, 0 dubbels overgeslagen, 0 automatisch gekoppeld, 1 na te kijken (proef: niets opgeslagen)');
    expect(nl.out).toContain('1 verrichtingen, saldi niet opgegeven');

    const ofx = join(dir, 'no-account.ofx');
    writeFileSync(ofx, OFX_WITHOUT_ACCOUNT);
    const cut = join(dir, 'cut.qif');
    writeFileSync(cut, `${QIF_HEADER}D15/03/2026\nT7.00\nPBob\n`);
    const refusedFr = await runIn('fr_BE.UTF-8', ['bank', 'import', ofx]);
    expect(refusedFr.code).toBe(1);
    expect(refusedFr.err).toContain('no-account.ofx : Il manque au fichier OFX des éléments obligatoires (ligne 5 <STMTRS>) : <CURDEF>, <BANKACCTFROM>');
    expect(refusedFr.err).not.toContain('missing');
    const refusedNl = await runIn('nl_BE.UTF-8', ['bank', 'import', cut, '--account', '1']);
    expect(refusedNl.err).toContain('cut.qif: Het QIF-bestand is onvolledig (regel 2).');
    const csv = join(dir, 'unclear.csv');
    writeFileSync(csv, 'Date,Amount,Description\n01/02/2026,12.50,x\n03/04/2026,-5.00,y\n');
    const unclear = await runIn('fr_BE.UTF-8', ['bank', 'import', csv, '--account', '1']);
    expect(unclear.err).toContain('dans ce CSV (ordre du jour et du mois dans les dates) : choisissez');
    expect(unclear.err).not.toContain('dateFormat');
  });

  it('names the saved CSV profiles when --profile is unknown, and the formats when --format is', async () => {
    const before = await transactionCount();
    const file = join(dir, 'first.qif');
    const none = await run(['bank', 'import', file, '--profile', 'nope']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('No CSV profile is named "nope". Saved profiles: none yet');
    const profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'my-bank', decimalComma: false, dateFormat: 'DD/MM/YYYY', delimiter: ',', columns: { date: 'Date', amount: 'Amount' } }));
    expect((await run(['bank', 'profile', 'save', profile])).code).toBe(0);
    const unknown = await runIn('nl_BE.UTF-8', ['bank', 'import', file, '--profile', 'nope']);
    expect(unknown.err).toContain('Er is geen CSV-profiel met de naam "nope". Bewaarde profielen: "my-bank".');
    const format = await run(['bank', 'import', file, '--format', 'mt940']);
    expect(format.code).toBe(1);
    expect(format.err).toContain('Unknown format "mt940". Valid formats: coda, camt.053, camt.054, ofx, qif, csv, auto.');
    expect(await transactionCount()).toBe(before);
  });
});
