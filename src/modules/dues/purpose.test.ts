import { describe, expect, it } from 'vitest';
import { purposeOf } from './allocation.service.js';
import { yearWritten } from './dues.service.js';

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

describe('year a dues payment is for', () => {
  it('is the one the payer wrote, next to the policy’s year; otherwise the policy’s', () => {
    expect(yearWritten('cotisation 2027', 2026)).toBe(2027);
    expect(yearWritten('lidgeld 2025.', 2026)).toBe(2025);
    expect(yearWritten('cotisation', 2026)).toBe(2026);
    expect(yearWritten(null, 2026)).toBe(2026);
    expect(yearWritten('cotisation 2030', 2026)).toBe(2026); // too far: a typo or another number
    expect(yearWritten('cotisation 2026 et 2027', 2026)).toBe(2026); // two years: the policy decides
    expect(yearWritten('saison 2026-2027', 2026)).toBe(2026); // a span, not one year
    expect(yearWritten('facture du 12/03/2027', 2026)).toBe(2026); // a date, not a year
    expect(yearWritten('ref 12027 cotisation', 2026)).toBe(2026); // part of a longer number
  });
});
