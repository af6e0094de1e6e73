import type { FastifyRequest } from 'fastify';
import { ROLES } from '../../core/permissions.js';
import type { MessageKey } from '../../i18n/index.js';
import { buttonForm, csrfField, errorSummary, type FormState, inputField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import type { AccountView } from './accounts.service.js';

/** Role checkboxes, checked for the roles in the form state. */
export function roleBoxes(request: FastifyRequest, state: FormState): SafeHtml {
  const raw = state.values.roles;
  const current = Array.isArray(raw) ? raw.map(String) : raw ? [String(raw)] : [];
  return html`<fieldset><legend>${request.t('accounts.roles')}</legend>${Object.keys(ROLES).map((role) => html`<label><input type="checkbox" name="roles" value="${role}"${current.includes(role) ? html` checked` : ''}> ${request.t(`role.${role}` as MessageKey)}</label>`)}
${state.errors.roles ? html`<p class="error">${request.t(state.errors.roles)}</p>` : ''}</fieldset>`;
}

/** The form creating an account, for an existing person (`person` given) or with a new person. */
export function accountForm(request: FastifyRequest, state: FormState, person?: { id: number; display_name: string }): SafeHtml {
  const t = request.t;
  const who = person
    ? html`<p>${t('accounts.for_person', { name: person.display_name })}</p><input type="hidden" name="person_id" value="${person.id}">`
    : html`${inputField(t, state, { name: 'display_name', label: 'setup.display_name' })}
${inputField(t, state, { name: 'email', label: 'people.email', type: 'email' })}`;
  return html`${errorSummary(t, state)}<form method="post" action="/accounts">${csrfField(request)}
${inputField(t, state, { name: 'username', label: 'accounts.username', required: true, autofocus: true, autocomplete: 'off' })}
${who}
${inputField(t, state, { name: 'password', label: 'accounts.password', type: 'password', required: true, autocomplete: 'new-password' })}
${roleBoxes(request, state)}
<div class="actions"><button>${t('form.save')}</button><a class="button secondary" href="/accounts">${t('form.cancel')}</a></div></form>`;
}

/** The accounts table. */
export function accountsTable(request: FastifyRequest, accounts: AccountView[]): SafeHtml {
  const t = request.t;
  return html`<table class="responsive"><thead><tr><th>${t('accounts.username')}</th><th>${t('people.display_name')}</th><th>${t('accounts.roles')}</th><th>${t('accounts.last_login')}</th></tr></thead><tbody>
${accounts.map((a) => html`<tr><td><a href="/accounts/${a.id}">${a.username}</a>${a.disabled ? html` <span class="tag">${t('accounts.disabled')}</span>` : ''}</td>
<td>${a.personId ? html`<a href="/people/${a.personId}">${a.displayName ?? ''}</a>` : ''}</td>
<td>${a.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')}</td><td>${a.lastLoginAt?.slice(0, 16).replace('T', ' ') ?? ''}</td></tr>`)}
</tbody></table>`;
}

/** API tokens of an account, with a form to create one and buttons to revoke. */
export function tokensSection(request: FastifyRequest, base: string, tokens: { id: number; name: string; created_at: string; last_used_at: string | null; revoked_at: string | null }[], created?: string): SafeHtml {
  const t = request.t;
  const live = tokens.filter((tk) => !tk.revoked_at);
  return html`<h2 id="tokens">${t('accounts.tokens')}</h2>
${created ? html`<p class="flash" role="status">${t('accounts.token_created')}<br><code>${created}</code></p>` : ''}
${live.length ? html`<table><tbody>${live.map((tk) => html`<tr><td>${tk.name}</td><td>${tk.created_at.slice(0, 10)}</td><td>${tk.last_used_at?.slice(0, 10) ?? ''}</td><td>${buttonForm(request, `${base}/tokens/${tk.id}/revoke`, t('accounts.revoke'))}</td></tr>`)}</tbody></table>` : html`<p class="muted">${t('accounts.no_tokens')}</p>`}
<form method="post" action="${base}/tokens" class="filters">${csrfField(request)}<label>${t('accounts.token_name')} <input name="name" required maxlength="100"></label><button>${t('accounts.token_create')}</button></form>`;
}
