// Uploads waiting between the two steps of a web import (upload, then map and confirm), kept one day at most.
import { nowIso } from '../../core/clock.js';
import { notFound } from '../../core/errors.js';
import { randomToken } from '../../core/tokens.js';
import type { Db } from '../../storage/database.js';
import * as repo from './exchange.repository.js';
import { readImport, type ReadOptions } from './import.read.js';

/** Hours an upload is kept before housekeeping deletes it. */
export const UPLOAD_HOURS = 24;

const UPLOAD_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** An uploaded file of an account. */
export interface Upload {
  id: string;
  filename: string;
  bytes: Buffer;
  createdAt: string;
}

/** Keeps an uploaded file for its owner's next step; returns its id (unguessable, as it appears in URLs). */
export async function storeUpload(db: Db, accountId: number, filename: string, bytes: Uint8Array): Promise<string> {
  const id = randomToken(18);
  const content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  await repo.insertUpload(db, { id, account_id: accountId, filename: filename.slice(0, 200) || 'upload', content_base64: content, created_at: nowIso() });
  return id;
}

/** Checks that an uploaded member list can be read (a 422 naming the line otherwise), then keeps it for the mapping step. */
export async function acceptUpload(db: Db, accountId: number, bytes: Uint8Array, options: ReadOptions): Promise<string> {
  readImport(bytes, options);
  return storeUpload(db, accountId, 'members.csv', bytes);
}

/** An upload of this account, or a 404 (also for other accounts' uploads and expired ones). */
export async function loadUpload(db: Db, accountId: number, id: string, now: Date = new Date()): Promise<Upload> {
  if (!UPLOAD_ID.test(id)) throw notFound();
  const row = await repo.selectUpload(db, id, accountId);
  if (!row || row.created_at < cutoff(now)) throw notFound();
  return { id: row.id, filename: row.filename, bytes: Buffer.from(row.content_base64, 'base64'), createdAt: row.created_at };
}

/** Deletes an upload once its import is done. */
export async function discardUpload(db: Db, id: string): Promise<void> {
  await repo.deleteUpload(db, id);
}

/** Deletes uploads older than UPLOAD_HOURS (housekeeping), so member lists do not linger in the database. */
export async function purgeStaleUploads(db: Db, now: Date = new Date()): Promise<number> {
  return repo.deleteUploadsBefore(db, cutoff(now));
}

function cutoff(now: Date): string {
  return nowIso(new Date(now.getTime() - UPLOAD_HOURS * 3_600_000));
}
