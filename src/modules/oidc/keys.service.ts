import { generateKeyPair, type JsonWebKey } from 'node:crypto';
import { promisify } from 'node:util';
import { nowIso } from '../../core/clock.js';
import { randomToken } from '../../core/tokens.js';
import type { Db } from '../../storage/database.js';
import * as repo from './oidc.repository.js';

/** Lifetime of ID tokens (seconds): a retired key must stay published at least this long after rotation. */
export const ID_TOKEN_TTL = 3600;
// A retired key stays in the JWKS for the longest-lived token it may have signed, plus the clock tolerance and a margin.
const RETIRED_KEY_SECONDS = ID_TOKEN_TTL + 15 * 60;

/** A signing key as the CLI lists it. */
export interface SigningKeyView {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  dropAfter: string | null;
}

async function newKey(db: Db, now: Date): Promise<string> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const kid = `${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomToken(6)}`;
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  await repo.insertKey(db, { kid, jwk: JSON.stringify(jwk), created_at: nowIso(now) });
  return kid;
}

/** The private JWKs to give oidc-provider: the signing key first, then retired keys still published; creates the first key when none exists. */
export async function publishedKeys(db: Db, now: Date = new Date()): Promise<JsonWebKey[]> {
  let rows = (await repo.selectKeys(db)).filter((row) => row.drop_after === null || row.drop_after > nowIso(now));
  if (!rows.some((row) => row.retired_at === null)) {
    await newKey(db, now);
    rows = (await repo.selectKeys(db)).filter((row) => row.drop_after === null || row.drop_after > nowIso(now));
  }
  rows.sort((a, b) => Number(a.retired_at !== null) - Number(b.retired_at !== null));
  return rows.map((row) => JSON.parse(row.jwk) as JsonWebKey);
}

/** A cheap fingerprint of the published keys: when it changes, the running provider reloads them. */
export async function keysVersion(db: Db, now: Date = new Date()): Promise<string> {
  const rows = (await repo.selectKeys(db)).filter((row) => row.drop_after === null || row.drop_after > nowIso(now));
  return rows.map((row) => `${row.kid}:${row.retired_at ?? ''}`).join(',');
}

/** Makes a new signing key; the previous one stays published until the tokens it signed have expired, then is dropped. */
export async function rotateSigningKey(db: Db, now: Date = new Date()): Promise<string> {
  const dropAfter = nowIso(new Date(now.getTime() + RETIRED_KEY_SECONDS * 1000));
  await repo.retireActiveKeys(db, nowIso(now), dropAfter);
  return newKey(db, now);
}

/** The stored keys (no key material), newest first. */
export async function listSigningKeys(db: Db): Promise<SigningKeyView[]> {
  return (await repo.selectKeys(db)).map((row) => ({ kid: row.kid, createdAt: row.created_at, retiredAt: row.retired_at, dropAfter: row.drop_after }));
}

/** Drops retired keys past their publication period (housekeeping). */
export async function dropExpiredKeys(db: Db, now: Date = new Date()): Promise<number> {
  return repo.deleteDroppedKeys(db, nowIso(now));
}
