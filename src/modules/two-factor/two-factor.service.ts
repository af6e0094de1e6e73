import { generateSecret, generateURI, verify } from 'otplib';
import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { conflict, ValidationError } from '../../core/errors.js';
import { sha256 } from '../../core/tokens.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { getAccount, verifyAccountPassword } from '../accounts/accounts.service.js';
import { recordChange } from '../audit/audit.service.js';
import { getSettings } from '../settings/settings.service.js';
import * as repo from './two-factor.repository.js';
import { decryptSecret, encryptSecret, isTotpCode, newRecoveryCode, normalizeCode } from './two-factor.crypto.js';
import { codeInput, confirmationInput } from './two-factor.schema.js';

/** Number of recovery codes handed out at once. */
export const RECOVERY_CODE_COUNT = 10;
// One time step either side of now: phones whose clock is a little off still work.
const TOLERANCE_SECONDS = 30;

/** Whether an account has two-factor turned on, and how many recovery codes it has left. */
export interface TwoFactorStatus {
  enabled: boolean;
  confirmedAt: string | null;
  recoveryCodesLeft: number;
}

/** True when the account has a confirmed TOTP secret: its logins then need a second step. */
export async function twoFactorEnabled(db: Db, accountId: number): Promise<boolean> {
  return !!(await repo.selectTotp(db, accountId))?.confirmed_at;
}

/** The account's two-factor status, for its own page and the admin's. */
export async function twoFactorStatus(db: Db, accountId: number): Promise<TwoFactorStatus> {
  const row = await repo.selectTotp(db, accountId);
  const enabled = !!row?.confirmed_at;
  return { enabled, confirmedAt: row?.confirmed_at ?? null, recoveryCodesLeft: enabled ? await repo.countUnusedRecoveryCodes(db, accountId) : 0 };
}

/** Starts (or resumes) setup: the secret to enter in an app and its otpauth:// URI (issuer: the collective's name). */
export async function beginSetup(db: Db, appSecret: string, account: { id: number; username: string }): Promise<{ secret: string; uri: string }> {
  const row = await repo.selectTotp(db, account.id);
  if (row?.confirmed_at) throw conflict('two_factor.already_enabled');
  let secret = row ? decryptSecret(appSecret, account.id, row.secret_encrypted) : undefined;
  if (!secret) {
    secret = generateSecret();
    await repo.replacePendingTotp(db, account.id, encryptSecret(appSecret, account.id, secret), nowIso());
  }
  const { collective_name } = await getSettings(db);
  return { secret, uri: generateURI({ issuer: collective_name, label: account.username, secret }) };
}

// The time step a code matches (within the tolerance and after `after`), or null.
async function matchTotp(secret: string, code: string, after: number | null): Promise<number | null> {
  if (!isTotpCode(code)) return null; // otplib throws on a token of the wrong length
  const result = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS, ...(after !== null ? { afterTimeStep: after } : {}) });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

async function freshRecoveryCodes(db: Db, accountId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await repo.replaceRecoveryCodes(db, accountId, codes.map((code) => sha256(normalizeCode(code))), nowIso());
  return codes;
}

/** Finishes setup with a current code from the app: two-factor is on, and the recovery codes are returned once. */
export async function confirmSetup(db: Db, appSecret: string, actor: Actor, accountId: number, input: unknown): Promise<string[]> {
  const { code } = validate(codeInput, input);
  const row = await repo.selectTotp(db, accountId);
  if (!row) throw new ValidationError({ code: 'two_factor.setup_expired' });
  if (row.confirmed_at) throw conflict('two_factor.already_enabled');
  const step = await matchTotp(decryptSecret(appSecret, accountId, row.secret_encrypted), normalizeCode(code), null);
  if (step === null || (await repo.confirmTotp(db, accountId, nowIso(), step)) !== 1) throw new ValidationError({ code: 'two_factor.wrong_code' });
  const codes = await freshRecoveryCodes(db, accountId);
  await recordChange(db, actor, { action: 'account.2fa_enable', entityType: 'account', entityId: accountId });
  return codes;
}

/** Checks a login's second step: a TOTP code (each accepted once) or an unused recovery code (then spent and audited). */
export async function verifySecondFactor(db: Db, appSecret: string, actor: Actor, accountId: number, typed: string): Promise<boolean> {
  const row = await repo.selectTotp(db, accountId);
  if (!row?.confirmed_at) return false;
  const code = normalizeCode(typed);
  if (isTotpCode(code)) {
    const step = await matchTotp(decryptSecret(appSecret, accountId, row.secret_encrypted), code, row.last_time_step === null ? null : Number(row.last_time_step));
    return step !== null && (await repo.advanceTimeStep(db, accountId, step));
  }
  if (code.length < 6 || code.length > 64 || !(await repo.useRecoveryCode(db, accountId, sha256(code), nowIso()))) return false;
  const left = await repo.countUnusedRecoveryCodes(db, accountId);
  await recordChange(db, actor, { action: 'account.2fa_recovery_used', entityType: 'account', entityId: accountId, after: { recovery_codes_left: left } });
  return true;
}

// The person proves it is them again: their password, a code from the app or a recovery code.
async function checkConfirmation(db: Db, appSecret: string, actor: Actor, accountId: number, input: unknown): Promise<void> {
  const { confirmation } = validate(confirmationInput, input);
  if (!(await twoFactorEnabled(db, accountId))) throw conflict('two_factor.not_enabled');
  const ok = (await verifySecondFactor(db, appSecret, actor, accountId, confirmation)) || (await verifyAccountPassword(db, accountId, confirmation));
  if (!ok) throw new ValidationError({ confirmation: 'two_factor.wrong_confirmation' });
}

/** Turns one's own two-factor off, after the password or a code. */
export async function disableTwoFactor(db: Db, appSecret: string, actor: Actor, accountId: number, input: unknown): Promise<void> {
  await checkConfirmation(db, appSecret, actor, accountId, input);
  await repo.deleteTwoFactor(db, accountId);
  await recordChange(db, actor, { action: 'account.2fa_disable', entityType: 'account', entityId: accountId });
}

/** Replaces one's recovery codes by new ones (after the password or a code); the new codes are returned once. */
export async function regenerateRecoveryCodes(db: Db, appSecret: string, actor: Actor, accountId: number, input: unknown): Promise<string[]> {
  await checkConfirmation(db, appSecret, actor, accountId, input);
  const codes = await freshRecoveryCodes(db, accountId);
  await recordChange(db, actor, { action: 'account.2fa_recovery_regenerate', entityType: 'account', entityId: accountId });
  return codes;
}

/** An admin removes a person's two-factor (lost phone, no recovery code left); they log in with the password alone. */
export async function resetTwoFactor(db: Db, actor: Actor, accountId: number): Promise<void> {
  await getAccount(db, accountId);
  if (!(await twoFactorEnabled(db, accountId))) throw conflict('two_factor.not_enabled');
  await repo.deleteTwoFactor(db, accountId);
  await recordChange(db, actor, { action: 'account.2fa_reset', entityType: 'account', entityId: accountId });
}
