// E-mail address verification and password change for the logged-in person, with a real SMTP server.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { primaryEmailOfPerson } from '../../src/modules/account-mail/email-verification.service.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import { settleMail } from '../../src/modules/mail/mail.service.js';
import { createPerson, updatePerson } from '../../src/modules/people/people.service.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp.js';

const PUBLIC_URL = 'https://members.example.org';
let smtp: TestSmtp;
beforeAll(async () => { smtp = await startSmtp(); });
afterAll(() => smtp.close());

async function member(t: TestApp, username: string, emails: string[], language?: string) {
  const person = await createPerson(t.ctx.db, SYSTEM, { display_name: `Person ${username}`, emails, language });
  const account = await createAccount(t.ctx.db, SYSTEM, { username, password: PASSWORD, person_id: person.id, roles: ['member'] });
  const browser = new Browser(t.app);
  await browser.login(username, PASSWORD);
  return { person, account, browser };
}

forEachDialect('e-mail verification and password change', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(await open());
    Object.assign(t.ctx.config, { smtpUrl: smtp.url, publicUrl: PUBLIC_URL });
    smtp.mails.length = 0;
  });
  afterEach(async () => { await settleMail(); await t.close(); });

  it('verifies an address through a single-use link; changing the address drops the verification', async () => {
    const { person, account, browser } = await member(t, 'hana', ['hana@example.org', 'hana@work.example'], 'nl');
    expect(await primaryEmailOfPerson(t.ctx.db, account.personId!)).toEqual({ email: 'hana@example.org', verified: false });
    expect((await browser.get('/account')).body).toContain('href="/account/emails"');
    const page = await browser.get('/account/emails');
    expect(page.body).toContain('hana@work.example');
    expect(page.body).toContain('not verified');

    const sent = await browser.post('/account/emails/verify', { email: 'hana@example.org' });
    expect(sent.statusCode).toBe(303);
    expect((await browser.get('/account/emails')).body).toContain('A verification link was sent to hana@example.org.');
    const [mail] = await smtp.waitFor(1);
    expect(mail.to).toEqual(['hana@example.org']);
    expect(mail.subject).toBe('Ruche: bevestig uw e-mailadres');
    const link = linkIn(mail, PUBLIC_URL);
    expect(link).toMatch(/^\/verify-email\/[\w-]{40,}$/);

    const opened = await new Browser(t.app).get(link);
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('The address hana@example.org is verified');
    expect(await primaryEmailOfPerson(t.ctx.db, account.personId!)).toEqual({ email: 'hana@example.org', verified: true });
    expect((await browser.get('/account/emails')).body).toMatch(/verified on \d{4}-\d{2}-\d{2}/);
    expect((await new Browser(t.app).get(link)).statusCode).toBe(410);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'person').where('entity_id', '=', String(person.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['email.verification_sent', 'email.verified']));

    await updatePerson(t.ctx.db, SYSTEM, person.id, { phone: '+32 470 00 00 00' });
    expect(await primaryEmailOfPerson(t.ctx.db, account.personId!)).toEqual({ email: 'hana@example.org', verified: true });
    await updatePerson(t.ctx.db, SYSTEM, person.id, { emails: ['hana@new.example', 'hana@example.org'] });
    expect(await primaryEmailOfPerson(t.ctx.db, account.personId!)).toEqual({ email: 'hana@new.example', verified: false });
    await updatePerson(t.ctx.db, SYSTEM, person.id, { emails: ['hana@new.example'] });
    await updatePerson(t.ctx.db, SYSTEM, person.id, { emails: ['hana@example.org'] });
    expect(await primaryEmailOfPerson(t.ctx.db, account.personId!)).toEqual({ email: 'hana@example.org', verified: false });
  });

  it('refuses another person\'s address, a forged request, and a link whose address was changed since', async () => {
    const { person, browser } = await member(t, 'ivan', ['ivan@example.org']);
    await browser.get('/account/emails');
    const foreign = await browser.post('/account/emails/verify', { email: 'someone@example.org' });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.body).toContain('This address is not one of yours.');
    expect((await browser.post('/account/emails/verify', { email: 'ivan@example.org', _csrf: 'forged' })).statusCode).toBe(403);
    await settleMail();
    expect(smtp.mails).toHaveLength(0);

    await browser.get('/account/emails');
    await browser.post('/account/emails/verify', { email: 'ivan@example.org' });
    const link = linkIn((await smtp.waitFor(1))[0], PUBLIC_URL);
    await updatePerson(t.ctx.db, SYSTEM, person.id, { emails: ['ivan@elsewhere.example'] });
    expect((await new Browser(t.app).get(link)).statusCode).toBe(410);
    expect((await new Browser(t.app).get('/verify-email/not-a-real-token')).statusCode).toBe(410);
  });

  it('reports a mail that cannot be sent, and says so when no SMTP server is configured', async () => {
    const { browser } = await member(t, 'jade', ['jade@example.org']);
    t.ctx.config.smtpUrl = 'smtp://ruche:wrong-password@127.0.0.1:1';
    await browser.get('/account/emails');
    const failed = await browser.post('/account/emails/verify', { email: 'jade@example.org' });
    expect(failed.statusCode).toBe(502);
    expect(failed.body).toMatch(/The mail could not be sent \((ECONNECTION|ESOCKET)\)/);
    expect(failed.body).not.toContain('wrong-password');

    t.ctx.config.smtpUrl = smtp.url.replace('s3cret', 'wrong');
    await browser.get('/account/emails');
    const refused = await browser.post('/account/emails/verify', { email: 'jade@example.org' });
    expect(refused.statusCode).toBe(502);
    expect(refused.body).toContain('(EAUTH)');

    t.ctx.config.smtpUrl = '';
    const page = await browser.get('/account/emails');
    expect(page.body).toContain('no SMTP server is configured');
    expect(page.body).not.toContain('/account/emails/verify');
    expect((await browser.post('/account/emails/verify', { email: 'jade@example.org' })).statusCode).toBe(503);
  });

  it('changes one\'s password with the current one and ends the other sessions only', async () => {
    const { browser } = await member(t, 'kim', ['kim@example.org']);
    const phone = new Browser(t.app);
    await phone.login('kim', PASSWORD);
    await browser.get('/account');
    const wrong = await browser.post('/account/password', { current: 'not my password', password: 'the next passphrase' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('The current password is wrong.');
    expect((await phone.get('/account')).statusCode).toBe(200);
    await browser.get('/account');
    expect((await browser.post('/account/password', { current: PASSWORD, password: 'the next passphrase', _csrf: 'forged' })).statusCode).toBe(403);
    const changed = await browser.post('/account/password', { current: PASSWORD, password: 'the next passphrase' });
    expect(changed.statusCode).toBe(303);
    const after = await browser.get('/account');
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Your other sessions were ended.');
    expect((await phone.get('/account')).statusCode).toBe(302);
    await new Browser(t.app).login('kim', 'the next passphrase');
  });
});
