import { describe, expect, it } from 'vitest';
import { purposeOf } from './allocation.service.js';

describe('purpose of a credit', () => {
  it('is dues unless the text names another purpose', () => {
    expect(purposeOf('cotisation 2026')).toBe('dues');
    expect(purposeOf(null)).toBe('dues');
    expect(purposeOf('Don pour le serveur')).toBe('donation');
    expect(purposeOf('gift')).toBe('donation');
    expect(purposeOf('commande routeur Turris')).toBe('hardware');
    expect(purposeOf('Lidgeld + gift')).toBe('dues');
    expect(purposeOf('facture hébergement 12')).toBe('service');
  });
});
