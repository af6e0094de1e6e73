// The one hand-over point between invitations and the groups module.
import { nowIso } from '../../core/clock.js';
import type { Db } from '../../storage/database.js';
import { insertPendingGroups, selectPendingGroups } from './invitations.repository.js';

/**
 * Puts a person who accepted an invitation into the invitation's static groups.
 * For now the names are recorded in `invitation_groups_pending`; at merge this is to call the groups module instead.
 */
export async function joinInvitedGroups(db: Db, personId: number, names: readonly string[]): Promise<void> {
  await insertPendingGroups(db, personId, [...names], nowIso());
}

/** Static group names a person is waiting to join (until the groups module takes them over). */
export async function pendingGroupsOf(db: Db, personId: number): Promise<string[]> {
  return selectPendingGroups(db, personId);
}
