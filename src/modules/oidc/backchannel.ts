import type Provider from 'oidc-provider';
import type { Db } from '../../storage/database.js';

/** One app to tell that a person's single sign-on session ended (OpenID Connect Back-Channel Logout 1.0). */
export interface LogoutTarget {
  clientId: string;
  accountId: string;
  /** The session id the app was given in its ID tokens (`sid`). */
  sid: string;
}

type SessionPayload = { accountId?: string; authorizations?: Record<string, { sid?: string }> };

/** The apps a stored provider session logged in, each with the `sid` it knows the session by. */
export function targetsOfSession(payloadJson: string): LogoutTarget[] {
  const session = JSON.parse(payloadJson) as SessionPayload;
  if (!session.accountId) return [];
  return Object.entries(session.authorizations ?? {})
    .filter(([, authorization]) => typeof authorization.sid === 'string')
    .map(([clientId, authorization]) => ({ clientId, accountId: session.accountId!, sid: authorization.sid! }));
}

type BackchannelClient = { backchannelLogout(sub: string, sid: string): Promise<void> };

type Sender = (targets: LogoutTarget[]) => Promise<void>;

// The sender of the running server, keyed by its database (a transaction shares its database's adapter), so that
// services ending sessions (logout, suspension, password reset) reach the provider that signs the logout tokens.
const SENDERS = new WeakMap<object, Sender>();

function keyOf(db: Db): object {
  return db.getExecutor().adapter;
}

/** Installs the function that sends logout tokens for this database; returns its removal (when the server closes). */
export function registerLogoutSender(db: Db, sender: Sender): () => void {
  const key = keyOf(db);
  SENDERS.set(key, sender);
  return () => {
    if (SENDERS.get(key) === sender) SENDERS.delete(key);
  };
}

/** Tells the apps a session ended; a no-op without a running server (the CLI), never throws. */
export async function notifyLogout(db: Db, targets: LogoutTarget[]): Promise<void> {
  const sender = SENDERS.get(keyOf(db));
  if (sender && targets.length) await sender(targets).catch(() => {});
}

/** Sends a signed logout token to each target app that registered a back-channel logout URI. */
export async function sendLogoutTokens(provider: Provider, targets: LogoutTarget[], log: (error: Error) => void): Promise<void> {
  await Promise.all(targets.map(async ({ clientId, accountId, sid }) => {
    try {
      // The library's own sender (it signs the logout token with the provider's keys); not in its type declarations.
      const client = await provider.Client.find(clientId) as (Awaited<ReturnType<Provider['Client']['find']>> & BackchannelClient) | undefined;
      if (client?.backchannelLogoutUri) await client.backchannelLogout(accountId, sid);
    } catch (error) {
      log(error instanceof Error ? error : new Error(String(error)));
    }
  }));
}
