// A Ruche server listening on 127.0.0.1 (its public URL matching its port), and a fetch-based browser with a cookie jar,
// so a real relying party (openid-client) and a "person" can run the OpenID Connect flow over real HTTP.
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/config.js';
import { SYSTEM } from '../../src/core/actor.js';
import type { AppContext } from '../../src/http/context.js';
import { buildServer } from '../../src/http/server.js';
import { createAccount } from '../../src/modules/accounts/accounts.service.js';
import type { Storage } from '../../src/storage/database.js';
import { csrfOf } from './browser-client.js';

export const PASSWORD = 'correct horse battery staple';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A listening Ruche. */
export interface LiveApp {
  app: FastifyInstance;
  ctx: AppContext;
  base: string;
  issuer: string;
  close(): Promise<void>;
}

/** Starts Ruche on a free port of 127.0.0.1 with RUCHE_PUBLIC_URL set to it. */
export async function startLiveApp(storage: Storage): Promise<LiveApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = { ...loadConfig({}), port, publicUrl: base, secret: 'test-secret-0123456789abcdef' };
  const ctx: AppContext = { storage, db: storage.db, config, secret: config.secret };
  const app = await buildServer(ctx);
  await app.listen({ port, host: '127.0.0.1' });
  return { app, ctx, base, issuer: `${base}/oidc`, close: () => app.close() };
}

/** Creates an account (with a person carrying name and e-mail) and returns its id. */
export async function newAccount(ctx: AppContext, username: string, roles: string[] = ['member']): Promise<number> {
  const account = await createAccount(ctx.db, SYSTEM, { username, password: PASSWORD, roles, email: `${username}@example.org`, display_name: `${username[0].toUpperCase()}${username.slice(1)} Doe`, locale: 'fr' });
  return account.id;
}

interface StoredCookie { name: string; value: string; path: string }

/** A browser over real HTTP: keeps cookies (by name and path), never follows redirects by itself. */
export class HttpBrowser {
  readonly cookies: StoredCookie[] = [];
  lastPage = '';

  constructor(readonly base: string) {}

  private cookieHeader(url: URL): string {
    return this.cookies.filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  private keep(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attr('path') ?? url.pathname.replace(/\/[^/]*$/, '') ?? '/';
      const expires = attr('expires');
      const gone = value === '' || attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) < Date.now());
      const index = this.cookies.findIndex((c) => c.name === name && c.path === path);
      if (index >= 0) this.cookies.splice(index, 1);
      if (!gone) this.cookies.push({ name, value, path });
    }
  }

  /** One request; a page's HTML is remembered so its CSRF field can be submitted. */
  async request(target: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(target, this.base);
    const headers: Record<string, string> = { cookie: this.cookieHeader(url), accept: 'text/html' };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.keep(url, response);
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) this.lastPage = await response.clone().text();
    return response;
  }

  /** Follows redirects from `start` until one leaves for `stopAt` (returned, not fetched) or a page answers. */
  async follow(start: string, stopAt: string): Promise<{ url: string; response?: Response }> {
    let url = start;
    for (let hops = 0; hops < 15; hops++) {
      if (url.startsWith(stopAt)) return { url };
      const response = await this.request(url);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url, response };
      url = new URL(location, url.startsWith('http') ? url : this.base).toString();
    }
    throw new Error('too many redirects');
  }

  /** Submits the login form of the last page as a person would (with its CSRF and `next` fields). */
  async submitLogin(login: string, password: string): Promise<Response> {
    const next = /name="next" value="([^"]*)"/.exec(this.lastPage)?.[1] ?? '/';
    return this.request('/login', { form: { _csrf: csrfOf(this.lastPage), next: next.replaceAll('&amp;', '&'), login, password } });
  }
}
