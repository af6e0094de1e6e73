import { describe, expect, it } from 'vitest';
import { catalogueSizes, negotiateLocale, t } from './index.js';

describe('translations', () => {
  it('has every key in French, Dutch and English', () => {
    const sizes = catalogueSizes();
    expect(sizes.fr).toBe(sizes.en);
    expect(sizes.nl).toBe(sizes.en);
  });

  it('fills placeholders and speaks each language', () => {
    expect(t('fr', 'page.of', { page: 2, pages: 5 })).toBe('Page 2 sur 5');
    expect(t('nl', 'page.of', { page: 2, pages: 5 })).toBe('Pagina 2 van 5');
    expect(t('en', 'nav.people')).toBe('People');
  });

  it('negotiates the browser language, defaulting to English', () => {
    expect(negotiateLocale('nl-BE,nl;q=0.9,en;q=0.5')).toBe('nl');
    expect(negotiateLocale('de-DE,fr;q=0.8,en;q=0.9')).toBe('en');
    expect(negotiateLocale('de-DE,fr;q=0.8')).toBe('fr');
    expect(negotiateLocale(undefined)).toBe('en');
    expect(negotiateLocale('garbage;;q=x')).toBe('en');
  });
});
