// Password reset by mail, end to end: the form, a real SMTP server receiving the mail, the link, the new password.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { sha256 } from '../../src/core/tokens.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { type MailFailure, settleMail } from '../../src/modules/mail/mail.service.js';
import { startPasswordReset } from '../../src/modules/account-mail/password-reset.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp.js';

const PUBLIC_URL = 'http://ruche.test';
const NEW_PASSWORD = 'a brand new passphrase';
let smtp: TestSmtp;
beforeAll(async () => { smtp = await startSmtp(); });
afterAll(() => smtp.close());

async function member(t: TestApp, username: string, name: string, email: string, language?: string) {
  const person = await createPerson(t.ctx.db, SYSTEM, { display_name: name, emails: [email], language });
  const account = await createAccount(t.ctx.db, SYSTEM, { username, password: PASSWORD, person_id: person.id, roles: ['member'] });
  return { person, account };
}

async function askReset(t: TestApp, login: string) {
  const browser = new Browser(t.app);
  await browser.get('/password-reset');
  return browser.post('/password-reset', { login });
}

async function auditActions(t: TestApp, accountId: number): Promise<string[]> {
  const rows = await t.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'account').where('entity_id', '=', String(accountId)).orderBy('id').execute();
  return rows.map((r) => r.action);
}

forEachDialect('password reset by mail', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(await open());
    Object.assign(t.ctx.config, { smtpUrl: smtp.url, publicUrl: PUBLIC_URL, mailFrom: 'Les Abeilles <ruche@abeilles.test>' });
    smtp.mails.length = 0;
  });
  afterEach(async () => { await settleMail(); await t.close(); });

  it('mails a single-use link that sets a new password, ends every session and is recorded', async () => {
    const { account } = await member(t, 'alice', 'Alice Martin', 'alice@example.org');
    const aliceElsewhere = new Browser(t.app);
    await aliceElsewhere.login('alice', PASSWORD);

    const visitor = new Browser(t.app);
    const login = await visitor.get('/login');
    expect(login.body).toContain('href="/password-reset"');
    expect(login.body).toContain('Forgot your password?');
    await visitor.get('/password-reset');
    const asked = await visitor.post('/password-reset', { login: 'Alice' });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/login');
    expect((await visitor.get('/login')).body).toContain('a mail with a link is on its way');

    const [mail] = await smtp.waitFor(1);
    expect(mail.to).toEqual(['alice@example.org']);
    expect(mail.user).toBe('ruche');
    expect(mail.headers.get('from')).toBe('Les Abeilles <ruche@abeilles.test>');
    expect(mail.subject).toBe('Ruche: choose a new password');
    expect(mail.text).toContain('Hello Alice Martin,');
    expect(mail.text).toContain('expires in one hour');
    expect(mail.html).toContain('<a href="http://ruche.test/password-reset/');
    const link = linkIn(mail, PUBLIC_URL);
    const token = link.split('/').pop()!;
    const stored = await t.ctx.db.selectFrom('account_mail_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const form = await visitor.get(link);
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toContain('New password for the account alice');
    const tooShort = await visitor.post(link, { password: 'short' });
    expect(tooShort.statusCode).toBe(422);
    const done = await visitor.post(link, { password: NEW_PASSWORD });
    expect(done.statusCode).toBe(303);
    expect((await visitor.get('/login')).body).toContain('Your password was changed and all your sessions were ended');

    expect((await aliceElsewhere.get('/account')).statusCode).toBe(302);
    await visitor.get('/login');
    expect((await visitor.post('/login', { login: 'alice', password: PASSWORD })).statusCode).toBe(422);
    await new Browser(t.app).login('alice', NEW_PASSWORD);
    expect(await auditActions(t, account.id)).toEqual(expect.arrayContaining(['account.password_reset_requested', 'account.password', 'account.password_reset']));

    const again = await new Browser(t.app).get(link);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already used, has expired or is unknown');
    const reuse = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'yet another passphrase' } });
    expect(reuse.statusCode).toBe(410);
    expect(reuse.json().error.code).toBe('link_invalid');
  });

  it('refuses an expired link, through the pages and the API', async () => {
    await member(t, 'bob', 'Bob', 'bob@example.org');
    const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'BOB@example.org' } });
    expect(accepted.statusCode).toBe(202);
    const [mail] = await smtp.waitFor(1);
    const link = linkIn(mail, PUBLIC_URL);
    await t.ctx.db.updateTable('account_mail_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    expect((await new Browser(t.app).get(link)).statusCode).toBe(410);
    const confirm = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token: link.split('/').pop(), password: NEW_PASSWORD } });
    expect(confirm.statusCode).toBe(410);
    await new Browser(t.app).login('bob', PASSWORD);
  });

  it('takes the API requests as JSON only: a form posted from another site sends no mail and changes nothing', async () => {
    await member(t, 'gus', 'Gus', 'gus@example.org');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const asked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', headers: form, payload: 'login=gus' });
    expect(asked.statusCode).toBe(415);
    expect(asked.json().error.message).toBe('Send this request as JSON (Content-Type: application/json).');
    const confirm = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', headers: form, payload: 'token=x&password=yet+another+passphrase' });
    expect(confirm.statusCode).toBe(415);
    await settleMail();
    expect(smtp.mails).toHaveLength(0);
  });

  it('sets the password through the API with a fresh link', async () => {
    await member(t, 'carol', 'Carol', 'carol@example.org');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'carol' } });
    const [mail] = await smtp.waitFor(1);
    const token = linkIn(mail, PUBLIC_URL).split('/').pop();
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error.fields.password).toBeDefined();
    const done = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: NEW_PASSWORD } });
    expect(done.json()).toEqual({ status: 'password_changed', username: 'carol' });
    await new Browser(t.app).login('carol', NEW_PASSWORD);
  });

  it('answers the same for an unknown login or address, and sends no mail for it', async () => {
    await member(t, 'dan', 'Dan', 'dan@example.org');
    const unknownName = await askReset(t, 'nobody');
    const unknownAddress = await askReset(t, 'nobody@example.org');
    const known = await askReset(t, 'dan@example.org');
    for (const response of [unknownName, unknownAddress]) {
      expect(response.statusCode).toBe(known.statusCode);
      expect(response.headers.location).toBe(known.headers.location);
      expect(response.body).toBe(known.body);
    }
    const api = async (login: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login } });
    const [apiUnknown, apiKnown] = [await api('ghost@example.org'), await api('dan')];
    expect(apiUnknown.statusCode).toBe(202);
    expect(apiUnknown.body).toBe(apiKnown.body);
    await settleMail();
    expect(smtp.mails.map((m) => m.to[0])).toEqual(['dan@example.org', 'dan@example.org']);
  });

  it('writes in the person\'s language: French for a French-speaking member', async () => {
    await member(t, 'elodie', 'Élodie Dupont', 'elodie@example.org', 'fr');
    await askReset(t, 'elodie');
    const [mail] = await smtp.waitFor(1);
    expect(mail.headers.get('content-language')).toBe('fr');
    expect(mail.subject).toBe('Ruche : choisissez un nouveau mot de passe');
    expect(mail.text).toContain('Bonjour Élodie Dupont,');
    expect(mail.text).toContain('Choisir un nouveau mot de passe:');
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain('expire dans une heure');
  });

  it('escapes the person\'s name in the HTML part', async () => {
    await member(t, 'eve', 'Eve <b>"Bold"</b> & Co', 'eve@example.org');
    await askReset(t, 'eve');
    const [mail] = await smtp.waitFor(1);
    expect(mail.html).toContain('Hello Eve &lt;b&gt;&quot;Bold&quot;&lt;/b&gt; &amp; Co,');
    expect(mail.html).not.toContain('<b>');
    expect(mail.text).toContain('Hello Eve <b>"Bold"</b> & Co,');
  });

  it('limits reset mails per account, and requests per client address', async () => {
    await member(t, 'fred', 'Fred', 'fred@example.org');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await askReset(t, 'fred'));
    expect(answers.map((a) => a.statusCode)).toEqual([303, 303, 303, 303]);
    await settleMail();
    expect(smtp.mails).toHaveLength(3);
    for (let i = 0; i < 6; i++) expect((await askReset(t, `someone${i}`)).statusCode).toBe(303);
    const limited = await askReset(t, 'fred');
    expect(limited.statusCode).toBe(429);
  });

  it('refuses forged form posts (no CSRF token) and leaves the link usable', async () => {
    await member(t, 'gina', 'Gina', 'gina@example.org');
    const visitor = new Browser(t.app);
    await visitor.get('/password-reset');
    expect((await visitor.post('/password-reset', { login: 'gina', _csrf: 'forged' })).statusCode).toBe(403);
    await settleMail();
    expect(smtp.mails).toHaveLength(0);
    await askReset(t, 'gina');
    const link = linkIn((await smtp.waitFor(1))[0], PUBLIC_URL);
    await visitor.get(link);
    expect((await visitor.post(link, { password: NEW_PASSWORD, _csrf: 'forged' })).statusCode).toBe(403);
    expect((await visitor.get(link)).statusCode).toBe(200);
    expect((await visitor.post(link, { password: NEW_PASSWORD })).statusCode).toBe(303);
  });

  it('reports a reset mail that could not be sent, without the SMTP password or the link', async () => {
    await member(t, 'hugo', 'Hugo', 'hugo@example.org');
    const failures: MailFailure[] = [];
    const config = { ...t.ctx.config, smtpUrl: 'smtp://ruche:hunter2-smtp@127.0.0.1:1' };
    startPasswordReset(t.ctx.db, config, { login: 'hugo' }, (failure) => failures.push(failure));
    await settleMail();
    expect(failures).toHaveLength(1);
    expect(failures[0].code).toMatch(/^E[A-Z]+$/);
    const [row] = await t.ctx.db.selectFrom('account_mail_tokens').select('token_hash').execute();
    expect(JSON.stringify(failures)).not.toContain('hunter2');
    expect(JSON.stringify(failures)).not.toContain(row.token_hash);
  });

  it('says clearly that mail is not configured, on the page and in the API', async () => {
    t.ctx.config.smtpUrl = '';
    const page = await new Browser(t.app).get('/password-reset');
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('no SMTP server is configured');
    expect(page.body).not.toContain('name="login"');
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'anyone' } });
    expect(api.statusCode).toBe(503);
    expect(api.json().error.code).toBe('mail_not_configured');
  });
});
