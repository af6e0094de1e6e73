import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, unauthorized } from '../../core/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { csrfField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { SESSION_COOKIE } from '../../http/cookies.js';
import { closeSession, sessionOpenedAt } from '../accounts/accounts.service.js';
import { mustSetUpTwoFactor } from '../two-factor/gate.js';
import { SETUP_PATH } from '../two-factor/setup.pages.js';
import { allowRedirectToApp } from './app-origin.js';
import { DESCRIBED_SCOPES } from './claims.js';
import { abortInteraction, continueInteraction, type InteractionStep } from './interaction.service.js';
import { OIDC_PREFIX } from './provider.js';

type UidRequest = FastifyRequest<{ Params: { uid: string } }>;

function accountActor(request: FastifyRequest) {
  if (!request.principal) throw unauthorized();
  return { accountId: request.principal.accountId, label: request.principal.username };
}

async function interactionOf(request: UidRequest, reply: FastifyReply) {
  const provider = await request.server.oidc.provider();
  const interaction = await provider.interactionDetails(request.raw, reply.raw).catch(() => null);
  if (!interaction || interaction.uid !== request.params.uid) throw new AppError(400, 'interaction_expired', 'oidc.interaction_expired');
  return { provider, interaction };
}

async function show(request: UidRequest, reply: FastifyReply, step: InteractionStep): Promise<void> {
  const t = request.t;
  reply.header('cache-control', 'no-store');
  if (step.kind === 'done') return reply.redirect(step.returnTo, 303);
  if (step.kind === 'unknown_client') throw new AppError(400, 'interaction_expired', 'oidc.interaction_expired');
  if (step.kind === 'refused') {
    const groups = step.client.allowedGroups.join(', ');
    return sendPage(request, reply, {
      title: t('oidc.refused_title'), status: 403,
      body: html`<h1>${t('oidc.refused_title')}</h1><p class="error">${t('oidc.refused', { client: step.client.name, groups })}</p><p><a href="/">Ruche</a></p>`,
    });
  }
  const base = `${OIDC_PREFIX}/interaction/${request.params.uid}`;
  await allowRedirectToApp(request.ctx.db, reply, base); // allowing or denying ends, through redirects, at the app
  const known = step.scopes.filter((scope) => DESCRIBED_SCOPES.includes(scope));
  return sendPage(request, reply, {
    title: t('oidc.consent_title', { client: step.client.name }),
    body: html`<h1>${t('oidc.consent_title', { client: step.client.name })}</h1><p>${t('oidc.consent_intro', { client: step.client.name })}</p>
<ul>${known.map((scope) => html`<li>${t(`oidc.scope.${scope}` as MessageKey)}</li>`)}</ul>
<div class="actions"><form method="post" action="${base}/consent">${csrfField(request)}<button autofocus>${t('oidc.allow')}</button></form>
<form method="post" action="${base}/abort">${csrfField(request)}<button class="secondary">${t('oidc.deny')}</button></form></div>`,
  });
}

/** True when the app asked for a login newer than its request (`prompt=login`, or `max_age` passed) and the Ruche session is older. */
async function needsFreshLogin(request: FastifyRequest, interaction: { prompt: { name: string; reasons: string[] }; iat: number }): Promise<boolean> {
  const { name, reasons } = interaction.prompt;
  if (name !== 'login' || !reasons.some((r) => r === 'login_prompt' || r === 'max_age')) return false;
  const opened = await sessionOpenedAt(request.ctx.db, request.cookies[SESSION_COOKIE] ?? '');
  return !opened || opened.getTime() < interaction.iat * 1000;
}

/** The login interaction of the provider: Ruche's own login, then consent for third-party apps, or a refusal page. */
export async function interactionPages(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid`, { config: { access: 'public' } }, async (request, reply) => {
    const { provider, interaction } = await interactionOf(request, reply);
    const loginPage = `/login?next=${encodeURIComponent(`${OIDC_PREFIX}/interaction/${interaction.uid}`)}`;
    if (!request.principal) return reply.redirect(loginPage, 303);
    if (await needsFreshLogin(request, interaction)) {
      await closeSession(request.ctx.db, request.cookies[SESSION_COOKIE] ?? '');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect(loginPage, 303);
    }
    // The two-factor requirement of a role holds for apps too (the gate does not see this public page).
    if (await mustSetUpTwoFactor(request)) return reply.redirect(SETUP_PATH, 303);
    await show(request, reply, await continueInteraction(request.ctx.db, provider, interaction, accountActor(request)));
  });
  app.post<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid/consent`, { config: { access: 'authenticated' } }, async (request, reply) => {
    const { provider, interaction } = await interactionOf(request, reply);
    await show(request, reply, await continueInteraction(request.ctx.db, provider, interaction, accountActor(request), true));
  });
  app.post<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid/abort`, { config: { access: 'authenticated' } }, async (request, reply) => {
    const { interaction } = await interactionOf(request, reply);
    await reply.redirect(await abortInteraction(interaction), 303);
  });
}
