// Security of the whole HTTP surface: who may call what, CSRF, login throttling, cookies, escaping, secrets at rest, setup link.
// Everything that reads sessions, tokens, roles or data from the database runs on both dialects (forEachDialect);
// the login rate limit and the cookie attributes are HTTP-only behaviour (in-memory counter, header flags), so they run on SQLite only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { SYSTEM } from '../../src/core/actor.js';
import { PERMISSIONS, ROLES } from '../../src/core/permissions.js';
import { sha256 } from '../../src/core/tokens.js';
import type { AppContext } from '../../src/http/context.js';
import { csrfTokenFor } from '../../src/http/hooks.js';
import { buildServer } from '../../src/http/server.js';
import { createAccount, createApiToken, openSession } from '../../src/modules/accounts/accounts.service.js';
import { setMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { issueSetupToken } from '../../src/modules/setup/setup.service.js';
import { migrateToLatest, openStorage, type Storage } from '../../src/storage/database.js';
import { PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, csrfOf } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';

/** One route as fastify registered it, with the access it declares. */
interface RouteInfo {
  method: string;
  url: string;
  access: string | undefined;
}

// The route table comes from fastify itself: every instance that `buildServer` creates gets an `onRoute` hook
// before any plugin registers a route, so every route (and its `config.access`) is recorded, none hand-copied.
const routeRegistry = vi.hoisted(() => new WeakMap<object, RouteInfo[]>());
vi.mock('fastify', async (importOriginal) => {
  const real = await importOriginal<typeof import('fastify')>();
  const factory = ((options?: Record<string, unknown>) => {
    const app = real.default(options as never);
    const routes: RouteInfo[] = [];
    routeRegistry.set(app, routes);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, access: route.config?.access });
    });
    return app;
  }) as unknown as typeof real.default;
  return { ...real, default: factory, fastify: factory };
});

/** The routes of a built server, without fastify's automatic HEAD twins. */
function routesOf(app: FastifyInstance): RouteInfo[] {
  const routes = routeRegistry.get(app);
  if (!routes) throw new Error('the fastify mock did not see this instance');
  return routes.filter((r) => r.method !== 'HEAD');
}

const ROLE_NAMES = Object.keys(ROLES);
const isApi = (url: string) => url.startsWith('/api/');
const SCRIPT_NAME = '<script>alert(1)</script>';
const IMG_TAG = '"><img src=x onerror=alert(1)>';

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** The value of a Set-Cookie header for one cookie. */
function setCookieOf(response: LightMyRequestResponse, name: string): string | undefined {
  const header = response.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  return all.find((c) => c.startsWith(`${name}=`));
}

/** A SQLite database in a temp folder, removed after the test. */
async function openSqlite(): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ruche-security-'));
  const storage = openStorage({ databaseUrl: '', dataDir });
  onTestFinished(async () => {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  await migrateToLatest(storage.db);
  return storage;
}

forEachDialect('security', (open) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(await open());
  });
  afterEach(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) => t.api(token, method, url, payload);

  describe('route table × roles', () => {
    it('is generated from the running app and every route declares a known access', () => {
      const routes = routesOf(t.app);
      expect(routes.length).toBeGreaterThan(30);
      const known = new Set<string>([...PERMISSIONS, 'authenticated', 'public']);
      for (const route of routes) {
        expect(known.has(String(route.access)), `${route.method} ${route.url} access=${route.access}`).toBe(true);
        expect(t.app.hasRoute({ method: route.method as 'GET', url: route.url }), `${route.method} ${route.url}`).toBe(true);
      }
      // The table must cover what this suite relies on; the rest comes from whatever is registered.
      const keys = routes.map((r) => `${r.method} ${r.url}`);
      expect(keys).toEqual(expect.arrayContaining(['GET /healthz', 'GET /people', 'POST /people/:id/delete', 'GET /api/v1/people/:id', 'PUT /api/v1/settings', 'POST /login']));
    });

    it('refuses callers without credentials and answers 403 exactly when the role lacks the permission', async () => {
      const { ctx, app } = t;
      // Realistic targets: a person with a membership, an account with a token; nobody below logs in as them.
      const person = await createPerson(ctx.db, SYSTEM, { display_name: 'Target Person', emails: ['target@example.org'], tags: ['vpn'] });
      await setMembership(ctx.db, SYSTEM, person.id, 2026, { status: 'member', effective: true });
      const target = await createAccount(ctx.db, SYSTEM, { username: 'target', password: PASSWORD, roles: ['member'] });
      const targetToken = await createApiToken(ctx.db, SYSTEM, target.id, { name: 'target' });
      const concrete = (url: string) => url.replace(/:(\w+)/g, (_whole, name: string) => {
        if (name === 'tokenId') return String(targetToken.id);
        if (name === 'year') return '2026';
        if (name === 'token') return 'not-a-setup-token';
        if (name === 'id') return String(url.startsWith('/accounts') || url.startsWith('/api/v1/accounts') ? target.id : person.id);
        return '1';
      });

      const callers = await Promise.all(ROLE_NAMES.map(async (role) => {
        const account = await createAccount(ctx.db, SYSTEM, { username: `as-${role}`, password: PASSWORD, roles: [role] });
        const { token } = await createApiToken(ctx.db, SYSTEM, account.id, { name: role });
        return { role, accountId: account.id, token, permissions: new Set<string>(ROLES[role]) };
      }));

      const problems: string[] = [];
      const routes = routesOf(app);
      for (const route of routes) {
        const url = concrete(route.url);
        const method = route.method as 'GET';
        const label = `${route.method} ${route.url} (${route.access})`;
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE';

        if (route.access !== 'public') {
          const anon = await app.inject({ method, url, ...(hasBody ? { payload: isApi(url) ? {} : form({}), headers: isApi(url) ? {} : { 'content-type': 'application/x-www-form-urlencoded' } } : {}) });
          if (isApi(url)) {
            if (anon.statusCode !== 401 || anon.json().error?.code !== 'unauthorized') problems.push(`${label} anonymous: ${anon.statusCode} ${anon.body.slice(0, 80)}`);
          } else if (route.method === 'GET') {
            if (anon.statusCode !== 302 || !String(anon.headers.location).startsWith('/login?next=')) problems.push(`${label} anonymous: ${anon.statusCode} → ${anon.headers.location}`);
          } else if (anon.statusCode !== 401 && anon.statusCode !== 403) {
            problems.push(`${label} anonymous: ${anon.statusCode}`);
          }
        }

        for (const caller of callers) {
          let response: LightMyRequestResponse;
          if (isApi(url)) {
            response = await app.inject({ method, url, headers: { authorization: `Bearer ${caller.token}` }, ...(hasBody ? { payload: {} } : {}) });
          } else {
            // A fresh session per request, so that a logout or a disabled account never hides the next answer.
            const session = await openSession(ctx.db, caller.accountId);
            const headers = { cookie: `ruche_session=${session}` };
            response = route.method === 'GET'
              ? await app.inject({ method, url, headers })
              : await app.inject({
                method, url, payload: form({ _csrf: csrfTokenFor(ctx.secret, `s:${session}`) }),
                headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
              });
          }
          const allowed = route.access === 'public' || route.access === 'authenticated' || caller.permissions.has(String(route.access));
          const got = response.statusCode;
          if (!allowed && got !== 403) problems.push(`${label} as ${caller.role}: expected 403, got ${got}`);
          if (allowed && (got === 403 || got === 401)) problems.push(`${label} as ${caller.role}: expected access, got ${got} ${response.body.slice(0, 120)}`);
          if (!allowed && isApi(url) && got === 403 && response.json().error?.code !== 'forbidden') problems.push(`${label} as ${caller.role}: 403 code ${response.body}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('CSRF', () => {
    it('refuses a logged-in form POST without a token, with a wrong one, with another session\'s, and changes nothing', async () => {
      const token = await t.tokenFor(['admin']);
      const count = async () => (await api('GET', '/api/v1/people', token)).json().total as number;
      const victim = await t.loginAs(['secretary']);
      const other = await t.loginAs(['secretary']);
      await other.get('/people/new');
      const othersToken = csrfOf(other.lastPage);
      const anonymous = new Browser(t.app);
      await anonymous.get('/login');
      const anonymousToken = csrfOf(anonymous.lastPage);

      await victim.get('/people/new');
      const cookie = [...victim.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const withoutField = await t.app.inject({
        method: 'POST', url: '/people', payload: form({ display_name: 'Mallory' }),
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(withoutField.statusCode).toBe(403);
      expect(withoutField.body).toContain('This form has expired or did not come from Ruche');
      for (const bad of ['', 'x'.repeat(43), othersToken, anonymousToken]) {
        const response = await victim.post('/people', { _csrf: bad, display_name: 'Mallory' });
        expect(response.statusCode, `token ${JSON.stringify(bad)}`).toBe(403);
      }
      expect(await count()).toBe(0);

      // A destructive action is refused too; the person is still there afterwards.
      const { id } = (await api('POST', '/api/v1/people', token, { display_name: 'Alice Martin' })).json();
      await victim.get(`/people/${id}`);
      expect((await victim.post(`/people/${id}/delete`, { _csrf: othersToken })).statusCode).toBe(403);
      expect((await api('GET', `/api/v1/people/${id}`, token)).statusCode).toBe(200);

      // Control: the same form with the page's own token is accepted.
      await victim.get('/people/new');
      expect((await victim.post('/people', { display_name: 'Legit Person' })).statusCode).toBe(303);
      expect(await count()).toBe(2);
    });

    it('lets a Bearer-token API call through without a CSRF token, but refuses a session-cookie JSON call without x-csrf-token', async () => {
      const token = await t.tokenFor(['secretary']);
      expect((await api('POST', '/api/v1/people', token, { display_name: 'Via Token' })).statusCode).toBe(201);

      const browser = await t.loginAs(['secretary']);
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const noHeader = await t.app.inject({ method: 'POST', url: '/api/v1/people', payload: { display_name: 'Via Cookie' }, headers: { cookie } });
      expect(noHeader.statusCode).toBe(403);
      expect(noHeader.json().error.code).toBe('csrf_failed');
      const wrongHeader = await t.app.inject({ method: 'POST', url: '/api/v1/people', payload: { display_name: 'Via Cookie' }, headers: { cookie, 'x-csrf-token': 'nope' } });
      expect(wrongHeader.statusCode).toBe(403);
      expect((await api('GET', '/api/v1/people', token)).json().total).toBe(1);

      const withHeader = await browser.json('POST', '/api/v1/people', { display_name: 'Via Cookie' });
      expect(withHeader.statusCode).toBe(201);
      expect((await api('GET', '/api/v1/people', token)).json().total).toBe(2);
    });

    it('protects the login form too (no login CSRF)', async () => {
      await t.tokenFor(['admin'], 'alice');
      const response = await t.app.inject({
        method: 'POST', url: '/login', payload: form({ login: 'alice', password: PASSWORD }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.statusCode).toBe(403);
      expect(setCookieOf(response, 'ruche_session')).toBeUndefined();
    });
  });

  it('escapes hostile names and tags in the list, person, history and edit pages', async () => {
    const token = await t.tokenFor(['admin']);
    const created = await api('POST', '/api/v1/people', token, { display_name: SCRIPT_NAME, sort_name: SCRIPT_NAME, tags: [IMG_TAG], city: SCRIPT_NAME, notes: SCRIPT_NAME });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect((await api('PATCH', `/api/v1/people/${id}`, token, { city: IMG_TAG })).statusCode).toBe(200);
    const browser = await t.loginAs(['admin']);
    const pages = ['/people', `/people?q=${encodeURIComponent(SCRIPT_NAME)}`, `/people?tag=${encodeURIComponent(IMG_TAG)}`, `/people/${id}`, `/people/${id}/history`, `/people/${id}/edit`];
    for (const url of pages) {
      const response = await browser.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(response.body, url).not.toContain('<script>alert');
      expect(response.body, url).not.toContain('<img src=x');
      expect(response.body.toLowerCase(), url).not.toContain('<script');
    }
    for (const url of ['/people', `/people/${id}`, `/people/${id}/edit`]) {
      expect((await browser.get(url)).body, url).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    }
    // Values reflected from the address are escaped too.
    const login = await new Browser(t.app).get(`/login?next=${encodeURIComponent(`/"><script>alert(1)</script>`)}`);
    expect(login.body).not.toContain('<script>alert');
    // The reflected `next` is normalised to a percent-encoded local path, so it cannot close the attribute.
    expect(login.body).toContain('name="next" value="/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"');
  });

  it('never redirects off-site after logging in or switching language (no open redirect)', async () => {
    await t.tokenFor(['member'], 'walker');
    const base = 'http://ruche.test';
    // What a browser does with the Location header: the WHATWG URL parser (which drops tabs and newlines, reads \ as /).
    const offSite = (location: unknown) => new URL(String(location), `${base}/`).origin !== base;
    const hostile = ['//evil.example/', '/\\evil.example/', '/\t/evil.example/', '/\\\t/evil.example/', 'https://evil.example/', 'javascript:alert(1)'];
    const problems: string[] = [];
    for (const next of hostile) {
      const visitor = new Browser(t.app);
      await visitor.get('/login');
      const lang = await visitor.post('/lang', { lang: 'fr', back: next });
      if (lang.statusCode !== 303 || offSite(lang.headers.location)) problems.push(`POST /lang back=${JSON.stringify(next)} → ${lang.statusCode} ${JSON.stringify(lang.headers.location)}`);
      await visitor.get(`/login?next=${encodeURIComponent(next)}`);
      const login = await visitor.post('/login', { login: 'walker', password: PASSWORD, next });
      if (login.statusCode !== 303 || offSite(login.headers.location)) problems.push(`POST /login next=${JSON.stringify(next)} → ${login.statusCode} ${JSON.stringify(login.headers.location)}`);
    }
    expect(problems, 'open redirect: src/http/forms.ts safeLocalPath lets "/<TAB>/host" through').toEqual([]);
  });

  it('stores passwords as argon2id and API tokens and sessions only as hashes', async () => {
    const token = await t.tokenFor(['admin'], 'hasher');
    const browser = await t.loginAs(['member']);
    const accounts = await t.ctx.db.selectFrom('accounts').select(['username', 'password_hash']).execute();
    expect(accounts).toHaveLength(2);
    for (const account of accounts) {
      expect(account.password_hash.startsWith('$argon2id$'), account.username).toBe(true);
      expect(account.password_hash).not.toContain(PASSWORD);
    }
    const tokens = await t.ctx.db.selectFrom('api_tokens').selectAll().execute();
    expect(tokens).toHaveLength(1);
    expect(JSON.stringify(tokens)).not.toContain(token);
    expect(JSON.stringify(tokens)).not.toContain(token.replace(/^ruche_/, ''));
    expect(tokens[0].token_hash).toBe(sha256(token));
    const session = browser.cookies.get('ruche_session') ?? '';
    expect(session.length).toBeGreaterThan(20);
    const sessions = await t.ctx.db.selectFrom('sessions').selectAll().execute();
    expect(JSON.stringify(sessions)).not.toContain(session);
  });

  describe('setup link', () => {
    it('creates the first admin once, then answers 404', async () => {
      const token = await issueSetupToken(t.ctx.db);
      expect(token).toBeTruthy();
      expect((await t.app.inject({ method: 'GET', url: '/setup/wrong-token' })).statusCode).toBe(404);
      const browser = new Browser(t.app);
      expect((await browser.get(`/setup/${token}`)).statusCode).toBe(200);
      const fields = { display_name: 'First Admin', email: 'admin@example.org', username: 'first', password: PASSWORD };
      const done = await browser.post(`/setup/${token}`, fields);
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/login');

      expect((await browser.get(`/setup/${token}`)).statusCode).toBe(404);
      await browser.get('/login');
      expect((await browser.post(`/setup/${token}`, { ...fields, username: 'second' })).statusCode).toBe(404);
      const accounts = await t.ctx.db.selectFrom('accounts').select('username').execute();
      expect(accounts.map((a) => a.username)).toEqual(['first']);

      await browser.login('first', PASSWORD);
      const me = await browser.get('/api/v1/me');
      expect(me.json().roles).toEqual(['admin']);
    });

    it('is refused once an account exists, and no new one is issued', async () => {
      const token = await issueSetupToken(t.ctx.db);
      await t.tokenFor(['member']);
      expect((await t.app.inject({ method: 'GET', url: `/setup/${token}` })).statusCode).toBe(404);
      const browser = new Browser(t.app);
      await browser.get('/login');
      const response = await browser.post(`/setup/${token}`, { display_name: 'Late', email: 'late@example.org', username: 'late', password: PASSWORD });
      expect(response.statusCode).toBe(404);
      expect(await issueSetupToken(t.ctx.db)).toBeNull();
      expect((await t.ctx.db.selectFrom('accounts').select('username').execute()).map((a) => a.username)).not.toContain('late');
    });
  });
});

// SQLite only: the rate limiter counts in memory and cookie flags are HTTP headers; the database plays no part.
describe('login throttling and session cookie [sqlite]', () => {
  it('answers the 11th failed login within a minute from one address with 429 and a translated message', async () => {
    const t = await startTestApp(await openSqlite());
    onTestFinished(() => t.close());
    await t.tokenFor(['admin'], 'alice');
    const browser = new Browser(t.app, { 'accept-language': 'fr' });
    await browser.get('/login');
    for (let i = 1; i <= 10; i++) {
      // Other names each time: a name's own lock (login-security.test.ts) comes after 5 failures.
      const response = await browser.post('/login', { login: `someone${i}`, password: `wrong ${i}` });
      expect(response.statusCode, `attempt ${i}`).toBe(422);
      expect(response.body).toContain('mot de passe incorrect.');
    }
    const limited = await browser.post('/login', { login: 'alice', password: PASSWORD });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(limited.body).toContain('Trop de tentatives. Attendez une minute et réessayez.');
    expect(limited.body).toContain('<html lang="fr"');
    expect(setCookieOf(limited, 'ruche_session')).toBeUndefined();

    // Another address is not held back by the first one's failures.
    const page = await t.app.inject({ method: 'GET', url: '/login', remoteAddress: '192.0.2.7' });
    const anon = setCookieOf(page, 'ruche_anon')?.split(';')[0] ?? '';
    const elsewhere = await t.app.inject({
      method: 'POST', url: '/login', remoteAddress: '192.0.2.7',
      payload: form({ _csrf: csrfOf(page.body), login: 'alice', password: PASSWORD }),
      headers: { cookie: anon, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(elsewhere.statusCode).toBe(303);
  });

  async function appWith(publicUrl: string) {
    const storage = await openSqlite();
    const config = { ...loadConfig({ RUCHE_PUBLIC_URL: publicUrl }), secret: 'test-secret-0123456789abcdef' };
    const ctx: AppContext = { storage, db: storage.db, config, secret: config.secret };
    const app = await buildServer(ctx);
    await app.ready();
    onTestFinished(() => app.close());
    await createAccount(ctx.db, SYSTEM, { username: 'alice', password: PASSWORD, roles: ['admin'] });
    return app;
  }

  async function logIn(app: FastifyInstance) {
    const browser = new Browser(app);
    await browser.get('/login');
    const response = await browser.post('/login', { login: 'alice', password: PASSWORD });
    expect(response.statusCode).toBe(303);
    return { browser, response };
  }

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, not Secure over plain http; logout ends the session', async () => {
    const app = await appWith('http://127.0.0.1:8080');
    const { browser, response } = await logIn(app);
    const cookie = setCookieOf(response, 'ruche_session') ?? '';
    const attributes = cookie.split(';').map((a) => a.trim());
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Lax');
    expect(attributes).toContain('Path=/');
    expect(attributes).not.toContain('Secure');

    const old = `ruche_session=${browser.cookies.get('ruche_session')}`;
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: old } })).statusCode).toBe(200);
    await browser.get('/');
    const logout = await browser.post('/logout');
    expect(logout.statusCode).toBe(303);
    expect(logout.headers.location).toBe('/login');
    expect(setCookieOf(logout, 'ruche_session')).toMatch(/^ruche_session=;/);
    expect(browser.cookies.has('ruche_session')).toBe(false);

    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: old } });
    expect(me.statusCode).toBe(401);
    const home = await app.inject({ method: 'GET', url: '/', headers: { cookie: old } });
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/login?next=%2F');
  });

  it('marks every cookie Secure when RUCHE_PUBLIC_URL is https', async () => {
    const app = await appWith('https://ruche.example.org');
    const { response } = await logIn(app);
    const session = setCookieOf(response, 'ruche_session') ?? '';
    const attributes = session.split(';').map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', 'Secure']));
    const anon = await app.inject({ method: 'GET', url: '/login' });
    expect(setCookieOf(anon, 'ruche_anon')).toMatch(/; Secure/);
  });
});
