import { describe, expect, it } from 'vitest';
import { belgianReferenceFor, formatBelgianReference, isValidBelgianReference, isValidRfReference, rfReferenceFor } from './references.js';

describe('payment references', () => {
  it('checks Belgian structured communications with mod 97 (97 when the remainder is zero)', () => {
    expect(isValidBelgianReference('240283842818')).toBe(true); // from a real CODA file: +++240/2838/42818+++
    expect(isValidBelgianReference('240283842817')).toBe(false);
    expect(isValidBelgianReference('000000009797')).toBe(true);
    expect(isValidBelgianReference('12345')).toBe(false);
    expect(belgianReferenceFor(42)).toBe('000000004242');
    expect(formatBelgianReference(belgianReferenceFor(2402838428))).toBe('+++240/2838/42818+++');
  });

  it('builds and checks ISO 11649 creditor references', () => {
    expect(isValidRfReference('RF18 5390 0754 7034')).toBe(true); // the standard's example
    expect(isValidRfReference('RF18 5390 0754 7035')).toBe(false);
    expect(rfReferenceFor('539007547034')).toBe('RF18 5390 0754 7034');
    expect(isValidRfReference(rfReferenceFor(belgianReferenceFor(1234)))).toBe(true);
  });
});
