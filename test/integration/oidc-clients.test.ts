// Managing single sign-on clients through the API, the pages and the CLI; the hourly cleanup of what the provider stored.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/core/permissions.js';
import { SYSTEM } from '../../src/core/actor.js';
import { nowIso } from '../../src/core/clock.js';
import { sha256 } from '../../src/core/tokens.js';
import { oidcCommands } from '../../src/modules/oidc/oidc.cli.js';
import { createClient, listClients } from '../../src/modules/oidc/clients.service.js';
import { purgeOidcLeftovers } from '../../src/modules/oidc/oidc.service.js';
import { rotateSigningKey, listSigningKeys } from '../../src/modules/oidc/keys.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sink } from '../helpers/cli.js';
import { forEachDialect } from '../helpers/dialects.js';

async function runCommand(t: TestApp, words: string[], values: Record<string, unknown>, positionals: string[] = []) {
  const command = oidcCommands.find((c) => c.words.join(' ') === words.join(' '))!;
  const out = sink();
  const principal = { accountId: 0, username: 'cli:test', personId: null, roles: [], permissions: new Set(PERMISSIONS), locale: null, via: 'cli' as const };
  const code = await command.run({ values: values as never, positionals, ctx: t.ctx, principal, actor: { accountId: null, label: 'cli:test' }, out: out.stream, err: sink().stream, stdin: process.stdin });
  return { code, out: out.text() };
}

forEachDialect('single sign-on clients', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it('registers a client from the CLI, printing the secret once and storing only its hash', async () => {
    const { code, out } = await runCommand(t, ['oidc', 'client', 'add'], { name: 'Nextcloud', 'redirect-uri': ['https://cloud.example.org/apps/user_oidc/code'], preset: 'nextcloud', json: true });
    expect(code).toBe(0);
    const printed = JSON.parse(out) as { client_id: string; client_secret: string; issuer: string };
    expect(printed.client_secret.length).toBeGreaterThan(40);
    expect(printed.issuer).toBe(`${t.ctx.config.publicUrl}/oidc`);
    const row = await t.ctx.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', printed.client_id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(sha256(printed.client_secret));
    expect(JSON.stringify(row)).not.toContain(printed.client_secret);
    const listed = await runCommand(t, ['oidc', 'client', 'list'], {});
    expect(listed.out).toContain('Nextcloud');
    expect(listed.out).not.toContain(printed.client_secret);

    const pub = await runCommand(t, ['oidc', 'client', 'add'], { name: 'Phone app', 'redirect-uri': ['org.example.app:/callback'], public: true });
    expect(pub.out).toContain('PKCE');
    await runCommand(t, ['oidc', 'client', 'remove'], {}, [printed.client_id]);
    expect((await listClients(t.ctx.db)).map((c) => c.name)).toEqual(['Phone app']);
    await expect(runCommand(t, ['oidc', 'client', 'add'], { name: 'Bad', 'redirect-uri': ['http://evil.example/cb'] })).rejects.toMatchObject({ fields: { redirect_uris: 'oidc.redirect_uri_invalid' } });
  });

  it('manages clients through the API with oidc:manage only', async () => {
    const admin = { authorization: `Bearer ${await t.tokenFor(['admin'])}` };
    const treasurer = { authorization: `Bearer ${await t.tokenFor(['treasurer'])}` };
    const payload = { name: 'Grafana', redirect_uris: ['https://grafana.example.org/login/generic_oauth'], preset: 'grafana', allowed_groups: ['role-admin'] };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/oidc/clients', headers: treasurer, payload })).statusCode).toBe(403);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/oidc/clients', headers: admin, payload });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ name: 'Grafana', preset: 'grafana', allowedGroups: ['role-admin'], firstParty: true, public: false });
    expect(body.clientSecret).toBeTruthy();
    const list = await t.app.inject({ url: '/api/v1/oidc/clients', headers: admin });
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toContain(body.clientSecret);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/oidc/clients', headers: admin, payload: { name: 'X', redirect_uris: ['https://x.example/cb#frag'] } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields.redirect_uris).toContain('without #fragment');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/oidc/clients/${body.clientId}`, headers: admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/oidc/clients/${body.clientId}`, headers: admin })).statusCode).toBe(404);
  });

  it('registers and removes clients on the web pages, with CSRF and the permission checked', async () => {
    const member = await t.loginAs(['member']);
    expect((await member.get('/sso/clients')).statusCode).toBe(403);
    const admin = await t.loginAs(['admin']);
    const page = await admin.get('/sso/clients');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/oidc');
    const forged = await admin.post('/sso/clients', { _csrf: 'forged', name: 'Wiki', redirect_uris: 'https://wiki.example.org/oidc/callback' });
    expect(forged.statusCode).toBe(403);
    const invalid = await admin.post('/sso/clients', { name: 'Wiki', redirect_uris: 'not a url' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('value="Wiki"');
    expect(await listClients(t.ctx.db)).toHaveLength(0);
    await admin.get('/sso/clients');
    const created = await admin.post('/sso/clients', { name: 'Wiki', preset: 'bookstack', redirect_uris: 'https://wiki.example.org/oidc/callback', first_party: 'false', allowed_groups: 'role-member role-admin' });
    expect(created.statusCode).toBe(200);
    const [client] = await listClients(t.ctx.db);
    expect(client).toMatchObject({ name: 'Wiki', preset: 'bookstack', firstParty: false, allowedGroups: ['role-member', 'role-admin'] });
    expect(created.body).toContain(client.clientId);
    await admin.get('/sso/clients');
    expect((await admin.post(`/sso/clients/${client.clientId}/remove`)).statusCode).toBe(303);
    expect(await listClients(t.ctx.db)).toHaveLength(0);
  });

  it('shows what to type in the app after registration (page, CLI, API), with the quota; refuses a bad quota', async () => {
    const admin = await t.loginAs(['admin']);
    await admin.get('/sso/clients');
    const page = await admin.post('/sso/clients', { name: 'Cloud', preset: 'nextcloud', redirect_uris: 'https://cloud.example.org/apps/user_oidc/code', quota: '5 GB' });
    expect(page.statusCode).toBe(200);
    const [client] = await listClients(t.ctx.db);
    expect(client.quota).toBe('5 GB');
    for (const text of [`${t.ctx.config.publicUrl}/oidc/.well-known/openid-configuration`, 'openid email profile groups quota', 'client_secret_post',
      '/apps/user_oidc/code', 'groups, quota', 'php occ user_oidc:provider Ruche', `--clientid=&quot;${client.clientId}&quot;`, '--mapping-quota=quota']) {
      expect(page.body).toContain(text);
    }
    const secret = /<dt>[^<]*<\/dt><dd><code>([^<]{40,})<\/code>/.exec(page.body)![1];
    expect(page.body).toContain(`--clientsecret=&quot;${secret}&quot;`);

    const cli = await runCommand(t, ['oidc', 'client', 'add'], { name: 'Chat', 'redirect-uri': ['https://chat.example.org/signup/gitlab/complete'], preset: 'mattermost' });
    for (const text of ['What to type in Mattermost (GitLab)', '(none: leave empty)', `"UserAPIEndpoint": "${t.ctx.config.publicUrl}/api/v4/user"`, `"TokenEndpoint": "${t.ctx.config.publicUrl}/oidc/token"`]) {
      expect(cli.out).toContain(text);
    }
    const headers = { authorization: `Bearer ${await t.tokenFor(['admin'])}` };
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/oidc/clients', headers, payload: { name: 'Grafana', preset: 'grafana', redirect_uris: ['https://grafana.example.org/login/generic_oauth'] } });
    expect(api.json().recipe).toMatchObject({ scopes: 'openid profile email groups', authMethod: 'client_secret_basic', pkce: true, claimsIn: 'id_token+userinfo', where: 'grafana.ini' });
    expect(api.json().recipe.snippet).toContain(`client_secret = ${api.json().clientSecret}`);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/oidc/clients', headers, payload: { name: 'X', redirect_uris: ['https://x.example.org/cb'], quota: 'lots' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields.quota).toContain('5 GB');
    expect(await listClients(t.ctx.db)).toHaveLength(3);
  });

  it('cleans up expired provider data and retired keys past their time', async () => {
    const { client } = await createClient(t.ctx.db, SYSTEM, { name: 'App', redirect_uris: ['https://app.example.org/cb'] });
    const past = nowIso(new Date(Date.now() - 1000));
    const future = nowIso(new Date(Date.now() + 3_600_000));
    for (const [id, expires] of [['old', past], ['live', future]]) {
      await t.ctx.db.insertInto('oidc_payloads').values({ model: 'AccessToken', id, payload: '{}', grant_id: 'g', uid: null, user_code: null, account_id: '1', client_id: client.clientId, expires_at: expires, consumed_at: null }).execute();
    }
    const [first] = await listSigningKeys(t.ctx.db);
    await rotateSigningKey(t.ctx.db, t.ctx.secret);
    expect(await purgeOidcLeftovers(t.ctx.db)).toEqual({ payloads: 1, keys: 0 });
    expect(await purgeOidcLeftovers(t.ctx.db, new Date(Date.now() + 2 * 3_600_000))).toMatchObject({ keys: 1 });
    expect((await listSigningKeys(t.ctx.db)).map((k) => k.kid)).not.toContain(first.kid);
  });
});
