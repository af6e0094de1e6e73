import { today } from '../../core/clock.js';
import { ROLES } from '../../core/permissions.js';
import type { Translate } from '../../i18n/index.js';
import type { Db } from '../../storage/database.js';
import { getDuesPolicy, graceUntil } from '../dues/dues.service.js';
import { fiscalYearLabel, fiscalYearOf, getSettings } from '../settings/settings.service.js';
import { type PersonIds, type StandingRule, standingIds, taggedIds } from './groups.repository.js';

/** The tag that puts a person in the computed `board` group. */
export const BOARD_TAG = 'board';
/** Computed groups of account roles are named with this prefix and the role: `role-admin`, `role-treasurer`... */
export const ROLE_PREFIX = 'role-';

/** A group that follows the data: evaluated when asked, never stored. */
export type ComputedGroup = { name: string; kind: 'members' | 'effective' | 'board' } | { name: string; kind: 'role'; role: string };

/** Every computed group: members, effective-members, board, then one per role. */
export function computedGroups(): ComputedGroup[] {
  return [
    { name: 'members', kind: 'members' },
    { name: 'effective-members', kind: 'effective' },
    { name: 'board', kind: 'board' },
    ...Object.keys(ROLES).map((role) => ({ name: `${ROLE_PREFIX}${role}`, kind: 'role' as const, role })),
  ];
}

/** The computed group of this name, if it is one. */
export function computedGroup(name: string): ComputedGroup | undefined {
  return computedGroups().find((g) => g.name === name);
}

/** True for names static groups may not take: the computed groups', and every `role-` name (roles may be added later). */
export function isReservedName(name: string): boolean {
  return !!computedGroup(name) || name.startsWith(ROLE_PREFIX);
}

/** Where the standing rule comes from, for pages explaining the `members` group. */
export interface Standing extends Omit<StandingRule, 'effectiveOnly'> {
  /** Last day the previous fiscal year's members still count (its end plus the dues policy's grace days). */
  graceUntil: string;
  startMonth: number;
}

/**
 * The current fiscal year and its grace rule, as the dues overview reads them: the fiscal year containing today (by
 * the collective's start month), and the grace period running from the previous year's end for `grace_days` days.
 */
export async function currentStanding(db: Db, now: Date = new Date()): Promise<Standing> {
  const [{ fiscal_year_start_month: startMonth }, policy] = await Promise.all([getSettings(db), getDuesPolicy(db)]);
  const day = today(now);
  const year = fiscalYearOf(day, startMonth);
  const until = graceUntil(year, startMonth, policy);
  return { year, today: day, inGrace: day <= until, graceUntil: until, startMonth };
}

/** The query of a person-based computed group's people (null for role groups, whose members are accounts). */
export function computedIds(db: Db, group: ComputedGroup, standing: Standing): PersonIds | null {
  if (group.kind === 'board') return taggedIds(db, BOARD_TAG);
  if (group.kind === 'role') return null;
  return standingIds(db, { ...standing, effectiveOnly: group.kind === 'effective' });
}

/** A computed group's label in the reader's language. */
export function computedLabel(t: Translate, group: ComputedGroup): string {
  if (group.kind === 'role') return t('groups.computed.role', { role: roleLabel(t, group.role) });
  return t(`groups.computed.${group.kind}`);
}

function roleLabel(t: Translate, role: string): string {
  const key = `role.${role}` as Parameters<Translate>[0];
  const label = t(key);
  return label === key ? role : label;
}

/** What a computed group holds, in the reader's language (the `members` rule names the year and the grace period). */
export function computedDescription(t: Translate, group: ComputedGroup, standing: Standing): string {
  if (group.kind === 'role') return t('groups.computed.role_description', { role: roleLabel(t, group.role) });
  if (group.kind === 'board') return t('groups.computed.board_description', { tag: BOARD_TAG });
  const year = fiscalYearLabel(standing.year, standing.startMonth);
  const previous = fiscalYearLabel(standing.year - 1, standing.startMonth);
  const rule = t(group.kind === 'effective' ? 'groups.computed.effective_description' : 'groups.computed.members_description', { year });
  return standing.inGrace ? `${rule} ${t('groups.computed.grace_running', { previous, until: standing.graceUntil })}` : rule;
}
