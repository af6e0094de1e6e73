import { describe, expect, it } from 'vitest';
import { isMessageKey } from '../../i18n/index.js';
import { MATCH_REASON_KEYS } from './matcher.js';

describe('match reasons', () => {
  it('every reason the matcher can give is translated', () => {
    expect(MATCH_REASON_KEYS.length).toBeGreaterThan(10);
    expect(MATCH_REASON_KEYS.filter((k) => !isMessageKey(k))).toEqual([]);
  });
});
