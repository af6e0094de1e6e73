// `ruche accounts reset-link` through main(argv, io) on each database, with a real SMTP server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { sha256 } from '../../src/core/tokens.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { openStorage } from '../../src/storage/database.js';
import { ruche } from '../helpers/cli.js';
import { forEachDialectCli } from '../helpers/dialects.js';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp.js';

forEachDialectCli('accounts reset-link command', (database) => {
  const saved = { ...process.env };
  let smtp: TestSmtp;
  const open = () => openStorage(database());
  beforeAll(async () => {
    smtp = await startSmtp();
    const { dataDir, databaseUrl } = database();
    Object.assign(process.env, {
      RUCHE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, RUCHE_SECRET: 'cli-reset-secret-0123456789', RUCHE_PUBLIC_URL: 'http://ruche.test', RUCHE_SMTP_URL: smtp.url,
    });
    expect((await ruche(['migrate'])).code).toBe(0);
    const storage = open();
    const person = await createPerson(storage.db, SYSTEM, { display_name: 'Léna Dubois', emails: ['lena@example.org'], language: 'fr' });
    await createAccount(storage.db, SYSTEM, { username: 'lena', password: 'a long password indeed', person_id: person.id, roles: ['member'] });
    await createAccount(storage.db, SYSTEM, { username: 'noaddress', password: 'a long password indeed', roles: ['member'] });
    await storage.close();
  });
  afterAll(async () => {
    process.env = saved;
    await smtp.close();
  });

  it('prints a one-hour link for an administrator to pass on, stored only as a hash', async () => {
    const run = await ruche(['accounts', 'reset-link', 'LENA']);
    expect(run.code).toBe(0);
    const url = /^http:\/\/ruche\.test\/password-reset\/([\w-]+)$/m.exec(run.out.text());
    expect(url).not.toBeNull();
    expect(run.out.text()).toContain('works once, for one hour');
    const storage = open();
    try {
      const rows = await storage.db.selectFrom('account_mail_tokens').selectAll().execute();
      expect(rows.map((r) => r.token_hash)).toContain(sha256(url![1]));
      const audit = await storage.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'account.reset_link').execute();
      expect(audit[0].actor_label).toMatch(/^cli:/);
    } finally {
      await storage.close();
    }
    expect(smtp.mails).toHaveLength(0);
  });

  it('mails the link with --send, in the person\'s language', async () => {
    const run = await ruche(['accounts', 'reset-link', 'lena', '--send']);
    expect(run.err.text()).toBe('');
    expect(run.out.text()).toBe('Sent a password reset link to lena@example.org. It works once, for one hour.\n');
    const [mail] = await smtp.waitFor(1);
    expect(mail.text).toContain('Un·e administrateur·rice de Ruche vous envoie ce lien');
    expect(linkIn(mail, 'http://ruche.test')).toMatch(/^\/password-reset\/[\w-]+$/);
  });

  it('says clearly what is wrong: unknown account, no address, no SMTP server, a server that does not answer', async () => {
    const unknown = await ruche(['accounts', 'reset-link', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.err.text()).toContain('No such account.');
    const noAddress = await ruche(['accounts', 'reset-link', 'noaddress', '--send']);
    expect(noAddress.code).toBe(1);
    expect(noAddress.err.text()).toContain('The account noaddress has no e-mail address to send to.');
    process.env.RUCHE_SMTP_URL = 'smtp://ruche:hunter2-smtp@127.0.0.1:1';
    const down = await ruche(['accounts', 'reset-link', 'lena', '--send']);
    expect(down.code).toBe(1);
    expect(down.err.text()).toMatch(/The mail could not be sent \(E[A-Z]+\)/);
    expect(down.err.text()).not.toContain('hunter2');
    const config = await ruche(['config']);
    expect(config.out.text()).toContain('smtp://ruche:***@127.0.0.1:1');
    expect(config.out.text()).not.toContain('hunter2');
    process.env.RUCHE_SMTP_URL = '';
    const none = await ruche(['accounts', 'reset-link', 'lena', '--send']);
    expect(none.code).toBe(1);
    expect(none.err.text()).toContain('no SMTP server is configured (RUCHE_SMTP_URL)');
  });
});
