import type { FastifyRequest } from 'fastify';
import { type FormState, inputField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';

/** The fields a new member fills in, on the invitation and the registration forms. */
export function newMemberFields(request: FastifyRequest, state: FormState): SafeHtml {
  const t = request.t;
  return html`${inputField(t, state, { name: 'display_name', label: 'invite.display_name', required: true, autofocus: true, autocomplete: 'name' })}
${inputField(t, state, { name: 'email', label: 'people.email', type: 'email', required: true, autocomplete: 'email' })}
${inputField(t, state, { name: 'username', label: 'accounts.username', required: true, autocomplete: 'username', hint: t('validation.username') })}
${inputField(t, state, { name: 'password', label: 'accounts.password', type: 'password', required: true, autocomplete: 'new-password', hint: t('validation.password_short') })}
${inputField(t, state, { name: 'password_confirm', label: 'invite.password_confirm', type: 'password', required: true, autocomplete: 'new-password' })}`;
}
