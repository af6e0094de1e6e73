import type { FastifyReply, FastifyRequest } from 'fastify';
import { takeFlash } from '../http/cookies.js';
import { LOCALES, type MessageKey } from '../i18n/index.js';
import { can } from '../modules/accounts/principal.js';
import { html, type SafeHtml } from './html.js';

/** What a page hands to the layout. */
export interface Page {
  title: string;
  body: SafeHtml;
  status?: number;
}

function nav(request: FastifyRequest): SafeHtml {
  const p = request.principal;
  const t = request.t;
  if (!p) return html`<a class="brand" href="/">Ruche</a><a href="/login">${t('nav.login')}</a>`;
  return html`<a class="brand" href="/">Ruche</a>
${can(p, 'people:read') ? html`<a href="/people">${t('nav.people')}</a>` : ''}
${can(p, 'dues:manage') ? html`<a href="/bank">${t('nav.bank')}</a>` : ''}
${can(p, 'accounts:read') ? html`<a href="/accounts">${t('nav.accounts')}</a>` : ''}
${can(p, 'groups:manage') ? html`<a href="/groups">${t('nav.groups')}</a>` : ''}
${can(p, 'invitations:create') ? html`<a href="/invitations">${t('nav.invitations')}</a>` : ''}
${can(p, 'registrations:manage') ? html`<a href="/registrations">${t('nav.registrations')}</a>` : ''}
${can(p, 'settings:manage') ? html`<a href="/settings">${t('nav.settings')}</a>` : ''}
${can(p, 'oidc:manage') ? html`<a href="/sso/clients">${t('oidc.clients')}</a>` : ''}
<a href="/account">${p.username}</a>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${request.csrfToken}"><button>${t('nav.logout')}</button></form>`;
}

function languageSwitch(request: FastifyRequest): SafeHtml {
  return html`<form method="post" action="/lang"><input type="hidden" name="_csrf" value="${request.csrfToken}"><input type="hidden" name="back" value="${request.url}">${request.t('lang.switch')}:
${LOCALES.map((l) => html`<button name="lang" value="${l}" lang="${l}"${l === request.locale ? html` aria-current="true"` : ''}>${request.t(`lang.${l}` as MessageKey)}</button>`)}</form>`;
}

/** Wraps a page body in the layout (navigation, flash, language switch) and sends it. */
export async function sendPage(request: FastifyRequest, reply: FastifyReply, page: Page): Promise<void> {
  const flash = takeFlash(request, reply);
  const document = html`<!doctype html>
<html lang="${request.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${page.title} · Ruche</title><link rel="stylesheet" href="/assets/ruche.css"></head>
<body><a class="skip" href="#main">${request.t('nav.skip')}</a>
<header><nav>${nav(request)}</nav></header>
<main id="main">${flash ? html`<p class="flash ${flash.kind}" role="status">${request.t(flash.key as MessageKey, flash.params)}</p>` : ''}${page.body}</main>
<footer>${languageSwitch(request)}</footer></body></html>`;
  await reply.status(page.status ?? 200).type('text/html; charset=utf-8').send(document.value);
}
