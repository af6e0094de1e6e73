import type { FastifyInstance, FastifyRequest } from 'fastify';
import { handleForm } from '../../http/forms.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField, errorSummary, type FormState, formState, textareaField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { newMemberFields } from '../invitations/new-member.view.js';
import { getSettings } from '../settings/settings.service.js';
import { requestRegistration } from './registrations.service.js';

// Public pages: a person needs a few tries; a script filling the queue is slowed down per address.
const PUBLIC_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };
const SUBMIT_LIMIT = { rateLimit: { max: 10, timeWindow: '1 minute' } };

async function registerPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const settings = await getSettings(request.ctx.db);
  const title = t('registrations.register_title', { collective: settings.collective_name });
  if (!settings.registration_open) {
    return { title, body: html`<h1>${title}</h1><p role="status">${t('registrations.closed')}</p><p><a href="/login">${t('nav.login')}</a></p>`, open: false };
  }
  return {
    title,
    open: true,
    body: html`<h1>${title}</h1><p>${t('registrations.register_intro')}</p>${errorSummary(t, state)}
<form method="post" action="/register">${csrfField(request)}
${newMemberFields(request, state)}
${textareaField(t, state, { name: 'message', label: 'registrations.message' })}
<div class="actions"><button>${t('registrations.submit')}</button></div></form>`,
  };
}

/** The public self-registration form (when the settings open it); requests wait for an admin. */
export async function registerPages(app: FastifyInstance): Promise<void> {
  app.get('/register', { config: { access: 'public', ...PUBLIC_LIMIT } }, async (request, reply) =>
    sendPage(request, reply, await registerPage(request, formState())));
  app.post('/register', { config: { access: 'public', ...SUBMIT_LIMIT } }, async (request, reply) => {
    const closed = await registerPage(request, formState());
    if (!closed.open) return sendPage(request, reply, { ...closed, status: 409 });
    await handleForm(request, reply,
      (values) => inTransaction(request.ctx.db, (trx) => requestRegistration(trx, values, request.locale)),
      () => ({ redirect: '/login', flash: 'registrations.sent' }),
      (state) => registerPage(request, state));
  });
}
