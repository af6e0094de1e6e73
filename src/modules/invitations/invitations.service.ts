import type { Actor } from '../../core/actor.js';
import { nowIso } from '../../core/clock.js';
import { AppError, conflict, notFound, ValidationError } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/tokens.js';
import { validate } from '../../core/validate.js';
import type { Locale } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { type AccountView, createAccount, isUsernameTaken } from '../accounts/accounts.service.js';
import { can, type Principal } from '../accounts/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { checkInvitationGroups, joinInvitedGroups } from './invited-groups.js';
import * as repo from './invitations.repository.js';
import { DEFAULT_INVITATION_DAYS, invitationCreateInput, newMemberInput, validateNewMember } from './invitations.schema.js';

export type InvitationStatus = 'open' | 'used' | 'expired' | 'revoked';

/** An invitation as pages, API and CLI show it (never its token). */
export interface InvitationView {
  id: number;
  status: InvitationStatus;
  note: string | null;
  groups: string[];
  created_at: string;
  expires_at: string;
  created_by: { id: number; username: string } | null;
  used_at: string | null;
  used_by: { id: number; username: string } | null;
  revoked_at: string | null;
}

/** Whose invitations a caller sees and may revoke: everyone's for account managers, otherwise their own. */
export interface InvitationScope {
  createdBy?: number;
}

/** The scope of a principal: admins (`accounts:manage`) see all invitations, sponsors their own. */
export function invitationScopeOf(principal: Principal): InvitationScope {
  return can(principal, 'accounts:manage') ? {} : { createdBy: principal.accountId };
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.selectInvitationById>>>;

function statusOf(row: Row, now: string): InvitationStatus {
  if (row.revoked_at) return 'revoked';
  if (row.used_at) return 'used';
  return row.expires_at <= now ? 'expired' : 'open';
}

function toView(row: Row, now = nowIso()): InvitationView {
  return {
    id: row.id,
    status: statusOf(row, now),
    note: row.note,
    groups: JSON.parse(row.groups_json) as string[],
    created_at: row.created_at,
    expires_at: row.expires_at,
    created_by: row.created_by_account_id !== null ? { id: row.created_by_account_id, username: row.created_by_username ?? '' } : null,
    used_at: row.used_at,
    used_by: row.used_by_account_id !== null ? { id: row.used_by_account_id, username: row.used_by_username ?? '' } : null,
    revoked_at: row.revoked_at,
  };
}

/** The link an invitee opens (the token is only ever in this link, shown once to the sponsor). */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invite/${token}`;
}

/** Creates a single-use invitation; returns it with its token, which is not stored (only its hash is). Only an inviter who manages groups may name groups to join. */
export async function createInvitation(db: Db, actor: Actor, input: unknown, inviter: Principal | null): Promise<{ invitation: InvitationView; token: string }> {
  const data = validate(invitationCreateInput, input);
  if (data.groups.length && !can(inviter, 'groups:manage')) throw new ValidationError({ groups: 'invitations.groups_forbidden' });
  await checkInvitationGroups(db, data.groups);
  const token = randomToken(32);
  const now = new Date();
  const expires = new Date(now.getTime() + (data.days ?? DEFAULT_INVITATION_DAYS) * 86_400_000);
  const id = await repo.insertInvitation(db, {
    token_hash: sha256(token),
    created_by_account_id: actor.accountId,
    note: data.note ?? null,
    groups_json: JSON.stringify(data.groups),
    created_at: nowIso(now),
    expires_at: nowIso(expires),
  });
  const after = { expires_at: nowIso(expires), note: data.note ?? null, groups: data.groups };
  await recordChange(db, actor, { action: 'invitation.create', entityType: 'invitation', entityId: id, after });
  return { invitation: await getInvitation(db, id, {}), token };
}

/** One invitation, if the scope lets the caller see it. */
export async function getInvitation(db: Db, id: number, scope: InvitationScope): Promise<InvitationView> {
  const row = await repo.selectInvitationById(db, id);
  if (!row || (scope.createdBy !== undefined && row.created_by_account_id !== scope.createdBy)) throw notFound('invitations.not_found');
  return toView(row);
}

/** The invitations a caller sees, newest first, with their status. */
export async function listInvitations(db: Db, scope: InvitationScope): Promise<InvitationView[]> {
  const now = nowIso();
  return (await repo.selectInvitations(db, scope.createdBy)).map((row) => toView(row, now));
}

/** Revokes an open invitation the caller may see; a used, expired or revoked one is left as it is (409). */
export async function revokeInvitation(db: Db, actor: Actor, id: number, scope: InvitationScope): Promise<InvitationView> {
  await getInvitation(db, id, scope);
  if (!(await repo.revokeOpenInvitation(db, id, nowIso()))) throw conflict('invitations.not_open');
  await recordChange(db, actor, { action: 'invitation.revoke', entityType: 'invitation', entityId: id });
  return getInvitation(db, id, scope);
}

function linkError(status: Exclude<InvitationStatus, 'open'>): AppError {
  return new AppError(410, `invitation_${status}`, `invitations.link_${status}`);
}

/** The open invitation behind a link's token; a clear error (404 unknown, 410 used, expired or revoked) otherwise. */
export async function openInvitation(db: Db, token: string): Promise<InvitationView> {
  const row = token.length <= 128 ? await repo.selectInvitationByHash(db, sha256(token)) : undefined;
  if (!row) throw new AppError(404, 'invitation_unknown', 'invitations.link_unknown');
  const view = toView(row);
  if (view.status !== 'open') throw linkError(view.status);
  return view;
}

/** Accepts an invitation: creates the person and account (invited by the sponsor), uses the link up, joins the groups. */
export async function acceptInvitation(db: Db, token: string, input: unknown, locale: Locale): Promise<AccountView> {
  const invitation = await openInvitation(db, token);
  const data = validateNewMember(newMemberInput, input);
  if (await isUsernameTaken(db, data.username)) throw new ValidationError({ username: 'invitations.username_taken' });
  if (!(await repo.claimInvitation(db, invitation.id, nowIso()))) {
    await openInvitation(db, token); // says why, when the link was used, revoked or expired meanwhile
    throw linkError('used');
  }
  const actor: Actor = { accountId: null, label: `invitation:${invitation.id}` };
  const account = await createAccount(db, actor, {
    username: data.username, password: data.password, email: data.email, display_name: data.display_name, roles: ['member'], locale,
  }, { invitedBy: invitation.created_by?.id });
  await repo.setInvitationUser(db, invitation.id, account.id);
  if (account.personId !== null) await joinInvitedGroups(db, { accountId: account.id, label: account.username }, account.personId, invitation.groups);
  const after = { account_id: account.id, username: account.username, person_id: account.personId, groups: invitation.groups };
  await recordChange(db, { accountId: account.id, label: account.username }, { action: 'invitation.accept', entityType: 'invitation', entityId: invitation.id, after });
  return account;
}
