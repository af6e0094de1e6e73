import type { Translate } from '../i18n/index.js';
import { html, type SafeHtml } from './html.js';

/** Previous/next links keeping the current query, plus "page X of Y" and the result count. */
export function pager(t: Translate, path: string, query: Record<string, unknown>, page: number, perPage: number, total: number): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '' && k !== 'page') params.set(k, String(v));
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  };
  return html`<nav class="pager" aria-label="pagination">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">${t('page.previous')}</a>` : ''}
<span>${t('page.of', { page, pages })} · ${t('page.results', { count: total })}</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">${t('page.next')}</a>` : ''}</nav>`;
}
