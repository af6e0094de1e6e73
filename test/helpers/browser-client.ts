// A small cookie-keeping HTTP client over fastify's inject, submitting forms as a browser would (with their CSRF field).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** Reads the value of the first `_csrf` hidden field of a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field in the page');
  return match[1];
}

/** A browser-like client: keeps cookies, follows nothing automatically, fills `_csrf` from the last page. */
export class Browser {
  readonly cookies = new Map<string, string>();
  lastPage = '';

  constructor(readonly app: FastifyInstance, readonly headers: Record<string, string> = {}) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (String(response.headers['content-type'] ?? '').startsWith('text/html')) this.lastPage = response.body;
    return response;
  }

  /** GET a page or JSON. */
  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } }));
  }

  /** POST a urlencoded form, with the CSRF token of the last page unless one is given. */
  async post(url: string, fields: Record<string, string | string[]> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (!('_csrf' in fields) && this.lastPage) body.set('_csrf', csrfOf(this.lastPage));
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    return this.keep(await this.app.inject({
      method: 'POST', url, payload: body.toString(),
      headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    }));
  }

  /** Sends JSON with the session cookie and the CSRF header (as a script in the page would). */
  async json(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    const csrf = this.lastPage ? csrfOf(this.lastPage) : '';
    return this.keep(await this.app.inject({ method, url, payload: payload as never, headers: { ...this.headers, cookie: this.cookieHeader(), 'x-csrf-token': csrf } }));
  }

  /** Logs in through the login form. */
  async login(username: string, password: string): Promise<void> {
    await this.get('/login');
    const response = await this.post('/login', { login: username, password, next: '/' });
    expect(response.statusCode, `login of ${username}`).toBe(303);
    await this.get('/');
  }
}
