import { randomInt } from 'node:crypto';
import { seal, unseal } from '../../core/sealed.js';

const PURPOSE = 'two-factor totp secret v1';

/** Encrypts a TOTP secret for storage (AES-256-GCM, bound to its account so it cannot be moved to another). */
export function encryptSecret(appSecret: string, accountId: number, secret: string): string {
  return seal(appSecret, PURPOSE, `account:${accountId}`, secret);
}

/** Decrypts a stored TOTP secret; throws when the instance secret changed or the value was tampered with. */
export function decryptSecret(appSecret: string, accountId: number, stored: string): string {
  return unseal(appSecret, PURPOSE, `account:${accountId}`, stored);
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
