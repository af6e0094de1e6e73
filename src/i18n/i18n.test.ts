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

  it('translates a nested message in the same language, with a capital where a sentence starts', () => {
    const detail = { key: 'parse_detail.missing_elements', params: { names: '<CURDEF>' } } as const;
    const empty = { key: 'parse_detail.empty_file', params: {} } as const;
    expect(t('fr', 'bank.unreadable', { where: '-', detail: empty })).toMatch(/\(-\)\. Le fichier est vide/);
    expect(t('en', 'bank.ofx_malformed', { where: 'line 3', detail })).toBe('The OFX file is malformed (line 3). Missing <CURDEF>');
    expect(t('en', 'bank.ofx_missing_element', { where: 'line 3', detail })).toBe('The OFX file lacks required elements (line 3): missing <CURDEF>');
  });

  it('negotiates the browser language, defaulting to English', () => {
    expect(negotiateLocale('nl-BE,nl;q=0.9,en;q=0.5')).toBe('nl');
    expect(negotiateLocale('de-DE,fr;q=0.8,en;q=0.9')).toBe('en');
    expect(negotiateLocale('de-DE,fr;q=0.8')).toBe('fr');
    expect(negotiateLocale(undefined)).toBe('en');
    expect(negotiateLocale('garbage;;q=x')).toBe('en');
  });
});
