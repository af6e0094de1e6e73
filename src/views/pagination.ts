import type { Translate } from '../i18n/index.js';
import { html, type SafeHtml } from './html.js';

/** Where a list stands: page, page size, total (a lower bound when not exact) and whether a next page exists. */
export interface PageInfo {
  page: number;
  perPage: number;
  total: number;
  exact: boolean;
  hasNext: boolean;
}

/** Previous/next links keeping the current query, plus "page X of Y" and the result count. */
export function pager(t: Translate, path: string, query: Record<string, unknown>, info: PageInfo): SafeHtml {
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '' && k !== 'page') params.set(k, String(v));
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  };
  const pages = Math.max(1, Math.ceil(info.total / info.perPage));
  const where = info.exact
    ? html`${t('page.of', { page: info.page, pages })} · ${t(info.total === 1 ? 'page.result_one' : 'page.results', { count: info.total })}`
    : html`${t('page.number', { page: info.page })} · ${t('page.results_over', { count: info.total })}`;
  return html`<nav class="pager" aria-label="${t('page.navigation')}">
${info.page > 1 ? html`<a href="${link(info.page - 1)}" rel="prev">${t('page.previous')}</a>` : ''}
<span>${where}</span>
${info.hasNext ? html`<a href="${link(info.page + 1)}" rel="next">${t('page.next')}</a>` : ''}</nav>`;
}

/** The PageInfo of a listing result. */
export function pageInfo(result: { page: number; perPage: number; total: number; exact: boolean; items: unknown[] }): PageInfo {
  const full = result.items.length === result.perPage;
  const hasNext = full && (result.exact ? result.page * result.perPage < result.total : true);
  return { page: result.page, perPage: result.perPage, total: result.total, exact: result.exact, hasNext };
}
