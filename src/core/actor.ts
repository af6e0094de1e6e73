/** Who is doing something, as recorded in the audit log. */
export interface Actor {
  accountId: number | null;
  label: string;
}

/** The actor for scheduled jobs and maintenance commands. */
export const SYSTEM: Actor = { accountId: null, label: 'system' };
