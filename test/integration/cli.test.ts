// The `ruche` command as an operator runs it: real processes over a SQLite data folder (the CLI is dialect-agnostic).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/ruche.js');

function ruche(dataDir: string, args: string[], input?: string, lang = 'C') {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, RUCHE_DATA_DIR: dataDir, RUCHE_SECRET: 'cli-test-secret-0123456789', DATABASE_URL: '', LANG: lang, LC_ALL: '', LC_MESSAGES: '' },
    input: input ?? '',
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, RUCHE_DATA_DIR: dataDir, RUCHE_SECRET: 'cli-test-secret-0123456789', PORT: '0', DATABASE_URL: '' },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match && output.includes('Ruche is running')) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

describe('ruche command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ruche-cli-'));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;

  afterAll(() => { server?.child.kill('SIGTERM'); });

  it('lists its commands and refuses unknown ones', () => {
    const help = ruche(dataDir, ['--help']);
    expect(help.code).toBe(0);
    for (const word of ['serve', 'migrate', 'admin create', 'token create', 'people list', 'backup']) expect(help.out).toContain(word);
    expect(ruche(dataDir, ['frobnicate']).code).toBe(2);
    const commandHelp = ruche(dataDir, ['token', 'create', '--help']);
    expect(commandHelp.out).toContain('--username U --name N');
  });

  it('refuses to serve a database with pending migrations unless asked to migrate', () => {
    const refused = ruche(dataDir, ['serve']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/pending migration.*ruche migrate/s);
    expect(ruche(dataDir, ['migrate']).out).toContain('0001_foundation');
    expect(ruche(dataDir, ['migrate']).out).toContain('up to date');
  });

  it('stops with a message naming a bad variable', () => {
    const result = spawnSync(process.execPath, [BIN, 'config'], { env: { ...process.env, PORT: 'http' }, encoding: 'utf8' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT');
  });

  it('prints the configuration with secrets redacted', () => {
    const { out } = ruche(dataDir, ['config', '--json']);
    const printed = JSON.parse(out);
    expect(printed.RUCHE_SECRET).toBe('***');
    expect(printed.RUCHE_DATA_DIR).toBe(dataDir);
  });

  describe('with a running server', () => {
    let token = '';
    beforeAll(async () => {
      server = await startServer(dataDir);
    });

    it('prints a one-time setup link while no account exists', async () => {
      const link = /(http:\/\/\S+\/setup\/\S+)/.exec(server!.output())?.[1];
      expect(link).toBeTruthy();
      const path = new URL(link!).pathname;
      const page = await fetch(`${server!.url}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('name="password"');
    });

    it('creates an admin from stdin and a token that works on the API', async () => {
      const noStdin = ruche(dataDir, ['admin', 'create', '--username', 'alice', '--email', 'alice@example.org']);
      expect(noStdin.code).toBe(1);
      expect(noStdin.err).toContain('--password-stdin');
      const created = ruche(dataDir, ['admin', 'create', '--username', 'Alice', '--email', 'alice@example.org', '--password-stdin', '--json'], 'a long enough password\n');
      expect(created.code).toBe(0);
      expect(JSON.parse(created.out)).toMatchObject({ username: 'alice', roles: ['admin'] });
      const weak = ruche(dataDir, ['admin', 'create', '--username', 'bob', '--email', 'bob@example.org', '--password-stdin'], 'short\n');
      expect(weak.code).toBe(1);
      expect(weak.err).toContain('at least 10 characters');
      const french = ruche(dataDir, ['admin', 'create', '--username', 'bob', '--email', 'bob@example.org', '--password-stdin'], 'short\n', 'fr_BE.UTF-8');
      expect(french.err).toContain('au moins 10 caractères');
      token = ruche(dataDir, ['token', 'create', '--username', 'alice', '--name', 'script']).out.trim();
      expect(token).toMatch(/^ruche_/);
      const response = await fetch(`${server!.url}/api/v1/people`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ display_name: 'Zoë Backup', emails: ['zoe@example.org'] }),
      });
      expect(response.status).toBe(201);
    });

    it('lists people as stable JSON and checks the --as account\'s permission', () => {
      const listed = JSON.parse(ruche(dataDir, ['people', 'list', '--json', '--q', 'zoe']).out);
      expect(listed).toMatchObject({ total: 1, page: 1, items: [{ display_name: 'Zoë Backup', emails: ['zoe@example.org'] }] });
      expect(ruche(dataDir, ['people', 'list', '--as', 'alice', '--json']).code).toBe(0);
      ruche(dataDir, ['admin', 'create', '--username', 'carol', '--email', 'carol@example.org', '--password-stdin'], 'another long password');
      const db = new SqliteDatabase(join(dataDir, 'ruche.sqlite'));
      db.prepare("update account_roles set role = 'member' where account_id = (select id from accounts where username = 'carol')").run();
      db.close();
      const refused = ruche(dataDir, ['people', 'list', '--as', 'carol']);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('lacks the permission people:read');
    });

    it('backs up the SQLite database while the server runs', () => {
      const output = join(dataDir, 'backup.sqlite');
      const result = ruche(dataDir, ['backup', '--output', output]);
      expect(result.code).toBe(0);
      const copy = new SqliteDatabase(output, { readonly: true });
      const row = copy.prepare("select count(*) as n from people where display_name = 'Zoë Backup'").get() as { n: number };
      copy.close();
      expect(row.n).toBe(1);
    });
  });
});
