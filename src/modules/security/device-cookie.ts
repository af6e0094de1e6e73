// The trusted-browser cookie: a browser where an account logged in before is not locked out with it when someone
// else keeps failing to log in to that account (the lock would otherwise let an attacker shut its owner out).
import { hmac, randomToken, safeEqual } from '../../core/tokens.js';

export const DEVICE_COOKIE = 'ruche_device';
/** How long a browser stays trusted after its last successful login. */
export const DEVICE_SECONDS = 180 * 86_400;
const MAX_ACCOUNTS = 5;

/** A verified device cookie: its own id and the accounts that logged in with it. */
export interface Device {
  id: string;
  accountIds: number[];
}

/** Reads a device cookie; null when absent, malformed or not signed by this instance. */
export function readDevice(secret: string, value: string | undefined): Device | null {
  const [version, id, ids, signature] = (value ?? '').split('.');
  if (version !== 'v1' || !id || ids === undefined || !signature) return null;
  if (!safeEqual(signature, hmac(secret, `device.${id}.${ids}`))) return null;
  const accountIds = ids.split(',').filter((n) => /^\d+$/.test(n)).map(Number);
  return { id, accountIds };
}

/** The cookie value after an account logged in with this browser (a new device when there was none). */
export function deviceAfterLogin(secret: string, device: Device | null, accountId: number): string {
  const id = device?.id ?? randomToken(16);
  const accountIds = [accountId, ...(device?.accountIds ?? []).filter((n) => n !== accountId)].slice(0, MAX_ACCOUNTS);
  const ids = accountIds.join(',');
  return `v1.${id}.${ids}.${hmac(secret, `device.${id}.${ids}`)}`;
}
