import type { JsonWebKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { AppContext } from '../../http/context.js';
import { registerLogoutSender, sendLogoutTokens } from './backchannel.js';
import { keysVersion, publishedKeys } from './keys.service.js';
import { GITLAB_USER_PATH, gitlabUser } from './gitlab.js';
import { buildProvider, OIDC_PREFIX } from './provider.js';

declare module 'fastify' {
  interface FastifyInstance {
    oidc: OidcMount;
  }
}

/** How often a running server looks for rotated keys (another process may have run `ruche oidc keys rotate`). */
const KEY_CHECK_MS = 10_000;

/** The running provider, rebuilt when the published signing keys change. */
export class OidcMount {
  #provider: Provider;
  #handler: (req: IncomingMessage, res: ServerResponse) => void;
  #version: string;
  #checkedAt = Date.now();

  private constructor(private readonly ctx: AppContext, private readonly log: (error: Error) => void, keys: JsonWebKey[], version: string) {
    this.#provider = buildProvider(ctx, keys, log);
    this.#handler = this.#provider.callback();
    this.#version = version;
  }

  /** Loads (or creates) the signing keys and builds the provider. */
  static async create(ctx: AppContext, log: (error: Error) => void): Promise<OidcMount> {
    const keys = await publishedKeys(ctx.db, ctx.secret);
    return new OidcMount(ctx, log, keys, await keysVersion(ctx.db));
  }

  /** The provider, after reloading the keys when they may have changed (every 10 s, or at once when `force`). */
  async provider(force = false): Promise<Provider> {
    if (force || Date.now() - this.#checkedAt > KEY_CHECK_MS) {
      this.#checkedAt = Date.now();
      const version = await keysVersion(this.ctx.db);
      if (version !== this.#version) {
        const keys = await publishedKeys(this.ctx.db, this.ctx.secret);
        this.#version = await keysVersion(this.ctx.db);
        this.#provider = buildProvider(this.ctx, keys, this.log);
        this.#handler = this.#provider.callback();
      }
    }
    return this.#provider;
  }

  /** Hands a raw request to the provider, its path made relative to the issuer and its origin pinned to the public URL. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.provider();
    const url = req.url ?? '/';
    const publicUrl = new URL(this.ctx.config.publicUrl);
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(OIDC_PREFIX.length) || '/';
    req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
    req.headers['x-forwarded-host'] = publicUrl.host;
    delete req.headers['x-forwarded-for'];
    this.#handler(req, res);
  }
}

/** True for the provider's own paths (all of /oidc but Ruche's login interaction pages). */
export function isProviderPath(url: string): boolean {
  if (url !== OIDC_PREFIX && !url.startsWith(`${OIDC_PREFIX}/`) && !url.startsWith(`${OIDC_PREFIX}?`)) return false;
  return !url.startsWith(`${OIDC_PREFIX}/interaction/`);
}

/**
 * Mounts the provider: an onRequest hook, installed before Ruche's own hooks, hands /oidc requests to it untouched
 * (it reads the raw body itself), and the fastify instance carries the mount for the interaction pages.
 */
export async function mountOidc(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const log = (error: Error) => app.log.error({ err: error }, 'oidc-provider error');
  const mount = await OidcMount.create(ctx, log);
  app.decorate('oidc', mount);
  // Logout, suspension and password reset end sessions in services; this server signs and sends the logout tokens.
  const unregister = registerLogoutSender(ctx.db, async (targets) => sendLogoutTokens(await mount.provider(), targets, log));
  app.addHook('onClose', async () => unregister());
  app.addHook('onRequest', async (request, reply) => {
    const url = request.raw.url ?? '';
    // Answered here, before Ruche's hooks, which would take the bearer token for a Ruche API token.
    if (request.method === 'GET' && url.split('?')[0] === GITLAB_USER_PATH) return gitlabUser(ctx, await mount.provider(), request, reply);
    if (!isProviderPath(url)) return;
    reply.hijack();
    try {
      await mount.handle(request.raw, reply.raw);
    } catch (error) {
      request.log.error({ err: error }, 'oidc request failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      reply.raw.end('Internal error');
    }
  });
}
