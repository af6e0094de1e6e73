import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMessageKey } from '../../../i18n/index.js';

describe('statement parser errors', () => {
  it('every error key a parser can raise has a message in the catalogues', () => {
    const keys = new Set<string>();
    for (const file of readdirSync(import.meta.dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      for (const m of readFileSync(join(import.meta.dirname, file), 'utf8').matchAll(/'(bank\.[a-z_]+)'/g)) keys.add(m[1]);
    }
    expect(keys.size).toBeGreaterThan(10);
    expect([...keys].filter((k) => !isMessageKey(k))).toEqual([]);
  });
});
