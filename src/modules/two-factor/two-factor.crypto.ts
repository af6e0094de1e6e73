import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt } from 'node:crypto';

const FORMAT = 'v1';

// The encryption key is derived from the instance secret (HKDF-SHA-256), so it is never stored anywhere.
function keyOf(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'ruche', 'two-factor totp secret v1', 32));
}

/** Encrypts a TOTP secret for storage (AES-256-GCM, bound to its account so it cannot be moved to another). */
export function encryptSecret(appSecret: string, accountId: number, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(appSecret), iv);
  cipher.setAAD(Buffer.from(`account:${accountId}`));
  const body = Buffer.concat([cipher.update(secret, 'utf-8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Decrypts a stored TOTP secret; throws when the instance secret changed or the value was tampered with. */
export function decryptSecret(appSecret: string, accountId: number, stored: string): string {
  const [format, iv, tag, body] = stored.split('.');
  if (format !== FORMAT || !iv || !tag || body === undefined) throw new Error('unknown TOTP secret format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(appSecret), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`account:${accountId}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf-8');
}

// Lower-case letters and digits without the look-alikes (0/o, 1/l/i): easy to copy from paper.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A fresh recovery code, `xxxxx-xxxxx` (about 49 bits of randomness). */
export function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** A code as typed (spaces, dashes, capitals) reduced to its characters, for hashing and comparing. */
export function normalizeCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, '');
}

/** True when a normalized code looks like a TOTP code (6 digits) rather than a recovery code. */
export function isTotpCode(normalized: string): boolean {
  return /^\d{6}$/.test(normalized);
}
