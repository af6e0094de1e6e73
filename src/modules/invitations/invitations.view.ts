import type { FastifyRequest } from 'fastify';
import type { MessageKey } from '../../i18n/index.js';
import { buttonForm, csrfField, errorSummary, type FormState, inputField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { can } from '../accounts/principal.js';
import type { InvitationView } from './invitations.service.js';

const shortDate = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

/** The form creating an invitation; the groups field only for those who may assign groups. */
export function invitationForm(request: FastifyRequest, state: FormState): SafeHtml {
  const t = request.t;
  return html`<h2 id="new">${t('invitations.new')}</h2>${errorSummary(t, state)}<form method="post" action="/invitations">${csrfField(request)}
${inputField(t, state, { name: 'days', label: 'invitations.days', type: 'number', inputmode: 'numeric' })}
${inputField(t, state, { name: 'note', label: 'invitations.note' })}
${can(request.principal, 'groups:manage') ? inputField(t, state, { name: 'groups', label: 'invitations.groups' }) : ''}
<div class="actions"><button>${t('invitations.create')}</button></div></form>`;
}

/** The link shown once, right after creation, in a read-only field that is easy to select and copy. */
export function createdLink(request: FastifyRequest, link: string): SafeHtml {
  const t = request.t;
  return html`<div class="flash" role="status"><p>${t('invitations.created')}</p>
<label for="invitation-link">${t('invitations.link')}</label><input id="invitation-link" type="text" readonly value="${link}" autofocus>
<p><code>${link}</code></p></div>`;
}

function statusCell(request: FastifyRequest, invitation: InvitationView): SafeHtml {
  const t = request.t;
  const label = t(`invitations.status_${invitation.status}` as MessageKey);
  if (invitation.status === 'used' && invitation.used_by) {
    return html`<span class="tag">${label}</span> ${t('invitations.used_by')} <a href="/accounts/${invitation.used_by.id}">${invitation.used_by.username}</a> (${shortDate(invitation.used_at)})`;
  }
  return html`<span class="tag">${label}</span>`;
}

/** The sponsor's (or the admin's) invitations with their status, and a revoke button on open ones. */
export function invitationsTable(request: FastifyRequest, invitations: InvitationView[], showCreator: boolean): SafeHtml {
  const t = request.t;
  if (!invitations.length) return html`<p class="muted">${t('invitations.none')}</p>`;
  return html`<table class="responsive"><thead><tr><th>${t('invitations.created_at')}</th>${showCreator ? html`<th>${t('invitations.created_by')}</th>` : ''}<th>${t('invitations.expires')}</th><th>${t('invitations.note')}</th><th>${t('invitations.status')}</th><th></th></tr></thead><tbody>
${invitations.map((i) => html`<tr id="invitation-${i.id}"><td>${shortDate(i.created_at)}</td>${showCreator ? html`<td>${i.created_by?.username ?? '—'}</td>` : ''}
<td>${shortDate(i.expires_at)}</td><td>${i.note ?? ''}${i.groups.map((g) => html` <span class="tag">${g}</span>`)}</td><td>${statusCell(request, i)}</td>
<td>${i.status === 'open' ? buttonForm(request, `/invitations/${i.id}/revoke`, t('invitations.revoke')) : ''}</td></tr>`)}
</tbody></table>`;
}
