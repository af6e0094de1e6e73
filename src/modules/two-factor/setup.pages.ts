import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { AppError, ValidationError } from '../../core/errors.js';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { html, raw, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { twoFactorRequiredFor } from './policy.service.js';
import { beginSetup, confirmSetup, disableTwoFactor, regenerateRecoveryCodes, twoFactorStatus } from './two-factor.service.js';

/** Where a person sets up, renews or turns off their two-factor authentication. */
export const SETUP_PATH = '/account/two-factor';

// The otpauth:// URI as an inline SVG QR code, drawn on the server (no script, no external request).
async function qrCode(uri: string): Promise<SafeHtml> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 220 });
  return raw(svg.replace('<svg ', '<svg role="img" aria-hidden="true" focusable="false" '));
}

async function setupPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const me = request.principal!;
  const { secret, uri } = await inTransaction(request.ctx.db, (trx) => beginSetup(trx, request.ctx.secret, { id: me.accountId, username: me.username }));
  const required = await twoFactorRequiredFor(request.ctx.db, me.roles);
  return {
    title: t('two_factor.title'),
    body: html`<h1>${t('two_factor.title')}</h1>${required ? html`<p class="flash error" role="alert">${t('two_factor.required_for_role')}</p>` : ''}
<p>${t('two_factor.setup_intro')}</p>
<ol><li>${t('two_factor.setup_scan')}<br>${await qrCode(uri)}</li>
<li>${t('two_factor.setup_manual')} <code id="totp-secret">${secret.match(/.{1,4}/g)!.join(' ')}</code></li>
<li>${t('two_factor.setup_confirm')}</li></ol>
${errorSummary(t, state)}<form method="post" action="${SETUP_PATH}/confirm">${csrfField(request)}
${inputField(t, state, { name: 'code', label: 'two_factor.code', required: true, autofocus: true, autocomplete: 'one-time-code', inputmode: 'numeric' })}
<div class="actions"><button>${t('two_factor.enable')}</button></div></form>`,
  };
}

function confirmationForm(request: FastifyRequest, state: FormState, action: string, label: string, className: string): SafeHtml {
  return html`<form method="post" action="${SETUP_PATH}/${action}">${csrfField(request)}
${inputField(request.t, state, { name: 'confirmation', label: 'two_factor.confirmation', type: 'password', required: true, autocomplete: 'current-password' })}
<div class="actions"><button class="${className}">${label}</button></div></form>`;
}

async function statusPage(request: FastifyRequest, state: FormState, failed?: 'disable' | 'recovery-codes') {
  const t = request.t;
  const status = await twoFactorStatus(request.ctx.db, request.principal!.accountId);
  const empty = formState();
  return {
    title: t('two_factor.title'),
    body: html`<h1>${t('two_factor.title')}</h1>
<p>${t('two_factor.enabled_since', { date: status.confirmedAt?.slice(0, 10) ?? '' })} ${t('two_factor.codes_left', { count: status.recoveryCodesLeft })}</p>
${errorSummary(t, state)}
<h2>${t('two_factor.regenerate')}</h2><p>${t('two_factor.regenerate_hint')}</p>
${confirmationForm(request, failed === 'recovery-codes' ? state : empty, 'recovery-codes', t('two_factor.regenerate'), 'secondary')}
<h2>${t('two_factor.disable')}</h2><p>${t('two_factor.disable_hint')}</p>
${confirmationForm(request, failed === 'disable' ? state : empty, 'disable', t('two_factor.disable'), 'danger')}`,
  };
}

async function ownPage(request: FastifyRequest, state: FormState = formState(), failed?: 'disable' | 'recovery-codes') {
  const { enabled } = await twoFactorStatus(request.ctx.db, request.principal!.accountId);
  return enabled ? statusPage(request, state, failed) : setupPage(request, state);
}

// Recovery codes are shown once, on the answer to the POST, never stored in clear nor cached.
async function showCodes(request: FastifyRequest, reply: FastifyReply, codes: string[]): Promise<void> {
  const t = request.t;
  reply.header('cache-control', 'no-store');
  await sendPage(request, reply, {
    title: t('two_factor.codes_title'),
    body: html`<h1>${t('two_factor.codes_title')}</h1><p class="flash" role="status">${t('two_factor.codes_intro')}</p>
<ul class="recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
<p>${t('two_factor.codes_advice')}</p><div class="actions"><a class="button" href="/">${t('two_factor.codes_done')}</a></div>`,
  });
}

async function withCodes(request: FastifyRequest, reply: FastifyReply, action: () => Promise<string[]>, failed?: 'recovery-codes'): Promise<void> {
  try {
    await showCodes(request, reply, await action());
  } catch (error) {
    if (!(error instanceof AppError) || (error.status !== 422 && error.status !== 409)) throw error;
    const fields = error instanceof ValidationError ? error.fields : { _: error.key };
    await sendPage(request, reply, { ...(await ownPage(request, formState(formBody(request), fields), failed)), status: 422 });
  }
}

/** The logged-in person's two-factor pages: setup with a QR code, recovery codes, turning it off. */
export async function twoFactorSetupPages(app: FastifyInstance): Promise<void> {
  const authenticated = { config: { access: 'authenticated' as const } };
  // Confirming, turning off and renewing codes check a code or the password: not to be guessed from a stolen session.
  const guarded = { config: { access: 'authenticated' as const, rateLimit: { max: 10, timeWindow: '1 minute' } } };
  app.get(SETUP_PATH, authenticated, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    await sendPage(request, reply, await ownPage(request));
  });
  app.post(`${SETUP_PATH}/confirm`, guarded, (request, reply) => withCodes(request, reply, () =>
    inTransaction(request.ctx.db, (trx) => confirmSetup(trx, request.ctx.secret, requestActor(request), request.principal!.accountId, formBody(request)))));
  app.post(`${SETUP_PATH}/recovery-codes`, guarded, (request, reply) => withCodes(request, reply, () =>
    inTransaction(request.ctx.db, (trx) => regenerateRecoveryCodes(trx, request.ctx.secret, requestActor(request), request.principal!.accountId, formBody(request))), 'recovery-codes'));
  app.post(`${SETUP_PATH}/disable`, guarded, async (request, reply) => {
    try {
      await inTransaction(request.ctx.db, (trx) => disableTwoFactor(trx, request.ctx.secret, requestActor(request), request.principal!.accountId, formBody(request)));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendPage(request, reply, { ...(await statusPage(request, formState({}, error.fields), 'disable')), status: 422 });
      return;
    }
    setFlash(request, reply, { kind: 'info', key: 'two_factor.disabled' });
    await reply.redirect(SETUP_PATH, 303);
  });
}
