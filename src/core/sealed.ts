import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT = 'v1';

// Each purpose has its own key, derived from the instance secret (HKDF-SHA-256): no key is ever stored.
function keyOf(appSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'ruche', purpose, 32));
}

/** Encrypts a secret value for storage (AES-256-GCM), bound to what it belongs to (`boundTo`), so it cannot be moved elsewhere. */
export function seal(appSecret: string, purpose: string, boundTo: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(appSecret, purpose), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(plain, 'utf-8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** True when a stored value is sealed (rather than written before sealing existed). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(`${FORMAT}.`);
}

/** Decrypts a sealed value; throws when the instance secret changed or the value was tampered with or moved. */
export function unseal(appSecret: string, purpose: string, boundTo: string, stored: string): string {
  const [format, iv, tag, body] = stored.split('.');
  if (format !== FORMAT || !iv || !tag || body === undefined) throw new Error('unknown sealed value format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(appSecret, purpose), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf-8');
}
