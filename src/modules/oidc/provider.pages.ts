import type { KoaContextWithOIDC } from 'oidc-provider';
import { isLocale, type Locale, negotiateLocale, translator } from '../../i18n/index.js';
import { LANG_COOKIE } from '../../http/cookies.js';
import { html, raw, type SafeHtml } from '../../views/html.js';

// Pages oidc-provider renders itself (errors, the logout question, the logged-out page), in Ruche's look and language.

function localeOf(ctx: KoaContextWithOIDC): Locale {
  const cookie = ctx.cookies.get(LANG_COOKIE);
  return isLocale(cookie) ? cookie : negotiateLocale(ctx.get('accept-language'));
}

function send(ctx: KoaContextWithOIDC, locale: Locale, title: string, body: SafeHtml): void {
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Ruche</title><link rel="stylesheet" href="/assets/ruche.css"></head>
<body><header><nav><a class="brand" href="/">Ruche</a></nav></header><main id="main">${body}</main></body></html>`.value;
}

/** The error page of the provider: what went wrong, never a redirect to an unchecked address. */
export function renderProviderError(ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }): void {
  const locale = localeOf(ctx);
  const t = translator(locale);
  send(ctx, locale, t('oidc.error_title'), html`<h1>${t('oidc.error_title')}</h1>
<p class="error">${out.error ?? 'error'}: ${out.error_description ?? ''}</p><p><a href="/">Ruche</a></p>`);
}

/** The question asked when an app sends the browser to log out; the form (with its own anti-forgery field) comes from the provider. */
export function renderLogoutQuestion(ctx: KoaContextWithOIDC, form: string): void {
  const locale = localeOf(ctx);
  const t = translator(locale);
  send(ctx, locale, t('oidc.logout_title'), html`<h1>${t('oidc.logout_title')}</h1><p>${t('oidc.logout_question')}</p>${raw(form)}
<div class="actions"><button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">${t('oidc.logout_yes')}</button>
<button class="secondary" type="submit" form="op.logoutForm">${t('oidc.logout_no')}</button></div>`);
}

/** The page after logging out when the app gave no address to come back to. */
export function renderLoggedOut(ctx: KoaContextWithOIDC): void {
  const locale = localeOf(ctx);
  const t = translator(locale);
  send(ctx, locale, t('oidc.logout_title'), html`<h1>${t('oidc.logged_out')}</h1><p><a href="/login">${t('nav.login')}</a></p>`);
}
