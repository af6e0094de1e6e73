import { generateKeyPair, type JsonWebKey } from 'node:crypto';
import { promisify } from 'node:util';
import { nowIso } from '../../core/clock.js';
import { isSealed, seal, unseal } from '../../core/sealed.js';
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

// Private keys are stored sealed with a key derived from the instance secret: a copy of the database alone (a backup)
// cannot sign tokens.
const PURPOSE = 'oidc signing key v1';

async function newKey(db: Db, secret: string, now: Date): Promise<{ kid: string; jwk: JsonWebKey }> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const kid = `${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomToken(6)}`;
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  await repo.insertKey(db, { kid, jwk: seal(secret, PURPOSE, `kid:${kid}`, JSON.stringify(jwk)), created_at: nowIso(now) });
  return { kid, jwk: jwk as JsonWebKey };
}

type KeyRow = Awaited<ReturnType<typeof repo.selectKeys>>[number];

/** A stored key's JWK: sealed ones opened, ones stored before sealing sealed now; null when the instance secret changed. */
async function openKey(db: Db, secret: string, row: KeyRow): Promise<JsonWebKey | null> {
  if (!isSealed(row.jwk)) {
    await repo.updateKeyMaterial(db, row.kid, seal(secret, PURPOSE, `kid:${row.kid}`, row.jwk));
    return JSON.parse(row.jwk) as JsonWebKey;
  }
  try {
    return JSON.parse(unseal(secret, PURPOSE, `kid:${row.kid}`, row.jwk)) as JsonWebKey;
  } catch {
    return null;
  }
}

function dropAfterRetiring(now: Date): string {
  return nowIso(new Date(now.getTime() + RETIRED_KEY_SECONDS * 1000));
}

function stillPublished(rows: KeyRow[], now: Date): KeyRow[] {
  return rows.filter((row) => row.drop_after === null || row.drop_after > nowIso(now));
}

/**
 * The private JWKs to give oidc-provider: the signing key first, then retired keys still published. Creates the first
 * key when none exists; a key sealed under another instance secret cannot be used: it is retired and a new one made
 * (back under the old secret, it is still published until its drop date).
 */
export async function publishedKeys(db: Db, secret: string, now: Date = new Date()): Promise<JsonWebKey[]> {
  const opened: { row: KeyRow; jwk: JsonWebKey }[] = [];
  for (const row of stillPublished(await repo.selectKeys(db), now)) {
    const jwk = await openKey(db, secret, row);
    if (jwk) opened.push({ row, jwk });
    else if (row.retired_at === null) await repo.retireKey(db, row.kid, nowIso(now), dropAfterRetiring(now));
  }
  if (!opened.some(({ row }) => row.retired_at === null)) return [(await newKey(db, secret, now)).jwk, ...opened.map(({ jwk }) => jwk)];
  opened.sort((a, b) => Number(a.row.retired_at !== null) - Number(b.row.retired_at !== null));
  return opened.map(({ jwk }) => jwk);
}

/** A cheap fingerprint of the published keys: when it changes, the running provider reloads them. */
export async function keysVersion(db: Db, now: Date = new Date()): Promise<string> {
  return stillPublished(await repo.selectKeys(db), now).map((row) => `${row.kid}:${row.retired_at ?? ''}`).join(',');
}

/** Makes a new signing key; the previous one stays published until the tokens it signed have expired, then is dropped. */
export async function rotateSigningKey(db: Db, secret: string, now: Date = new Date()): Promise<string> {
  await repo.retireActiveKeys(db, nowIso(now), dropAfterRetiring(now));
  return (await newKey(db, secret, now)).kid;
}

/** The stored keys (no key material), newest first. */
export async function listSigningKeys(db: Db): Promise<SigningKeyView[]> {
  return (await repo.selectKeys(db)).map((row) => ({ kid: row.kid, createdAt: row.created_at, retiredAt: row.retired_at, dropAfter: row.drop_after }));
}

/** Drops retired keys past their publication period (housekeeping). */
export async function dropExpiredKeys(db: Db, now: Date = new Date()): Promise<number> {
  return repo.deleteDroppedKeys(db, nowIso(now));
}
