import type { Permission } from '../core/permissions.js';
import type { Locale, Translate } from '../i18n/index.js';
import type { Principal } from '../modules/accounts/principal.js';
import type { AppContext } from './context.js';

/** Who may call a route: a permission, any logged-in account, or anyone. */
export type Access = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    locale: Locale;
    t: Translate;
    ctx: AppContext;
    /** The value that forms must send back in `_csrf` (or the X-CSRF-Token header). */
    csrfToken: string;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** false only for public API routes that act on nothing but their body (no session, no token): no CSRF check. */
    csrf?: false;
  }
}
