import type { Actor } from '../../core/actor.js';
import type { Permission } from '../../core/permissions.js';
import type { Locale } from '../../i18n/define.js';

/** The authenticated caller of a request: an account with its roles' permissions. */
export interface Principal {
  accountId: number;
  username: string;
  personId: number | null;
  roles: string[];
  permissions: Set<Permission>;
  locale: Locale | null;
  via: 'session' | 'token' | 'cli';
}

/** The audit actor for a principal. */
export function actorOf(principal: Principal): Actor {
  return { accountId: principal.accountId, label: principal.username };
}

/** True when the principal holds the permission. */
export function can(principal: Principal | null | undefined, permission: Permission): boolean {
  return !!principal && principal.permissions.has(permission);
}
