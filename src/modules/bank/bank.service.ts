import type { Actor } from '../../core/actor.js';
import { ValidationError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { recordChange } from '../audit/audit.service.js';
import type { Db } from '../../storage/database.js';
import * as repo from './bank.repository.js';
import { csvProfileInput, transactionQuery } from './bank.schema.js';
import { guessCsvProfile } from './parsers/csv.js';
import type { CsvProfile } from './parsers/types.js';

/** Movements by id, in the order asked. */
export async function transactionsByIds(db: Db, ids: number[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await repo.selectTransactions(db, { ids: ids.slice(i, i + 500) }, 500, 0)));
  const byId = new Map(out.map((t) => [t.id, t]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** A page of movements, newest first, filtered by account and dates. */
export async function listTransactions(db: Db, query: unknown) {
  const q = validate(transactionQuery, query);
  const rows = await repo.selectTransactions(db, { accountId: q.account, from: q.from, to: q.to }, q.per_page + 1, (q.page - 1) * q.per_page);
  return { items: rows.slice(0, q.per_page), hasNext: rows.length > q.per_page, page: q.page, perPage: q.per_page };
}


/** A saved CSV column mapping by name. */
export async function csvProfile(db: Db, name: string): Promise<CsvProfile | undefined> {
  const json = await repo.selectCsvProfile(db, name);
  return json ? (JSON.parse(json) as CsvProfile) : undefined;
}

/** Saves a CSV column mapping under its name, for the next exports of the same bank. */
export async function saveCsvProfile(db: Db, profile: CsvProfile): Promise<void> {
  await repo.upsertCsvProfile(db, profile.name, JSON.stringify(profile));
}

/** Names of the saved CSV profiles. */
export function csvProfileNames(db: Db): Promise<string[]> {
  return repo.selectCsvProfileNames(db);
}

/** Validates and saves a CSV profile given as JSON text or an object (pages, API and CLI). */
export async function saveCsvProfileInput(db: Db, actor: Actor, input: unknown): Promise<CsvProfile> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ValidationError({ profile: 'bank.profile_json' });
    }
  }
  const profile = validate(csvProfileInput, value) as CsvProfile;
  await saveCsvProfile(db, profile);
  await recordChange(db, actor, { action: 'bank.csv_profile', entityType: 'bank_csv_profile', entityId: profile.name, after: profile });
  return profile;
}

/** A proposed profile for a bank CSV export, with what Ruche is unsure of, for the treasurer to confirm. */
export function guessProfile(bytes: Buffer) {
  return guessCsvProfile(bytes);
}

/**
 * A statement file's name as a browser or an API client gave it, made safe to keep and show: no folders, no control or
 * direction characters, 200 characters at most; the fallback when nothing is left.
 */
export function statementFileName(name: string | null | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim().slice(0, 200).trim();
  return clean && !/^\.+$/.test(clean) ? clean : fallback;
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''...` preferred to `filename="..."`), if any. */
export function dispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*[\w-]*'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // a malformed encoding: the plain parameter, if any
    }
  }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
  return plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2]?.trim()) : undefined;
}
