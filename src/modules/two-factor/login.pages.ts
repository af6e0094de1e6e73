import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieOptions, setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { openBrowserSession } from '../accounts/browser-session.js';
import { allowRedirectToApp } from '../oidc/app-origin.js';
import { answerChallenge, CHALLENGE_SECONDS, challengeIsLive, dropChallenge, type PendingLogin, pendingLoginNext, startChallenge } from './challenge.service.js';
import { twoFactorEnabled } from './two-factor.service.js';

/** The cookie binding a pending second step to the browser that typed the password. */
export const CHALLENGE_COOKIE = 'ruche_2fa';
const STEP_PATH = '/login/two-factor';

/** After a correct password: opens the session, or sends an account with two-factor to the second step first. */
export async function continueLogin(request: FastifyRequest, reply: FastifyReply, login: PendingLogin): Promise<void> {
  const previous = request.cookies[CHALLENGE_COOKIE];
  if (previous) await dropChallenge(request.ctx.db, previous);
  if (await twoFactorEnabled(request.ctx.db, login.accountId)) {
    const challenge = await startChallenge(request.ctx.db, login);
    reply.setCookie(CHALLENGE_COOKIE, challenge, cookieOptions(request, CHALLENGE_SECONDS));
    await reply.redirect(STEP_PATH, 303);
    return;
  }
  await openBrowserSession(request, reply, login.accountId, login.remember);
  await reply.redirect(login.next, 303);
}

function stepPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  return {
    title: t('two_factor.step_title'),
    body: html`<h1>${t('two_factor.step_title')}</h1>${errorSummary(t, state)}<p>${t('two_factor.step_intro')}</p>
<form method="post" action="${STEP_PATH}">${csrfField(request)}
${inputField(t, state, { name: 'code', label: 'two_factor.code', required: true, autofocus: true, autocomplete: 'one-time-code', hint: t('two_factor.code_hint') })}
<div class="actions"><button>${t('two_factor.verify')}</button><a class="button secondary" href="/login">${t('form.cancel')}</a></div></form>`,
  };
}

async function backToLogin(request: FastifyRequest, reply: FastifyReply, key: 'two_factor.step_expired' | 'two_factor.too_many_attempts'): Promise<void> {
  reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
  setFlash(request, reply, { kind: 'error', key });
  await reply.redirect('/login', 303);
}

async function answer(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { code } = formBody(request);
  const typed = typeof code === 'string' ? code.slice(0, 64) : '';
  const outcome = typed.trim()
    ? await answerChallenge(request.ctx.db, request.ctx.secret, request.cookies[CHALLENGE_COOKIE], typed)
    : (await challengeIsLive(request.ctx.db, request.cookies[CHALLENGE_COOKIE])) ? { status: 'wrong' as const } : { status: 'expired' as const };
  if (outcome.status === 'expired') return backToLogin(request, reply, 'two_factor.step_expired');
  if (outcome.status === 'exhausted') return backToLogin(request, reply, 'two_factor.too_many_attempts');
  if (outcome.status === 'wrong') {
    await allowRedirectToApp(request.ctx.db, reply, await pendingLoginNext(request.ctx.db, request.cookies[CHALLENGE_COOKIE]));
    await sendPage(request, reply, { ...stepPage(request, formState({}, { code: 'two_factor.wrong_code' })), status: 422 });
    return;
  }
  reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
  await openBrowserSession(request, reply, outcome.login.accountId, outcome.login.remember);
  await reply.redirect(outcome.login.next, 303);
}

/** The login's second step: a code from the app (or a recovery code) before the session opens. */
export async function twoFactorLoginPages(app: FastifyInstance): Promise<void> {
  app.get(STEP_PATH, { config: { access: 'public' } }, async (request, reply) => {
    const next = await pendingLoginNext(request.ctx.db, request.cookies[CHALLENGE_COOKIE]);
    if (next === null) return backToLogin(request, reply, 'two_factor.step_expired');
    await allowRedirectToApp(request.ctx.db, reply, next); // a login for an app ends, through redirects, at the app
    reply.header('cache-control', 'no-store');
    await sendPage(request, reply, stepPage(request, formState()));
  });
  app.post(STEP_PATH, { config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } } }, answer);
}
