import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { closeMail, mailConfigured, type MailFailure, settleMail } from '../mail/mail.service.js';
import { resetLinkUsername, resetPassword, startPasswordReset } from './password-reset.service.js';

/** Rate limit of the reset routes, per client address (the service limits mails per account and per address). */
export const RESET_RATE_LIMIT = { max: 10, timeWindow: '15 minutes' };

function requestPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const title = t('account_mail.reset_title');
  if (!mailConfigured(request.ctx.config)) {
    return { title, status: 503, body: html`<h1>${title}</h1><p class="errors" role="alert">${t('mail.not_configured')}</p><p><a href="/login">${t('nav.login')}</a></p>` };
  }
  return {
    title,
    body: html`<h1>${title}</h1><p>${t('account_mail.reset_intro')}</p>${errorSummary(t, state)}
<form method="post" action="/password-reset">${csrfField(request)}
${inputField(t, state, { name: 'login', label: 'auth.login', required: true, autofocus: true, autocomplete: 'username' })}
<div class="actions"><button>${t('account_mail.reset_send')}</button><a href="/login">${t('nav.login')}</a></div></form>`,
  };
}

/** The page for a link that was used, expired or never existed. */
export async function sendLinkInvalid(request: FastifyRequest, reply: FastifyReply, again = '/password-reset'): Promise<void> {
  const t = request.t;
  await sendPage(request, reply, {
    title: t('account_mail.link_invalid_title'), status: 410,
    body: html`<h1>${t('account_mail.link_invalid_title')}</h1><p>${t('account_mail.link_invalid')}</p><p><a href="${again}">${t('account_mail.ask_again')}</a></p>`,
  });
}

function newPasswordPage(request: FastifyRequest, token: string, username: string, state: FormState) {
  const t = request.t;
  return {
    title: t('account_mail.new_password_title'),
    body: html`<h1>${t('account_mail.new_password_title')}</h1><p>${t('account_mail.new_password_intro', { username })}</p>${errorSummary(t, state)}
<form method="post" action="/password-reset/${token}">${csrfField(request)}<input type="hidden" name="username" value="${username}" autocomplete="username">
${inputField(t, state, { name: 'password', label: 'accounts.new_password', type: 'password', required: true, autofocus: true, autocomplete: 'new-password' })}
<div class="actions"><button>${t('form.save')}</button></div></form>`,
  };
}

/** Logs a mail that could not be sent after the answer went out: the operator learns of it, the requester cannot be told. */
export function reportMailFailure(request: FastifyRequest, what: string): (failure: MailFailure) => void {
  return (failure) => request.server.log.error({ mail: failure }, `${what} mail not sent`);
}

async function postRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const values = formBody(request);
  try {
    startPasswordReset(request.ctx.db, request.ctx.config, values, reportMailFailure(request, 'password reset'));
    setFlash(request, reply, { kind: 'info', key: 'account_mail.reset_sent' });
    await reply.redirect('/login', 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 422) throw error;
    await sendPage(request, reply, { ...requestPage(request, formState(values, error.fields)), status: 422 });
  }
}

async function postNewPassword(request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply): Promise<void> {
  const { token } = request.params;
  const values = formBody(request);
  try {
    await inTransaction(request.ctx.db, (trx) => resetPassword(trx, { ...values, token }));
    setFlash(request, reply, { kind: 'info', key: 'account_mail.reset_done' });
    await reply.redirect('/login', 303);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const username = await resetLinkUsername(request.ctx.db, token);
    if (error.status !== 422 || username === null) return sendLinkInvalid(request, reply);
    await sendPage(request, reply, { ...newPasswordPage(request, token, username, formState(values, error.fields)), status: 422 });
  }
}

/** "Forgot your password?": the request form, and the page a reset link opens. */
export async function passwordResetPages(app: FastifyInstance): Promise<void> {
  app.addHook('onClose', async () => {
    await settleMail();
    closeMail();
  });
  app.get('/password-reset', { config: { access: 'public' } }, async (request, reply) => sendPage(request, reply, requestPage(request, formState())));
  app.post('/password-reset', { config: { access: 'public', rateLimit: RESET_RATE_LIMIT } }, postRequest);
  app.get<{ Params: { token: string } }>('/password-reset/:token', { config: { access: 'public' } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const username = await resetLinkUsername(request.ctx.db, request.params.token);
    if (username === null) return sendLinkInvalid(request, reply);
    await sendPage(request, reply, newPasswordPage(request, request.params.token, username, formState()));
  });
  app.post<{ Params: { token: string } }>('/password-reset/:token', { config: { access: 'public', rateLimit: RESET_RATE_LIMIT } }, postNewPassword);
}
