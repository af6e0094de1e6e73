import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setFlash } from '../../http/cookies.js';
import { formBody, handleForm } from '../../http/forms.js';
import { requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, checkboxField, csrfField, errorSummary, type FormState, formState, inputField, selectField, textareaField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { listClients, type OidcClientView, removeClient } from './clients.service.js';
import { PRESET_NAMES } from './presets.js';
import { recipeSection } from './recipes.view.js';
import { issuerOf } from './provider.js';
import { type Registration, registerClient } from './registration.service.js';

const BASE = '/sso/clients';

function clientForm(request: FastifyRequest, state: FormState) {
  const t = request.t;
  return html`<h2>${t('oidc.client_new')}</h2>${errorSummary(t, state)}<form method="post" action="${BASE}">${csrfField(request)}
${inputField(t, state, { name: 'name', label: 'oidc.client_name', required: true })}
${selectField(t, state, { name: 'preset', label: 'oidc.preset' }, PRESET_NAMES.map((p) => [p, p]))}
${textareaField(t, state, { name: 'redirect_uris', label: 'oidc.redirect_uris', required: true, hint: t('oidc.redirect_uris_hint') })}
${textareaField(t, state, { name: 'post_logout_redirect_uris', label: 'oidc.post_logout_redirect_uris' })}
${inputField(t, state, { name: 'backchannel_logout_uri', label: 'oidc.backchannel_logout_uri', type: 'url' })}
${selectField(t, state, { name: 'first_party', label: 'oidc.kind' }, [['true', t('oidc.first_party')], ['false', t('oidc.third_party')]])}
${checkboxField(t, state, { name: 'public', label: 'oidc.public' })}
${inputField(t, state, { name: 'allowed_groups', label: 'oidc.allowed_groups', hint: t('oidc.allowed_groups_hint') })}
${inputField(t, state, { name: 'quota', label: 'oidc.quota', hint: t('oidc.quota_hint') })}
<div class="actions"><button>${t('oidc.client_new')}</button></div></form>`;
}

function clientsTable(request: FastifyRequest, clients: OidcClientView[]) {
  const t = request.t;
  if (!clients.length) return html`<p>${t('oidc.no_clients')}</p>`;
  return html`<table><thead><tr><th>${t('oidc.client_name')}</th><th>${t('oidc.client_id')}</th><th>${t('oidc.preset')}</th><th>${t('oidc.redirect_uris')}</th><th>${t('oidc.allowed_groups')}</th><th></th></tr></thead><tbody>
${clients.map((c) => html`<tr><td>${c.name}</td><td><code>${c.clientId}</code></td><td>${c.preset}</td><td>${c.redirectUris.join(' ')}</td>
<td>${c.allowedGroups.join(', ') || t('oidc.everyone')}</td><td>${buttonForm(request, `${BASE}/${encodeURIComponent(c.clientId)}/remove`, t('oidc.remove'), 'danger')}</td></tr>`)}</tbody></table>`;
}

async function listPage(request: FastifyRequest, state: FormState = formState({ first_party: 'true' })) {
  const t = request.t;
  return {
    title: t('oidc.clients'),
    body: html`<h1>${t('oidc.clients')}</h1><p>${t('oidc.issuer')}: <code>${issuerOf(request.ctx.config.publicUrl)}</code></p>
${clientsTable(request, await listClients(request.ctx.db))}${clientForm(request, state)}`,
  };
}

/** Pages to register and remove the apps that log people in through Ruche (permission oidc:manage). */
export async function clientsPages(app: FastifyInstance): Promise<void> {
  app.get(BASE, { config: { access: 'oidc:manage' } }, async (request, reply) => sendPage(request, reply, await listPage(request)));
  app.post(BASE, { config: { access: 'oidc:manage' } }, async (request, reply) => {
    const values = formBody(request);
    let created: Registration;
    try {
      created = await registerClient(request.ctx.db, requestActor(request), request.ctx.config.publicUrl, values);
    } catch (error) {
      // Re-rendered with the typed values and the errors; handleForm does the same for forms that redirect.
      return handleForm(request, reply, () => Promise.reject(error), () => ({ redirect: BASE }), (state) => listPage(request, state));
    }
    const t = request.t;
    const { client, secret, issuer, recipe } = created;
    reply.header('cache-control', 'no-store');
    return sendPage(request, reply, {
      title: t('oidc.client_created', { name: client.name }),
      body: html`<h1>${t('oidc.client_created', { name: client.name })}</h1>
<dl><dt>${t('oidc.issuer')}</dt><dd><code>${issuer}</code></dd><dt>${t('oidc.client_id')}</dt><dd><code>${client.clientId}</code></dd>
${secret ? html`<dt>${t('oidc.client_secret')}</dt><dd><code>${secret}</code></dd>` : ''}</dl>
${secret ? html`<p class="flash info">${t('oidc.secret_once')}</p>` : ''}${recipeSection(t, recipe)}<p><a href="${BASE}">${t('oidc.clients')}</a></p>`,
    });
  });
  app.post<{ Params: { clientId: string } }>(`${BASE}/:clientId/remove`, { config: { access: 'oidc:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => removeClient(trx, requestActor(request), request.params.clientId));
    setFlash(request, reply, { kind: 'info', key: 'oidc.client_removed' });
    return reply.redirect(BASE, 303);
  });
}
