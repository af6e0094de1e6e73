import type { FastifyInstance, FastifyRequest } from 'fastify';
import { handleForm } from '../../http/forms.js';
import { requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { checkboxField, csrfField, errorSummary, type FormState, formState, inputField, selectField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { getSettings, updateSettings } from './settings.service.js';

function settingsPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const months = Array.from({ length: 12 }, (_, i): [string, string] => [String(i + 1), t(`month.${i + 1}` as MessageKey)]);
  return {
    title: t('settings.title'),
    body: html`<h1>${t('settings.title')}</h1>${errorSummary(t, state)}<form method="post" action="/settings">${csrfField(request)}
${inputField(t, state, { name: 'collective_name', label: 'settings.collective_name', required: true, autofocus: true })}
${selectField(t, state, { name: 'fiscal_year_start_month', label: 'settings.fiscal_year_start_month' }, months)}
${checkboxField(t, state, { name: 'registration_open', label: 'settings.registration_open' })}
<div class="actions"><button>${t('form.save')}</button></div></form>
<p><a href="/settings/two-factor">${t('two_factor.settings_link')}</a></p>`,
  };
}

/** The collective's settings page. */
export async function settingsPages(app: FastifyInstance): Promise<void> {
  app.get('/settings', { config: { access: 'settings:manage' } }, async (request, reply) =>
    sendPage(request, reply, settingsPage(request, formState({ ...(await getSettings(request.ctx.db)) }))));
  app.post('/settings', { config: { access: 'settings:manage' } }, (request, reply) => handleForm(request, reply,
    (values) => inTransaction(request.ctx.db, (trx) => updateSettings(trx, requestActor(request), values)),
    (saved) => (saved.memberships_changed === undefined ? { redirect: '/settings', flash: 'flash.saved' }
      : { redirect: '/settings', flash: 'overview.fiscal_year_saved', params: { changed: saved.memberships_changed } }),
    (state) => settingsPage(request, state)));
}
