import { describe, expect, it } from 'vitest';
import { escapeLike, fold } from './text.js';

describe('fold', () => {
  it('ignores case, accents and extra spaces', () => {
    expect(fold('  Hélène   DE  Wévre ')).toBe('helene de wevre');
    expect(fold('Ørsted Œuvre Straße Łódź')).toBe('orsted oeuvre strasse lodz');
    expect(fold('Çà et là')).toBe('ca et la');
  });
  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
