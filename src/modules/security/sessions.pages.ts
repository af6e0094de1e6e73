import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, setFlash } from '../../http/cookies.js';
import { requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, csrfField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { DESCRIBED_SCOPES } from '../oidc/claims.js';
import { type GrantView, listGrants, revokeGrant } from '../oidc/grants.service.js';
import { endOtherSessions, endSession, listSessions, type SessionView } from './sessions.service.js';

// Most specific first: Edge and Chromium also say Chrome, Chrome also says Safari, Android also says Linux.
const BROWSERS = [['Firefox/', 'Firefox'], ['Edg/', 'Edge'], ['Chromium/', 'Chromium'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari'], ['curl/', 'curl']] as const;
const SYSTEMS = [['Android', 'Android'], ['iPhone', 'iPhone'], ['iPad', 'iPad'], ['Windows', 'Windows'], ['Mac OS X', 'macOS'], ['Linux', 'Linux']] as const;

/** A short name for a browser from its user agent ("Firefox on Linux"), or the raw text when unknown. */
export function browserLabel(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = BROWSERS.find(([token]) => userAgent.includes(token))?.[1];
  const system = SYSTEMS.find(([token]) => userAgent.includes(token))?.[1];
  return browser ? `${browser}${system ? ` / ${system}` : ''}` : userAgent.slice(0, 60);
}

const minutes = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

// The apps the person let in: which app, since when, what it may do, and a button taking its access back.
function grantsSection(request: FastifyRequest, grants: GrantView[]): SafeHtml {
  const t = request.t;
  const heading = html`<h2 id="apps">${t('security.grants')}</h2><p>${t('security.grants_intro')}</p>`;
  if (!grants.length) return html`${heading}<p class="muted">${t('security.no_grants')}</p>`;
  const rows = grants.map((g) => html`<tr><td>${g.client}</td><td>${minutes(g.grantedAt)}</td>
<td>${g.scopes.filter((s) => DESCRIBED_SCOPES.includes(s)).map((s) => t(`oidc.scope.${s}` as MessageKey)).join('; ')}</td>
<td><form method="post" action="/account/grants/${g.id}/revoke">${csrfField(request)}<button class="secondary" aria-label="${t('security.revoke_grant_of', { client: g.client })}">${t('security.revoke_grant')}</button></form></td></tr>`);
  return html`${heading}<table class="responsive"><thead><tr><th>${t('security.grant_app')}</th><th>${t('security.grant_since')}</th><th>${t('security.grant_scopes')}</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function sessionsPage(request: FastifyRequest, sessions: SessionView[], grants: GrantView[]) {
  const t = request.t;
  const rows = sessions.map((s) => html`<tr><td>${browserLabel(s.userAgent) ?? t('security.unknown_browser')}${s.current ? html` <strong>(${t('security.this_session')})</strong>` : ''}</td>
<td>${s.ip ?? ''}</td><td>${s.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${s.lastSeenAt.slice(0, 16).replace('T', ' ')}</td>
<td>${s.current ? '' : buttonForm(request, `/account/sessions/${s.id}/end`, t('security.end_session'))}</td></tr>`);
  return {
    title: t('security.sessions'),
    body: html`<h1>${t('security.sessions')}</h1><p>${t('security.sessions_intro')}</p>
<table><thead><tr><th>${t('security.session_browser')}</th><th>${t('security.session_address')}</th><th>${t('security.session_opened')}</th><th>${t('security.session_seen')}</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
${sessions.length > 1 ? html`<div class="actions">${buttonForm(request, '/account/sessions/end-others', t('security.end_others'), 'danger')}</div>` : ''}
${grantsSection(request, grants)}`,
  };
}

/** The sessions page of the logged-in person: see where they are logged in and which apps they let in, end or revoke any. */
export async function sessionsPages(app: FastifyInstance): Promise<void> {
  app.get('/account/sessions', { config: { access: 'authenticated' } }, async (request, reply) => {
    const accountId = request.principal!.accountId;
    const sessions = await listSessions(request.ctx.db, accountId, request.cookies[SESSION_COOKIE]);
    await sendPage(request, reply, sessionsPage(request, sessions, await listGrants(request.ctx.db, accountId)));
  });
  app.post<{ Params: { id: string } }>('/account/grants/:id/revoke', { config: { access: 'authenticated' } }, async (request, reply) => {
    const grant = await inTransaction(request.ctx.db, (trx) => revokeGrant(trx, requestActor(request), request.principal!.accountId, request.params.id));
    setFlash(request, reply, { kind: 'info', key: 'security.grant_revoked', params: { client: grant.client } });
    await reply.redirect('/account/sessions#apps', 303);
  });
  app.post<{ Params: { id: string } }>('/account/sessions/:id/end', { config: { access: 'authenticated' } }, async (request, reply) => {
    await endSession(request.ctx.db, requestActor(request), request.principal!.accountId, request.params.id);
    setFlash(request, reply, { kind: 'info', key: 'security.session_ended' });
    await reply.redirect('/account/sessions', 303);
  });
  app.post('/account/sessions/end-others', { config: { access: 'authenticated' } }, async (request, reply) => {
    const count = await endOtherSessions(request.ctx.db, requestActor(request), request.principal!.accountId, request.cookies[SESSION_COOKIE]);
    setFlash(request, reply, { kind: 'info', key: 'security.others_ended', params: { count } });
    await reply.redirect('/account/sessions', 303);
  });
}
