import type { FastifyRequest } from 'fastify';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/index.js';
import { csrfField, errorSummary, type FormState, inputField, selectField, textareaField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import type { PersonSummary } from './people.service.js';
import { PERSON_KINDS } from './people.schema.js';

/** Options for the person kind select. */
export function kindOptions(t: Translate): [string, string][] {
  return PERSON_KINDS.map((k) => [k, t(`people.kind.${k}` as MessageKey)]);
}

function languageOptions(t: Translate): [string, string][] {
  return [['', '—'], ...LOCALES.map((l): [string, string] => [l, t(`lang.${l}` as MessageKey)])];
}

/** The create/edit form of a person; values and errors come back after a failed submit. */
export function personForm(request: FastifyRequest, state: FormState, action: string): SafeHtml {
  const t = request.t;
  const f = (name: string, label: MessageKey, extra: object = {}) => inputField(t, state, { name, label, ...extra });
  return html`${errorSummary(t, state)}<form method="post" action="${action}">${csrfField(request)}
<div class="grid2"><div>
${selectField(t, state, { name: 'kind', label: 'people.kind' }, kindOptions(t))}
${f('display_name', 'people.display_name', { required: true, autofocus: true })}
${f('sort_name', 'people.sort_name', { hint: t('people.sort_name_hint') })}
${textareaField(t, state, { name: 'emails', label: 'people.emails', hint: t('people.emails_hint') })}
${f('phone', 'people.phone', { type: 'tel', autocomplete: 'tel' })}
${selectField(t, state, { name: 'language', label: 'people.language' }, languageOptions(t))}
${f('tags', 'people.tags', { hint: t('people.tags_hint') })}
</div><div>
${f('street', 'people.street', { autocomplete: 'street-address' })}
${f('postal_code', 'people.postal_code', { autocomplete: 'postal-code' })}
${f('city', 'people.city', { autocomplete: 'address-level2' })}
${f('country', 'people.country', { autocomplete: 'country-name' })}
${f('joined_on', 'people.joined_on', { type: 'date' })}
${f('left_on', 'people.left_on', { type: 'date' })}
${f('left_reason', 'people.left_reason')}
</div></div>
${textareaField(t, state, { name: 'notes', label: 'people.notes' })}
<div class="actions"><button>${t('form.save')}</button><a class="button secondary" href="/people">${t('form.cancel')}</a></div></form>`;
}

/** The table of people in the list and trash pages. */
export function peopleTable(t: Translate, items: PersonSummary[], statuses: Map<number, string>, extra?: (p: PersonSummary) => SafeHtml): SafeHtml {
  if (!items.length) return html`<p class="muted">${t('people.none_found')}</p>`;
  return html`<table class="responsive"><thead><tr><th>${t('people.display_name')}</th><th>${t('people.emails')}</th><th>${t('people.tags')}</th><th>${t('people.city')}</th><th>${t('memberships.status')}</th>${extra ? html`<th></th>` : ''}</tr></thead><tbody>
${items.map((p) => html`<tr><td><a href="/people/${p.id}">${p.display_name}</a>${p.kind === 'organisation' ? html` <span class="tag">${t('people.kind.organisation')}</span>` : ''}</td>
<td>${p.emails.join(', ')}</td><td>${p.tags.map((tag) => html`<span class="tag">${tag}</span>`)}</td><td>${p.city ?? ''}</td>
<td>${statuses.has(p.id) ? t(`memberships.status.${statuses.get(p.id)}` as MessageKey) : ''}</td>${extra ? html`<td>${extra(p)}</td>` : ''}</tr>`)}
</tbody></table>`;
}
