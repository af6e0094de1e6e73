import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { cookieOptions, LANG_COOKIE, SESSION_COOKIE, setFlash } from '../../http/cookies.js';
import { formBody, safeLocalPath } from '../../http/forms.js';
import { isLocale } from '../../i18n/index.js';
import { checkboxField, csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { requestActor } from '../../http/request.js';
import { recordChange } from '../audit/audit.service.js';
import { DEVICE_COOKIE, DEVICE_SECONDS } from '../security/device-cookie.js';
import { attemptLogin } from '../security/login-guard.js';
import { continueLogin } from '../two-factor/login.pages.js';
import { closeSession, setLocale } from './accounts.service.js';
import { loginInput } from './accounts.schema.js';
import { allowRedirectToApp } from '../oidc/app-origin.js';
import { endOidcSession } from '../oidc/oidc.service.js';
import { OIDC_SESSION_COOKIE } from '../oidc/provider.js';

function loginPage(request: FastifyRequest, state: FormState, next: string, refusal?: string) {
  const t = request.t;
  return {
    title: t('auth.login_title'),
    body: html`<h1>${t('auth.login_title')}</h1>${refusal ? html`<p class="errors" role="alert">${refusal}</p>` : errorSummary(t, state)}
<form method="post" action="/login">${csrfField(request)}<input type="hidden" name="next" value="${next}">
${inputField(t, state, { name: 'login', label: 'auth.login', required: true, autofocus: true, autocomplete: 'username' })}
${inputField(t, state, { name: 'password', label: 'accounts.password', type: 'password', required: true, autocomplete: 'current-password' })}
${checkboxField(t, state, { name: 'remember', label: 'auth.remember_me' })}
<div class="actions"><button>${t('nav.login')}</button><a href="/password-reset">${t('account_mail.forgot_link')}</a></div></form>`,
  };
}

async function login(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const values = formBody(request);
  const next = safeLocalPath(values.next);
  try {
    const { login, password } = validate(loginInput, values);
    const { accountId, device } = await attemptLogin(request.ctx.db, request.ctx.secret, { login, password, ip: request.ip, device: request.cookies[DEVICE_COOKIE] });
    reply.setCookie(DEVICE_COOKIE, device, cookieOptions(request, DEVICE_SECONDS));
    await continueLogin(request, reply, { accountId, remember: values.remember === 'on', next });
  } catch (error) {
    await allowRedirectToApp(request.ctx.db, reply, next);
    if (error instanceof AppError && error.code === 'login_locked') {
      const page = loginPage(request, formState({ login: values.login }), next, request.t(error.key, error.params));
      return sendPage(request, reply, { ...page, status: 429 });
    }
    if (!(error instanceof ValidationError)) throw error;
    await sendPage(request, reply, { ...loginPage(request, formState({ login: values.login, remember: values.remember }, error.fields), next), status: 422 });
  }
}

/** Login, logout and the language switch. */
export async function authPages(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { next?: string } }>('/login', { config: { access: 'public' } }, async (request, reply) => {
    if (request.principal) return reply.redirect('/', 303);
    const next = safeLocalPath(request.query.next);
    await allowRedirectToApp(request.ctx.db, reply, next); // a login for an app ends, through redirects, at the app
    await sendPage(request, reply, loginPage(request, formState(), next));
  });
  app.post('/login', {
    config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
  }, login);
  app.post('/logout', { config: { access: 'public' } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await closeSession(request.ctx.db, cookie);
    if (request.principal) await recordChange(request.ctx.db, requestActor(request), { action: 'auth.logout', entityType: 'account', entityId: request.principal.accountId });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    // Logging out of Ruche also ends the single sign-on session: apps can no longer log this browser in silently.
    await endOidcSession(request.ctx.db, request.cookies[OIDC_SESSION_COOKIE]);
    reply.clearCookie(OIDC_SESSION_COOKIE, { path: '/' });
    reply.clearCookie(`${OIDC_SESSION_COOKIE}.sig`, { path: '/' });
    setFlash(request, reply, { kind: 'info', key: 'auth.logged_out' });
    await reply.redirect('/login', 303);
  });
  app.post('/lang', { config: { access: 'public' } }, async (request, reply) => {
    const { lang, back } = formBody(request);
    if (isLocale(lang)) {
      reply.setCookie(LANG_COOKIE, lang, cookieOptions(request, 365 * 86_400));
      if (request.principal) await setLocale(request.ctx.db, request.principal.accountId, lang);
    }
    await reply.redirect(safeLocalPath(back), 303);
  });
}
