import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.js';
import { handleForm } from '../../http/forms.js';
import { inTransaction } from '../../storage/database.js';
import { html } from '../../views/html.js';
import { csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { sendPage } from '../../views/layout.js';
import type { Translate } from '../../i18n/index.js';
import { completeSetup, isValidSetupToken } from './setup.service.js';
import type { FastifyRequest } from 'fastify';

function setupForm(request: FastifyRequest, t: Translate, token: string, state: FormState) {
  return {
    title: t('setup.title'),
    body: html`<h1>${t('setup.title')}</h1><p>${t('setup.intro')}</p>${errorSummary(t, state)}
<form method="post" action="/setup/${token}">${csrfField(request)}
${inputField(t, state, { name: 'display_name', label: 'setup.display_name', required: true, autofocus: true, autocomplete: 'name' })}
${inputField(t, state, { name: 'email', label: 'people.email', type: 'email', required: true, autocomplete: 'email' })}
${inputField(t, state, { name: 'username', label: 'accounts.username', required: true, autocomplete: 'username' })}
${inputField(t, state, { name: 'password', label: 'accounts.password', type: 'password', required: true, autocomplete: 'new-password' })}
<div class="actions"><button>${t('setup.create')}</button></div></form>`,
  };
}

/** The one-time setup link that creates the first admin account. */
export async function setupPages(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { token: string } }>('/setup/:token', { config: { access: 'public' } }, async (request, reply) => {
    if (!(await isValidSetupToken(request.ctx.db, request.params.token))) throw notFound('setup.link_invalid');
    await sendPage(request, reply, setupForm(request, request.t, request.params.token, formState()));
  });
  app.post<{ Params: { token: string } }>('/setup/:token', { config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params;
    await handleForm(
      request,
      reply,
      (values) => inTransaction(request.ctx.db, (trx) => completeSetup(trx, token, { ...values, locale: request.locale })),
      () => ({ redirect: '/login', flash: 'setup.done' }),
      (state) => setupForm(request, request.t, token, state),
    );
  });
}
