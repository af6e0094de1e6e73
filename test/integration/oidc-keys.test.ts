// The provider's signing keys at rest: sealed with the instance secret, older plain rows sealed on first use, and a
// key sealed under another secret replaced instead of breaking the provider.
import { createPublicKey, createSign, createVerify, type JsonWebKey } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { listSigningKeys, publishedKeys, rotateSigningKey } from '../../src/modules/oidc/keys.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';

async function storedKeys(t: TestApp) {
  return t.ctx.db.selectFrom('oidc_keys').select(['kid', 'jwk', 'retired_at']).orderBy('created_at').execute();
}

/** True when the public half of the JWK verifies what its private half signed (the key material is whole). */
function keyWorks(jwk: JsonWebKey): boolean {
  const signature = createSign('sha256').update('ruche').sign({ key: jwk, format: 'jwk' });
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return createVerify('sha256').update('ruche').verify(createPublicKey({ key: publicJwk, format: 'jwk' }), signature);
}

forEachDialect('signing keys at rest', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it('stores private keys sealed, never as readable key material', async () => {
    const [jwk] = await publishedKeys(t.ctx.db, t.ctx.secret);
    expect(keyWorks(jwk)).toBe(true);
    await rotateSigningKey(t.ctx.db, t.ctx.secret);
    const rows = await storedKeys(t);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.jwk.startsWith('v1.')).toBe(true);
      expect(row.jwk).not.toContain(String(jwk.d));
      expect(row.jwk).not.toContain('"d"');
    }
    const keys = await publishedKeys(t.ctx.db, t.ctx.secret);
    expect(keys.map((k) => (k as { kid?: string }).kid)).toEqual([rows[1].kid, rows[0].kid]); // the new signing key first
  });

  it('seals a key stored in clear by an older version the first time it is read, and keeps it', async () => {
    const [jwk] = await publishedKeys(t.ctx.db, t.ctx.secret);
    const kid = (jwk as { kid: string }).kid;
    await t.ctx.db.updateTable('oidc_keys').set({ jwk: JSON.stringify(jwk) }).where('kid', '=', kid).execute();
    const [again] = await publishedKeys(t.ctx.db, t.ctx.secret);
    expect(again).toEqual(jwk);
    const [row] = await storedKeys(t);
    expect(row.jwk.startsWith('v1.')).toBe(true);
    expect(row.jwk).not.toContain(String(jwk.d));
    expect(await publishedKeys(t.ctx.db, t.ctx.secret)).toEqual([jwk]);
  });

  it('retires a key sealed under another instance secret and signs with a new one', async () => {
    await t.ctx.db.deleteFrom('oidc_keys').execute(); // a database restored from an install with another secret
    const [old] = await publishedKeys(t.ctx.db, 'the-secret-of-another-install-0123456789');
    const keys = await publishedKeys(t.ctx.db, t.ctx.secret);
    expect(keys).toHaveLength(1);
    expect(keys[0].kid).not.toBe(old.kid);
    expect(keyWorks(keys[0])).toBe(true);
    const listed = await listSigningKeys(t.ctx.db);
    expect(listed.find((k) => k.kid === old.kid)?.retiredAt).not.toBeNull();
    expect(listed.find((k) => k.kid === keys[0].kid)?.retiredAt).toBeNull();
  });

  it('serves the sealed key to apps: the discovery JWKS has its public half only', async () => {
    const [jwk] = await publishedKeys(t.ctx.db, t.ctx.secret);
    const res = await t.app.inject({ method: 'GET', url: '/oidc/jwks' });
    expect(res.statusCode).toBe(200);
    const published = res.json() as { keys: JsonWebKey[] };
    expect(published.keys.map((k) => k.kid)).toContain(jwk.kid);
    expect(JSON.stringify(published)).not.toContain(String(jwk.d));
    expect(published.keys.find((k) => k.kid === jwk.kid)?.n).toBe(jwk.n);
  });
});
