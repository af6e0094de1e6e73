import type { Generated } from 'kysely';

/** A static group edited by admins; `name` is the slug the single sign-on's clients see in the `groups` claim. */
export interface GroupsTable {
  id: Generated<number>;
  name: string;
  label: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

/** A person in a static group, with who added them and when. */
export interface GroupMembersTable {
  group_id: number;
  person_id: number;
  /** The audit label of who added the person (an account's username, `cli:<user>`, `system`). */
  added_by: string;
  added_at: string;
}
