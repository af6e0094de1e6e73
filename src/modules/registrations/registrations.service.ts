import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { AppError, conflict, type FieldErrors, notFound, ValidationError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { isLocale, type Locale } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { type AccountView, createAccountWithPasswordHash, isUsernameTaken } from '../accounts/accounts.service.js';
import { hashPassword } from '../accounts/password.js';
import { recordChange } from '../audit/audit.service.js';
import { validateNewMember } from '../invitations/invitations.schema.js';
import { getSettings } from '../settings/settings.service.js';
import * as repo from './registrations.repository.js';
import { refusalInput, registrationInput, registrationStatusFilter } from './registrations.schema.js';

/** A registration request as the admins see it (never the password hash). */
export type RegistrationView = Awaited<ReturnType<typeof repo.selectRequests>>[number];

/** True when the collective's settings open self-registration (off by default). */
export async function isRegistrationOpen(db: Db): Promise<boolean> {
  return (await getSettings(db)).registration_open;
}

async function duplicates(db: Db, username: string, email: string): Promise<FieldErrors> {
  const fields: FieldErrors = {};
  if (await isUsernameTaken(db, username)) fields.username = 'invitations.username_taken';
  else if (await repo.selectPendingWith(db, 'username', username)) fields.username = 'registrations.duplicate_username';
  if (await repo.selectPendingWith(db, 'email', email)) fields.email = 'registrations.duplicate_email';
  return fields;
}

// Two identical requests racing past the checks meet the unique index on pending rows: answer as the check would.
function isUniqueViolation(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Records a request to join (registration must be open); the password is hashed now and never kept in clear. */
export async function requestRegistration(db: Db, input: unknown, locale: Locale): Promise<RegistrationView> {
  if (!(await isRegistrationOpen(db))) throw new AppError(409, 'registration_closed', 'registrations.closed');
  const data = validateNewMember(registrationInput, input);
  const fields = await duplicates(db, data.username, data.email);
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const id = await repo.insertRequest(db, {
    username: data.username, email: data.email, display_name: data.display_name, message: data.message ?? null, locale,
    password_hash: await hashPassword(data.password), status: 'pending', created_at: nowIso(),
  }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? new ValidationError({ username: 'registrations.duplicate_username' }) : error;
  });
  const after = { username: data.username, email: data.email, display_name: data.display_name };
  await recordChange(db, { accountId: null, label: `registration:${data.username}` }, { action: 'registration.request', entityType: 'registration', entityId: id, after });
  return getRegistration(db, id);
}

/** One request. */
export async function getRegistration(db: Db, id: number): Promise<RegistrationView> {
  const row = await repo.selectRequestView(db, id);
  if (!row) throw notFound('registrations.not_found');
  return row;
}

/** Requests with a status (pending by default), oldest first. */
export async function listRegistrations(db: Db, status?: unknown): Promise<RegistrationView[]> {
  const wanted = validate(registrationStatusFilter, status);
  return repo.selectRequests(db, wanted === 'all' ? undefined : wanted);
}

async function pendingRequest(db: Db, id: number) {
  const row = await repo.selectRequestById(db, id);
  if (!row) throw notFound('registrations.not_found');
  if (row.status !== 'pending' || row.password_hash === null) throw conflict('registrations.already_decided');
  return row;
}

/** Accepts a pending request: the person and the account are created with the password chosen at request time. */
export async function acceptRegistration(db: Db, actor: Actor, id: number): Promise<{ registration: RegistrationView; account: AccountView }> {
  const row = await pendingRequest(db, id);
  const decided = { status: 'accepted', decided_at: nowIso(), decided_by_account_id: actor.accountId, password_hash: null };
  if (!(await repo.decidePending(db, id, decided))) throw conflict('registrations.already_decided');
  const account = await createAccountWithPasswordHash(db, actor, {
    username: row.username, email: row.email, display_name: row.display_name, roles: ['member'], locale: isLocale(row.locale) ? row.locale : undefined,
  }, row.password_hash!);
  await repo.setRequestAccount(db, id, account.id);
  await recordChange(db, actor, { action: 'registration.accept', entityType: 'registration', entityId: id, after: { account_id: account.id, username: account.username } });
  return { registration: await getRegistration(db, id), account };
}

/** Refuses a pending request, with an optional reason; its password hash is forgotten. */
export async function refuseRegistration(db: Db, actor: Actor, id: number, input: unknown): Promise<RegistrationView> {
  const { reason } = validate(refusalInput, input ?? {});
  await pendingRequest(db, id);
  const decided = { status: 'refused', decided_at: nowIso(), decided_by_account_id: actor.accountId, refusal_reason: reason ?? null, password_hash: null };
  if (!(await repo.decidePending(db, id, decided))) throw conflict('registrations.already_decided');
  await recordChange(db, actor, { action: 'registration.refuse', entityType: 'registration', entityId: id, after: { reason: reason ?? null } });
  return getRegistration(db, id);
}
