import { AppError } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { getAccount } from '../accounts/accounts.service.js';
import { primaryEmailOfPerson } from '../account-mail/email-verification.service.js';
import { groupNamesOfAccount, groupNamesOfAccountView } from '../groups/groups.service.js';
import { liveDisplayName } from '../people/people.service.js';

/** Which claims each scope releases (the ID token carries them too: several apps read them only there). */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['preferred_username', 'name', 'locale'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
  quota: ['quota'], // the storage quota an app (Nextcloud) is told, set per client
} as const;

/** The scopes a person is told about (consent page, app grants), each with its `oidc.scope.*` wording. */
export const DESCRIBED_SCOPES: readonly string[] = [...Object.keys(SCOPE_CLAIMS), 'offline_access'];

/** Everything Ruche can say about an account to a client. */
export interface AccountClaims {
  sub: string;
  preferred_username: string;
  name: string;
  email?: string;
  email_verified: boolean;
  locale?: string;
  groups: string[];
  quota?: string;
}

/** The names of the groups an account belongs to (static and computed), as the `groups` claim and client restrictions see them. */
export async function groupNamesOf(db: Db, accountId: number): Promise<string[]> {
  return groupNamesOfAccount(db, accountId);
}

/** The claims of an enabled account, or null when it does not exist or is disabled (it can then no longer log in or use its tokens). */
export async function claimsOf(db: Db, accountId: number): Promise<AccountClaims | null> {
  const account = await getAccount(db, accountId).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  });
  if (!account || account.disabled) return null;
  const [name, primary, groups] = await Promise.all([
    account.personId ? liveDisplayName(db, account.personId) : null,
    account.personId ? primaryEmailOfPerson(db, account.personId) : null,
    groupNamesOfAccountView(db, account),
  ]);
  return {
    sub: String(account.id),
    preferred_username: account.username,
    name: name ?? account.username,
    ...(primary ? { email: primary.email } : {}),
    email_verified: primary?.verified ?? false,
    ...(account.locale ? { locale: account.locale } : {}),
    groups,
  };
}
