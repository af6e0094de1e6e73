import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROLES } from '../../core/permissions.js';
import { setFlash } from '../../http/cookies.js';
import { handleForm } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, csrfField, errorSummary, type FormState, formState } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { can } from '../accounts/principal.js';
import { getTwoFactorPolicy, setTwoFactorPolicy } from './policy.service.js';
import { resetTwoFactor, twoFactorStatus } from './two-factor.service.js';

/** The two-factor line of an account's admin page, with the reset button for those who manage accounts. */
export async function twoFactorAdminSection(request: FastifyRequest, accountId: number): Promise<SafeHtml> {
  const t = request.t;
  const status = await twoFactorStatus(request.ctx.db, accountId);
  const reset = status.enabled && can(request.principal, 'accounts:manage')
    ? html`<p class="muted">${t('two_factor.reset_hint')}</p><div class="actions">${buttonForm(request, `/accounts/${accountId}/two-factor/reset`, t('two_factor.reset'), 'danger')}</div>`
    : '';
  return html`<h2 id="two-factor">${t('two_factor.title')}</h2><p>${status.enabled ? t('two_factor.admin_on', { count: status.recoveryCodesLeft }) : t('two_factor.admin_off')}</p>${reset}`;
}

function policyPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const raw = state.values.required_roles;
  const current = Array.isArray(raw) ? raw.map(String) : raw ? [String(raw)] : [];
  return {
    title: t('two_factor.policy_title'),
    body: html`<h1>${t('two_factor.policy_title')}</h1>${errorSummary(t, state)}<form method="post" action="/settings/two-factor">${csrfField(request)}
<fieldset><legend>${t('two_factor.policy_roles')}</legend>${Object.keys(ROLES).map((role) => html`<label><input type="checkbox" name="required_roles" value="${role}"${current.includes(role) ? html` checked` : ''}> ${t(`role.${role}` as MessageKey)}</label>`)}
${state.errors.required_roles ? html`<p class="error">${t(state.errors.required_roles)}</p>` : ''}</fieldset>
<p class="muted">${t('two_factor.policy_hint')}</p>
<div class="actions"><button>${t('form.save')}</button></div></form>`,
  };
}

/** Admin pages: removing a person's two-factor, and the roles for which it is required. */
export async function twoFactorAdminPages(app: FastifyInstance): Promise<void> {
  app.post('/accounts/:id/two-factor/reset', { config: { access: 'accounts:manage' } }, async (request, reply) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => resetTwoFactor(trx, requestActor(request), id));
    setFlash(request, reply, { kind: 'info', key: 'two_factor.reset_done' });
    await reply.redirect(`/accounts/${id}#two-factor`, 303);
  });
  app.get('/settings/two-factor', { config: { access: 'settings:manage' } }, async (request, reply) =>
    sendPage(request, reply, policyPage(request, formState({ ...(await getTwoFactorPolicy(request.ctx.db)) }))));
  app.post('/settings/two-factor', { config: { access: 'settings:manage' } }, (request, reply) => handleForm(request, reply,
    (values) => inTransaction(request.ctx.db, (trx) => setTwoFactorPolicy(trx, requestActor(request), { required_roles: values.required_roles ?? [] })),
    () => ({ redirect: '/settings/two-factor', flash: 'flash.saved' }),
    (state) => policyPage(request, state)));
}
