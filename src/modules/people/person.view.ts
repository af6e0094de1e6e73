import type { FastifyRequest } from 'fastify';
import type { MessageKey } from '../../i18n/index.js';
import { can } from '../accounts/principal.js';
import type { AuditEntry } from '../audit/audit.service.js';
import { changedFields } from '../audit/audit.service.js';
import { referencesOf } from '../dues/person-payments.service.js';
import { MEMBERSHIP_STATUSES } from '../memberships/memberships.schema.js';
import type { Membership } from '../memberships/memberships.service.js';
import { buttonForm, checkboxField, csrfField, errorSummary, type FormState, inputField, selectField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import type { Person, PersonSummary } from './people.service.js';

function details(request: FastifyRequest, person: Person): SafeHtml {
  const t = request.t;
  const row = (label: MessageKey, value: SafeHtml | string | null | undefined) => (value ? html`<dt>${t(label)}</dt><dd>${value}</dd>` : '');
  const address = [person.street, [person.postal_code, person.city].filter(Boolean).join(' '), person.country].filter(Boolean).join(', ');
  return html`<dl>
${row('people.kind', t(`people.kind.${person.kind}` as MessageKey))}
${row('people.sort_name', person.sort_name)}
${row('people.emails', person.emails.length ? html`${person.emails.map((e, i) => html`${i ? ', ' : ''}<a href="mailto:${e}">${e}</a>`)}` : null)}
${row('people.phone', person.phone)}
${row('people.address', address)}
${row('people.language', person.language ? t(`lang.${person.language}` as MessageKey) : null)}
${row('people.tags', person.tags.length ? html`${person.tags.map((tag) => html`<a class="tag" href="/people?tag=${encodeURIComponent(tag)}">${tag}</a>`)}` : null)}
${row('people.joined_on', person.joined_on)}
${row('people.left_on', person.left_on ? `${person.left_on}${person.left_reason ? ` (${person.left_reason})` : ''}` : null)}
${row('people.contacts', person.contacts.length ? html`${person.contacts.map((c, i) => html`${i ? ', ' : ''}<a href="/people/${c.id}">${c.display_name}</a>${c.role ? ` (${c.role})` : ''}`)}` : null)}
${row('people.organisations', person.organisations.length ? html`${person.organisations.map((o, i) => html`${i ? ', ' : ''}<a href="/people/${o.id}">${o.display_name}</a>`)}` : null)}
</dl>${person.notes ? html`<h2>${t('people.notes')}</h2><p class="pre">${person.notes}</p>` : ''}`;
}

/** The membership table and the form to record a year. */
export function membershipSection(request: FastifyRequest, person: Person, memberships: Membership[], state: FormState): SafeHtml {
  const t = request.t;
  const rows = memberships.map((m) => html`<tr><td>${m.year}</td><td>${t(`memberships.status.${m.status}` as MessageKey)}</td>
<td>${m.effective ? t('memberships.effective_yes') : ''}</td><td>${m.changed_on}</td><td>${m.source === 'payment' ? t('memberships.source_payment') : html`${m.source} <span class="muted">(${t('memberships.manual_overrides')})</span>`}</td><td>${m.decision_ref ?? ''}</td></tr>`);
  const table = memberships.length
    ? html`<table class="responsive"><thead><tr><th>${t('memberships.year')}</th><th>${t('memberships.status')}</th><th>${t('memberships.effective')}</th><th>${t('memberships.changed_on')}</th><th>${t('memberships.source')}</th><th>${t('memberships.decision_ref')}</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p class="muted">${t('memberships.none')}</p>`;
  if (!can(request.principal, 'memberships:write')) return html`<h2>${t('memberships.title')}</h2>${table}`;
  const statuses: [string, string][] = MEMBERSHIP_STATUSES.map((s) => [s, t(`memberships.status.${s}` as MessageKey)]);
  return html`<h2 id="membership">${t('memberships.title')}</h2>${table}
<h3>${t('memberships.record')}</h3>${errorSummary(t, state)}
<form method="post" action="/people/${person.id}/memberships">${csrfField(request)}
<div class="filters">${inputField(t, state, { name: 'year', label: 'memberships.year', type: 'number', required: true, inputmode: 'numeric' })}
${selectField(t, state, { name: 'status', label: 'memberships.status' }, statuses)}
${inputField(t, state, { name: 'changed_on', label: 'memberships.changed_on', type: 'date' })}</div>
${checkboxField(t, state, { name: 'effective', label: 'memberships.effective' })}
${inputField(t, state, { name: 'decision_ref', label: 'memberships.decision_ref', hint: t('memberships.decision_hint') })}
${inputField(t, state, { name: 'note', label: 'memberships.note' })}
<div class="actions"><button>${t('form.save')}</button></div></form>`;
}

/** An organisation's contact persons with remove buttons, and a search to add one (no JavaScript needed). */
export function contactsSection(request: FastifyRequest, person: Person, query: string, found: PersonSummary[]): SafeHtml {
  const t = request.t;
  const base = `/people/${person.id}`;
  const candidates = found.filter((p) => p.id !== person.id && p.kind === 'individual');
  return html`<h2 id="contacts">${t('people.contacts')}</h2>
${person.contacts.length ? html`<ul>${person.contacts.map((c) => html`<li class="actions"><a href="/people/${c.id}">${c.display_name}</a>${c.role ? ` (${c.role})` : ''} ${buttonForm(request, `${base}/contacts/${c.id}/remove`, t('people.contact_remove'))}</li>`)}</ul>` : html`<p class="muted">${t('people.no_contacts')}</p>`}
<form method="get" action="${base}#contacts" class="filters" role="search"><label>${t('people.contact_find')} <input type="search" name="contact_q" value="${query}"></label><button class="secondary">${t('form.search')}</button></form>
${query ? (candidates.length ? html`<ul>${candidates.map((c) => html`<li><form method="post" action="${base}/contacts" class="filters">${csrfField(request)}<input type="hidden" name="contact_id" value="${c.id}"><span>${c.display_name} ${c.emails[0] ?? ''}</span>
<label>${t('people.contact_role')} <input name="role" size="12"></label><button>${t('people.contact_add')}</button></form></li>`)}</ul>` : html`<p class="muted">${t('people.none_found')}</p>`) : ''}`;
}

// The reference members put on their transfers, so that whoever asks someone to pay finds it on their page.
function paymentReference(request: FastifyRequest, personId: number): SafeHtml {
  const t = request.t;
  const refs = referencesOf(personId);
  return html`<dl><dt>${t('dues.reference')}</dt><dd><strong>${refs.belgian}</strong></dd><dt>${t('dues.rf_reference')}</dt><dd>${refs.rf}</dd></dl>`;
}

/** A person's page: details, memberships, accounts and actions. */
export function personPage(request: FastifyRequest, person: Person, memberships: SafeHtml, accounts: { id: number; username: string; invited_by?: string | null }[], contacts: SafeHtml = html``): SafeHtml {
  const t = request.t;
  const p = request.principal;
  const deleted = !!person.deleted_at;
  return html`<h1>${person.display_name}</h1>
${deleted ? html`<p class="flash error">${t('people.deleted_notice', { date: person.deleted_at?.slice(0, 10) ?? '' })}</p>` : ''}
<div class="actions">
${!deleted && can(p, 'people:write') ? html`<a class="button" href="/people/${person.id}/edit">${t('people.edit')}</a>` : ''}
<a class="button secondary" href="/people/${person.id}/history">${t('people.history')}</a>
${!deleted && can(p, 'dues:manage') ? html`<a class="button secondary" href="/people/${person.id}/payments">${t('dues.payments_link')}</a>` : ''}
${!deleted && can(p, 'people:delete') ? buttonForm(request, `/people/${person.id}/delete`, t('people.delete'), 'danger') : ''}
${deleted && can(p, 'people:delete') ? buttonForm(request, `/people/${person.id}/restore`, t('people.restore'), '') : ''}
</div>
${details(request, person)}
${deleted ? '' : paymentReference(request, person.id)}
${deleted ? '' : contacts}
${accounts.length ? html`<h2>${t('nav.accounts')}</h2><p>${accounts.map((a) => html`<a href="/accounts/${a.id}">${a.username}</a>${a.invited_by ? html` (${t('invitations.invited_by')} ${a.invited_by})` : ''} `)}</p>` : ''}
${!deleted && !accounts.length && person.kind === 'individual' && can(p, 'accounts:manage') ? html`<p><a class="button secondary" href="/accounts/new?person_id=${person.id}">${t('accounts.create_for_person')}</a></p>` : ''}
${deleted ? '' : memberships}`;
}

/** A person's history: who changed what, when, with before and after. */
export function historyPage(request: FastifyRequest, person: Person, entries: AuditEntry[]): SafeHtml {
  const t = request.t;
  const show = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  return html`<h1>${t('people.history_of', { name: person.display_name })}</h1><p><a href="/people/${person.id}">← ${person.display_name}</a></p>
<table class="responsive"><thead><tr><th>${t('history.when')}</th><th>${t('history.who')}</th><th>${t('history.what')}</th><th>${t('history.changes')}</th></tr></thead><tbody>
${entries.map((e) => html`<tr><td>${e.at.slice(0, 19).replace('T', ' ')}</td><td>${e.actor}</td><td>${e.action}</td><td>${changedFields(e.before, e.after).map((field) => html`<div><strong>${field}</strong>: <del>${show(e.before?.[field])}</del> → <ins>${show(e.after?.[field])}</ins></div>`)}</td></tr>`)}
</tbody></table>`;
}
