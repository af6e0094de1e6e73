// Invitations (sponsorship): a sponsor creates a single-use link, the invitee opens it, gets a person and an account
// (invited by the sponsor) and is logged in; used, expired, revoked and unknown links are refused; bad input keeps nothing.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sha256 } from '../../src/core/tokens.js';
import { SYSTEM } from '../../src/core/actor.js';
import { createGroup, groupNamesOfPerson } from '../../src/modules/groups/groups.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, csrfOf } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';

const NEW_PASSWORD = 'a brand new long password';

/** The token inside the link the page shows once. */
function linkOf(page: string): { link: string; token: string } {
  const match = /value="(http:\/\/127\.0\.0\.1:8080\/invite\/([A-Za-z0-9_-]{43}))"/.exec(page);
  if (!match) throw new Error('no invitation link in the page');
  return { link: match[1], token: match[2] };
}

function invitee(fields: Record<string, string> = {}) {
  return { display_name: 'Zoé Lambert', email: 'Zoe@Example.org', username: 'zoe', password: NEW_PASSWORD, password_confirm: NEW_PASSWORD, ...fields };
}

forEachDialect('invitations', (open) => {
  let t: TestApp;
  let adminToken: string;
  beforeEach(async () => {
    t = await startTestApp(await open());
    adminToken = await t.tokenFor(['admin'], 'root');
  });
  afterEach(() => t.close());

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, token = adminToken, payload?: unknown) => t.api(token, method, url, payload);
  const accountCount = async () => (await api('GET', '/api/v1/accounts')).json().items.length as number;
  const accountNamed = async (username: string) => (await api('GET', '/api/v1/accounts')).json().items.find((a: { username: string }) => a.username === username);

  async function createViaPage(sponsor: Browser, fields: Record<string, string> = {}) {
    await sponsor.get('/invitations');
    const page = await sponsor.post('/invitations', { days: '7', note: 'for Zoé, met at the fair', ...fields });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    return linkOf(page.body);
  }

  it('lets an inviter create a link the invitee uses once: account invited by the sponsor, person, audit, logged in', async () => {
    const sponsor = await t.loginAs(['member', 'inviter'], 'sponsor');
    expect((await sponsor.get('/')).body).toContain('href="/invitations"');
    const { link, token } = await createViaPage(sponsor);
    expect(link).toBe(`${t.ctx.config.publicUrl}/invite/${token}`);
    const stored = await t.ctx.db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await sponsor.get('/invitations');
    expect(listed.body).toContain('for Zoé, met at the fair');
    expect(listed.body).not.toContain(token);
    expect(listed.body).toContain('>open<');

    const guest = new Browser(t.app, { 'accept-language': 'fr' });
    const form = await guest.get(`/invite/${token}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('sponsor vous invite');
    const accepted = await guest.post(`/invite/${token}`, invitee());
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/account');
    expect(guest.cookies.has('ruche_session')).toBe(true);
    const welcome = await guest.get('/account');
    expect(welcome.statusCode).toBe(200);
    expect(welcome.body).toContain('Bienvenue, zoe');
    expect((await guest.get('/api/v1/me')).json()).toMatchObject({ username: 'zoe', roles: ['member'], locale: 'fr' });

    const zoe = await accountNamed('zoe');
    const sponsorAccount = await accountNamed('sponsor');
    expect(zoe.invitedBy).toEqual({ id: sponsorAccount.id, username: 'sponsor' });
    const person = (await api('GET', `/api/v1/people/${zoe.personId}`)).json();
    expect(person).toMatchObject({ display_name: 'Zoé Lambert', emails: ['zoe@example.org'], language: 'fr' });
    const admin = await t.loginAs(['admin']);
    expect((await admin.get(`/accounts/${zoe.id}`)).body).toContain(`Invited by</dt><dd><a href="/accounts/${sponsorAccount.id}">sponsor</a>`);
    expect((await admin.get(`/people/${zoe.personId}`)).body).toContain('zoe</a> (Invited by sponsor)');

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_label', 'entity_id']).orderBy('id').execute();
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['invitation.create', 'person.create', 'account.create', 'invitation.accept']));
    expect(audit.find((a) => a.action === 'invitation.create')?.actor_label).toBe('sponsor');
    expect(audit.find((a) => a.action === 'invitation.accept')?.actor_label).toBe('zoe');

    // The sponsor sees who used it; a second use of the link is refused, in the form and in the action.
    const after = await sponsor.get('/invitations');
    expect(after.body).toContain('>used<');
    expect(after.body).toContain(`Used by <a href="/accounts/${zoe.id}">zoe</a>`);
    const again = new Browser(t.app);
    const reopened = await again.get(`/invite/${token}`);
    expect(reopened.statusCode).toBe(410);
    expect(reopened.body).toContain('This invitation link was already used');
    const reused = await again.post(`/invite/${token}`, invitee({ username: 'zoe2', email: 'other@example.org' }));
    expect(reused.statusCode).toBe(410);
    expect(await accountNamed('zoe2')).toBeUndefined();
  });

  it('refuses expired, revoked and unknown links with a clear page', async () => {
    const sponsor = await t.loginAs(['inviter'], 'sponsor');
    const expired = await createViaPage(sponsor);
    await t.ctx.db.updateTable('invitations').set({ expires_at: '2020-01-01T00:00:00.000Z' }).where('token_hash', '=', sha256(expired.token)).execute();
    const guest = new Browser(t.app);
    const old = await guest.get(`/invite/${expired.token}`);
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('This invitation link has expired');
    expect((await sponsor.get('/invitations')).body).toContain('>expired<');

    const revoked = await createViaPage(sponsor);
    const id = (await t.ctx.db.selectFrom('invitations').select('id').where('token_hash', '=', sha256(revoked.token)).executeTakeFirstOrThrow()).id;
    await guest.get(`/invite/${revoked.token}`);
    await sponsor.get('/invitations');
    const done = await sponsor.post(`/invitations/${id}/revoke`);
    expect(done.statusCode).toBe(303);
    expect((await sponsor.get('/invitations')).body).toContain('The invitation was revoked.');
    const refused = await guest.post(`/invite/${revoked.token}`, invitee());
    expect(refused.statusCode).toBe(410);
    expect(refused.body).toContain('This invitation link was withdrawn');
    expect(await accountNamed('zoe')).toBeUndefined();
    await sponsor.post(`/invitations/${id}/revoke`);
    expect((await sponsor.get('/invitations')).body).toContain('This invitation is no longer open');

    const unknown = await guest.get('/invite/not-a-real-token');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This invitation link is not valid');
  });

  it('keeps nothing on bad input or a taken username, showing the form again with messages and typed values', async () => {
    const sponsor = await t.loginAs(['inviter'], 'sponsor');
    const { token } = await createViaPage(sponsor);
    const before = await accountCount();
    const guest = new Browser(t.app);
    await guest.get(`/invite/${token}`);
    const bad = await guest.post(`/invite/${token}`, invitee({ email: 'not-an-address', password: 'short', password_confirm: 'other', username: 'Bad Name!' }));
    expect(bad.statusCode).toBe(422);
    for (const message of ['This is not a valid e-mail address.', 'at least 10 characters', 'The two passwords differ.', 'Use lower-case letters']) expect(bad.body).toContain(message);
    expect(bad.body).toContain('value="Zoé Lambert"');
    expect(bad.body).not.toContain('value="short"');
    const mismatch = await guest.post(`/invite/${token}`, invitee({ password_confirm: 'a different long password' }));
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('The two passwords differ.');
    const taken = await guest.post(`/invite/${token}`, invitee({ username: 'Sponsor' }));
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('This username is already taken');
    expect(await accountCount()).toBe(before);
    expect((await t.ctx.db.selectFrom('people').select('id').execute()).length).toBe(0);
    expect((await guest.get(`/invite/${token}`)).statusCode).toBe(200);

    // The creation form refuses a validity over 90 days and records nothing.
    await sponsor.get('/invitations');
    const tooLong = await sponsor.post('/invitations', { days: '91' });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('Choose between 1 and 90 days.');
    expect((await t.ctx.db.selectFrom('invitations').select('id').execute()).length).toBe(1);
  });

  it('refuses forged forms (CSRF) on both sides and changes nothing', async () => {
    const sponsor = await t.loginAs(['inviter'], 'sponsor');
    await sponsor.get('/invitations');
    expect((await sponsor.post('/invitations', { _csrf: 'forged', days: '7' })).statusCode).toBe(403);
    expect((await t.ctx.db.selectFrom('invitations').select('id').execute()).length).toBe(0);
    const { token } = await createViaPage(sponsor);
    const guest = new Browser(t.app);
    await guest.get(`/invite/${token}`);
    const other = new Browser(t.app);
    await other.get(`/invite/${token}`);
    expect((await guest.post(`/invite/${token}`, invitee({ _csrf: csrfOf(other.lastPage) }))).statusCode).toBe(403);
    const bare = await t.app.inject({ method: 'POST', url: `/invite/${token}`, payload: new URLSearchParams(invitee()).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bare.statusCode).toBe(403);
    expect(await accountNamed('zoe')).toBeUndefined();
    expect((await guest.get(`/invite/${token}`)).statusCode).toBe(200);
  });

  it('answers 403 to a plain member, shows a sponsor only their own invitations, and admins all', async () => {
    const member = await t.loginAs(['member']);
    expect((await member.get('/invitations')).statusCode).toBe(403);
    expect((await member.get('/')).body).not.toContain('href="/invitations"');
    const memberToken = await t.tokenFor(['member']);
    expect((await api('POST', '/api/v1/invitations', memberToken, {})).statusCode).toBe(403);
    expect((await api('GET', '/api/v1/invitations', memberToken)).statusCode).toBe(403);

    const aliceToken = await t.tokenFor(['inviter'], 'alice');
    const bobToken = await t.tokenFor(['inviter'], 'bob');
    const fromAlice = (await api('POST', '/api/v1/invitations', aliceToken, { note: 'alice friend' })).json();
    await api('POST', '/api/v1/invitations', aliceToken, { note: '<script>alert(1)</script>' });
    const otherSponsorPage = await (await t.loginAs(['inviter'])).get('/invitations');
    expect(otherSponsorPage.body).not.toContain('alice friend');
    const adminPage = await (await t.loginAs(['admin'])).get('/invitations');
    expect(adminPage.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(adminPage.body).not.toContain('<script>alert');
    await api('POST', '/api/v1/invitations', bobToken, { note: 'bob friend' });
    const bobSees = (await api('GET', '/api/v1/invitations', bobToken)).json().items;
    expect(bobSees.map((i: { note: string }) => i.note)).toEqual(['bob friend']);
    expect((await api('DELETE', `/api/v1/invitations/${fromAlice.id}`, bobToken)).statusCode).toBe(404);
    const all = (await api('GET', '/api/v1/invitations')).json().items;
    expect(all.map((i: { note: string }) => i.note)).toEqual(['bob friend', '<script>alert(1)</script>', 'alice friend']);
    expect((await api('DELETE', `/api/v1/invitations/${fromAlice.id}`)).json().status).toBe('revoked');
  });

  it('works through the API: created with days and a note, link once, listed, revoked once; bad days refused', async () => {
    const token = await t.tokenFor(['inviter'], 'sponsor');
    const created = await api('POST', '/api/v1/invitations', token, { days: 10, note: 'API' });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ status: 'open', note: 'API', groups: [], created_by: { username: 'sponsor' }, used_by: null });
    expect(body.link).toMatch(/^http:\/\/127\.0\.0\.1:8080\/invite\/[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(body.expires_at) - Date.parse(body.created_at)) / 86_400_000;
    expect(days).toBe(10);
    const defaulted = (await api('POST', '/api/v1/invitations', token, {})).json();
    expect((Date.parse(defaulted.expires_at) - Date.parse(defaulted.created_at)) / 86_400_000).toBe(7);
    const listed = (await api('GET', '/api/v1/invitations', token)).json().items;
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain('link');
    expect((await api('DELETE', `/api/v1/invitations/${body.id}`, token)).json()).toMatchObject({ id: body.id, status: 'revoked' });
    const twice = await api('DELETE', `/api/v1/invitations/${body.id}`, token);
    expect(twice.statusCode).toBe(409);
    for (const bad of [{ days: 0 }, { days: 91 }, { days: 'soon' }, { groups: ['<b>'] }]) {
      const refused = await api('POST', '/api/v1/invitations', token, bad);
      expect(refused.statusCode, JSON.stringify(bad)).toBe(422);
    }
    expect((await api('GET', '/api/v1/invitations', token)).json().items).toHaveLength(2);
  });

  it('records the static groups of an admin\'s invitation for the invitee; a plain sponsor may not add groups', async () => {
    const sponsorToken = await t.tokenFor(['inviter'], 'sponsor');
    const refused = await api('POST', '/api/v1/invitations', sponsorToken, { groups: ['wiki'] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.fields.groups).toBe('Only group managers may add groups to an invitation.');
    const sponsor = await t.loginAs(['inviter']);
    expect((await sponsor.get('/invitations')).body).not.toContain('name="groups"');

    const admin = await t.loginAs(['admin'], 'boss');
    const adminToken = await t.tokenFor(['admin'], 'boss-api');
    const unknown = await api('POST', '/api/v1/invitations', adminToken, { groups: ['wiki'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields.groups).toMatch(/Only existing static groups/);
    expect((await api('POST', '/api/v1/invitations', adminToken, { groups: ['members'] })).statusCode).toBe(422);
    for (const name of ['wiki', 'vpn-users']) await createGroup(t.ctx.db, SYSTEM, { name, label: name });
    const { token } = await createViaPage(admin, { groups: 'wiki, vpn-users,wiki' });
    const guest = new Browser(t.app);
    await guest.get(`/invite/${token}`);
    expect((await guest.post(`/invite/${token}`, invitee())).statusCode).toBe(303);
    const zoe = await accountNamed('zoe');
    expect(await groupNamesOfPerson(t.ctx.db, zoe.personId)).toEqual(expect.arrayContaining(['vpn-users', 'wiki']));
    expect((await admin.get('/invitations')).body).toContain('<span class="tag">wiki</span>');
  });

  it('rate-limits submissions of invitation links per address (429 after ten a minute)', async () => {
    const guest = new Browser(t.app);
    await guest.get('/invite/unknown-token');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await guest.post('/invite/unknown-token', invitee())).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses[10]).toBe(429);
  });
});
