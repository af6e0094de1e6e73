import type { FastifyRequest } from 'fastify';
import { buttonForm, csrfField, errorSummary, type FormState, inputField, textareaField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { type PageInfo, pager } from '../../views/pagination.js';
import type { PersonSummary } from '../people/people.service.js';
import type { GroupMember, GroupSummary } from './groups.service.js';

/** The table of every group, computed ones marked as such. */
export function groupsTable(request: FastifyRequest, groups: GroupSummary[]): SafeHtml {
  const t = request.t;
  return html`<table class="responsive"><thead><tr><th>${t('groups.name')}</th><th>${t('groups.label')}</th><th>${t('groups.kind')}</th><th>${t('groups.member_count')}</th></tr></thead><tbody>
${groups.map((g) => html`<tr><td><a href="/groups/${g.name}"><code>${g.name}</code></a></td><td>${g.label}</td>
<td>${g.computed ? html`<span class="tag">${t('groups.kind_computed')}</span>` : t('groups.kind_static')}</td><td>${g.member_count}</td></tr>`)}
</tbody></table>`;
}

/** The form creating a static group (`action` /groups) or editing one (`action` /groups/NAME, `cancel` back to it). */
export function groupForm(request: FastifyRequest, state: FormState, action: string, cancel?: string): SafeHtml {
  const t = request.t;
  return html`${errorSummary(t, state)}<form method="post" action="${action}">${csrfField(request)}
${inputField(t, state, { name: 'name', label: 'groups.name', required: true, autocomplete: 'off', hint: t('groups.name_hint') })}
${inputField(t, state, { name: 'label', label: 'groups.label', required: true })}
${textareaField(t, state, { name: 'description', label: 'groups.description' })}
<div class="actions"><button>${t('form.save')}</button>${cancel ? html`<a class="button secondary" href="${cancel}">${t('form.cancel')}</a>` : ''}</div></form>`;
}

function memberRow(request: FastifyRequest, group: GroupSummary, m: GroupMember): SafeHtml {
  const t = request.t;
  const person = m.person_id !== null ? html`<a href="/people/${m.person_id}">${m.display_name ?? ''}</a>` : '';
  if (group.name.startsWith('role-') && group.computed) return html`<tr><td><a href="/accounts/${m.account_id}">${m.username}</a></td><td>${person}</td></tr>`;
  if (group.computed) return html`<tr><td>${person}</td></tr>`;
  const remove = buttonForm(request, `/groups/${group.name}/members/${m.person_id}/remove`, t('groups.remove'));
  return html`<tr><td>${person}</td><td>${m.added_by ?? ''}</td><td>${m.added_at?.slice(0, 10) ?? ''}</td><td>${remove}</td></tr>`;
}

/** The members of a group, with a remove button per person for static groups. */
export function membersTable(request: FastifyRequest, group: GroupSummary, members: GroupMember[], info: PageInfo): SafeHtml {
  const t = request.t;
  if (!members.length) return html`<p class="muted">${t('groups.no_members')}</p>`;
  const head = group.computed
    ? group.name.startsWith('role-') ? html`<th>${t('groups.account')}</th><th>${t('groups.person')}</th>` : html`<th>${t('groups.person')}</th>`
    : html`<th>${t('groups.person')}</th><th>${t('groups.added_by')}</th><th>${t('groups.added_at')}</th><th></th>`;
  return html`<table class="responsive"><thead><tr>${head}</tr></thead><tbody>${members.map((m) => memberRow(request, group, m))}</tbody></table>
${pager(t, `/groups/${group.name}`, {}, info)}`;
}

/** The forms adding a person to a static group: by number, or by searching and picking one. */
export function addMemberSection(request: FastifyRequest, group: GroupSummary, state: FormState, query: string, found: PersonSummary[]): SafeHtml {
  const t = request.t;
  const base = `/groups/${group.name}`;
  const results = query
    ? found.length
      ? html`<ul>${found.map((p) => html`<li><form method="post" action="${base}/members" class="filters">${csrfField(request)}<input type="hidden" name="person_id" value="${p.id}"><span>${p.display_name} ${p.emails[0] ?? ''} (${p.id})</span> <button>${t('groups.add')}</button></form></li>`)}</ul>`
      : html`<p class="muted">${t('groups.none_found')}</p>`
    : '';
  return html`<h2 id="add">${t('groups.add_member')}</h2>${errorSummary(t, state)}
<form method="post" action="${base}/members" class="filters">${csrfField(request)}
${inputField(t, state, { name: 'person_id', label: 'groups.person_id', inputmode: 'numeric', autocomplete: 'off' })}<button>${t('groups.add')}</button></form>
<form method="get" action="${base}#add" class="filters" role="search"><label>${t('groups.find_person')} <input type="search" name="q" value="${query}"></label><button class="secondary">${t('form.search')}</button></form>
${results}`;
}

/** A group's page: what it is, its actions (static groups), its members and the forms to add one. */
export function groupPage(request: FastifyRequest, group: GroupSummary, members: SafeHtml, adding: SafeHtml): SafeHtml {
  const t = request.t;
  const base = `/groups/${group.name}`;
  const actions = group.computed
    ? html`<p class="muted">${t('groups.computed_notice')}</p>`
    : html`<div class="actions"><a class="button" href="${base}/edit">${t('groups.edit')}</a>${buttonForm(request, `${base}/delete`, t('groups.delete'), 'danger')}</div>`;
  return html`<h1>${group.label}</h1>
<dl><dt>${t('groups.name')}</dt><dd><code>${group.name}</code>${group.computed ? html` <span class="tag">${t('groups.kind_computed')}</span>` : ''}</dd>
${group.description ? html`<dt>${t('groups.description')}</dt><dd>${group.description}</dd>` : ''}
<dt>${t('groups.member_count')}</dt><dd>${group.member_count}</dd></dl>
${actions}
<h2>${t('groups.members')}</h2>${members}
${adding}`;
}
