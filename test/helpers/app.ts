// A Ruche server over a fresh database, with an admin and helpers to act as accounts of each role.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/config.js';
import { SYSTEM } from '../../src/core/actor.js';
import type { AppContext } from '../../src/http/context.js';
import { buildServer } from '../../src/http/server.js';
import { createAccount, createApiToken } from '../../src/modules/accounts/accounts.service.js';
import type { Storage } from '../../src/storage/database.js';
import { Browser } from './browser-client.js';

export const PASSWORD = 'correct horse battery staple';

/** A running test app: the fastify instance, its context, and ways to act as someone. */
export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** A cookie-keeping client logged in as a new account with these roles. */
  loginAs(roles: string[], username?: string): Promise<Browser>;
  /** A fresh API token for a new account with these roles. */
  tokenFor(roles: string[], username?: string): Promise<string>;
  /** An API request with a bearer token, and a body only when one is given. */
  api(token: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;

/** Builds the server over an open storage (the caller's forEachDialect cleans the database). */
export async function startTestApp(storage: Storage): Promise<TestApp> {
  const config = { ...loadConfig({}), secret: 'test-secret-0123456789abcdef' };
  const ctx: AppContext = { storage, db: storage.db, config, secret: config.secret };
  const app = await buildServer(ctx);
  await app.ready();
  const newAccount = async (roles: string[], username?: string) => {
    const name = username ?? `user${++counter}${roles.join('') || 'none'}`;
    return createAccount(ctx.db, SYSTEM, { username: name, password: PASSWORD, roles });
  };
  return {
    app,
    ctx,
    async loginAs(roles, username) {
      const account = await newAccount(roles, username);
      const browser = new Browser(app);
      await browser.login(account.username, PASSWORD);
      return browser;
    },
    async tokenFor(roles, username) {
      const account = await newAccount(roles, username);
      return (await createApiToken(ctx.db, SYSTEM, account.id, { name: 'test' })).token;
    },
    api: (token, method, url, payload) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as never }) }),
    close: () => app.close(),
  };
}
