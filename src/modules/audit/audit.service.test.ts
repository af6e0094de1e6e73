import { describe, expect, it } from 'vitest';
import { changedFields } from './audit.service.js';

describe('changedFields', () => {
  it('lists fields whose values differ, treating absent, null, empty text and empty lists alike', () => {
    expect(changedFields(null, { display_name: 'A', notes: null, tags: [], city: '' })).toEqual(['display_name']);
    expect(changedFields({ city: 'Liège', tags: ['a'] }, { city: 'Namur', tags: ['a'] })).toEqual(['city']);
    expect(changedFields({ tags: ['a'] }, { tags: [] })).toEqual(['tags']);
  });
});
