import type { Actor } from '../../core/actor.js';
import { validate } from '../../core/validate.js';
import type { Db } from '../../storage/database.js';
import { recordChange } from '../audit/audit.service.js';
import { deleteSetting, selectSetting, upsertSetting } from './settings.repository.js';
import { type CollectiveSettings, settingsInput } from './settings.schema.js';

const DEFAULTS: CollectiveSettings = { collective_name: 'Ruche', fiscal_year_start_month: 1, registration_open: false };

/** The collective's settings, with defaults for what was never set. */
export async function getSettings(db: Db): Promise<CollectiveSettings> {
  const raw = await selectSetting(db, 'collective');
  return raw ? { ...DEFAULTS, ...JSON.parse(raw) } : { ...DEFAULTS };
}

/** What another module does once the fiscal year's start month changed (in the same transaction); returns how many memberships it changed. */
export type FiscalYearStartListener = (db: Db, actor: Actor, change: { before: number; after: number }) => Promise<number>;

// Modules that keep fiscal years (the dues) import settings, so settings cannot import them: they register here instead.
const fiscalYearStartListeners: FiscalYearStartListener[] = [];

/** Registers a module's reaction to a new fiscal year start month (the dues module moves its dues and re-derives memberships). */
export function onFiscalYearStartChange(listener: FiscalYearStartListener): void {
  if (!fiscalYearStartListeners.includes(listener)) fiscalYearStartListeners.push(listener);
}

/**
 * Validates and saves the collective's settings, recording the change; a new fiscal year start month is passed on
 * to the registered modules, and `memberships_changed` (only then) counts the memberships they changed.
 */
export async function updateSettings(db: Db, actor: Actor, input: unknown): Promise<CollectiveSettings & { memberships_changed?: number }> {
  const next = validate(settingsInput, input);
  const before = await getSettings(db);
  await upsertSetting(db, 'collective', JSON.stringify(next));
  await recordChange(db, actor, { action: 'settings.update', entityType: 'settings', entityId: 'collective', before, after: next });
  if (next.fiscal_year_start_month === before.fiscal_year_start_month) return next;
  let changed = 0;
  for (const listener of fiscalYearStartListeners) changed += await listener(db, actor, { before: before.fiscal_year_start_month, after: next.fiscal_year_start_month });
  return { ...next, memberships_changed: changed };
}

/** The fiscal year (named by the calendar year it starts in) that a date falls in. */
export function fiscalYearOf(date: string, startMonth: number): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= startMonth ? year : year - 1;
}

/** First and last calendar dates of a fiscal year. */
export function fiscalYearBounds(year: number, startMonth: number): { start: string; end: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const start = `${year}-${pad(startMonth)}-01`;
  const endDate = new Date(Date.UTC(year + 1, startMonth - 1, 0));
  return { start, end: endDate.toISOString().slice(0, 10) };
}

/** How a fiscal year is written: `2026`, or `2026-2027` when it does not start in January. */
export function fiscalYearLabel(year: number, startMonth: number): string {
  return startMonth === 1 ? String(year) : `${year}-${year + 1}`;
}

/** A JSON setting owned by another module (e.g. the dues policy), with its defaults for missing fields. */
export async function getModuleSetting<T extends object>(db: Db, key: string, defaults: T): Promise<T> {
  const raw = await selectSetting(db, key);
  return raw ? { ...defaults, ...JSON.parse(raw) } : { ...defaults };
}

/** Saves another module's JSON setting, recording before and after in the audit log. */
export async function saveModuleSetting<T extends object>(db: Db, actor: Actor, key: string, value: T, before: T): Promise<void> {
  await upsertSetting(db, key, JSON.stringify(value));
  await recordChange(db, actor, { action: 'settings.update', entityType: 'settings', entityId: key, before, after: value });
}

/** Another module's internal value (the setup link's token hash): kept out of the audit log, which must not hold it. */
export async function getInternalSetting(db: Db, key: string): Promise<string | undefined> {
  return selectSetting(db, key);
}

/** Stores another module's internal value, unaudited (see getInternalSetting). */
export async function putInternalSetting(db: Db, key: string, value: string): Promise<void> {
  await upsertSetting(db, key, value);
}

/** Removes another module's internal value. */
export async function dropInternalSetting(db: Db, key: string): Promise<void> {
  await deleteSetting(db, key);
}
