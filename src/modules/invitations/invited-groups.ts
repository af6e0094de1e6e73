// The one hand-over point between invitations and the groups module.
import type { Actor } from '../../core/actor.js';
import { ValidationError } from '../../core/errors.js';
import type { Db } from '../../storage/database.js';
import { addGroupMember, getGroup } from '../groups/groups.service.js';

/** Refuses group names an invitation cannot promise: unknown groups and computed ones (they follow the data). */
export async function checkInvitationGroups(db: Db, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const group = await getGroup(db, name).catch(() => null);
    if (!group || group.computed) throw new ValidationError({ groups: 'invitations.group_unknown' });
  }
}

/** Puts a person who accepted an invitation into the invitation's static groups (those still existing). */
export async function joinInvitedGroups(db: Db, actor: Actor, personId: number, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const group = await getGroup(db, name).catch(() => null);
    if (group && !group.computed) await addGroupMember(db, actor, name, { person_id: personId });
  }
}
