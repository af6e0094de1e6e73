import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setFlash } from '../../http/cookies.js';
import { formBody, handleForm } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import type { MessageKey } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { buttonForm, csrfField, errorSummary, type FormState, formState, inputField, selectField, textareaField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { csvProfile, csvProfileNames, guessProfile, saveCsvProfileInput } from '../bank/bank.service.js';
import { ALLOCATION_KINDS } from './dues.schema.js';
import { addRule, listRules, removeRule } from './rules.service.js';

async function rulesPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const rules = await listRules(request.ctx.db);
  const kinds = ALLOCATION_KINDS.map((k): [string, string] => [k, t(`dues.kind.${k}` as MessageKey)]);
  const directions: [string, string][] = [['any', t('bank.direction.any')], ['debit', t('bank.direction.debit')], ['credit', t('bank.direction.credit')]];
  return { title: t('bank.rules'), body: html`<h1>${t('bank.rules')}</h1><p>${t('bank.rules_intro')}</p>
${rules.length ? html`<table class="responsive"><tbody>${rules.map((r) => html`<tr><td>«${r.pattern}»</td><td>${t(`bank.direction.${r.direction}` as MessageKey)}</td><td>${t(`dues.kind.${r.kind}` as MessageKey)}</td><td>${r.category}</td><td>${buttonForm(request, `/bank/rules/${r.id}/remove`, t('dues.remove'))}</td></tr>`)}</tbody></table>` : ''}
<h2>${t('bank.rule_add')}</h2>${errorSummary(t, state)}<form method="post" action="/bank/rules">${csrfField(request)}
<div class="filters">${inputField(t, state, { name: 'pattern', label: 'bank.rule_pattern', required: true, autofocus: true })}
${selectField(t, state, { name: 'direction', label: 'bank.rule_direction' }, directions)}${selectField(t, state, { name: 'kind', label: 'dues.kind' }, kinds)}
${inputField(t, state, { name: 'category', label: 'dues.category', required: true })}</div><div class="actions"><button>${t('form.save')}</button></div></form>` };
}

async function profilesPage(request: FastifyRequest, state: FormState) {
  const t = request.t;
  const names = await csvProfileNames(request.ctx.db);
  return { title: t('bank.profiles'), body: html`<h1>${t('bank.profiles')}</h1><p>${t('bank.profiles_intro')}</p>
<ul>${names.map((n) => html`<li><a href="/bank/profiles?name=${encodeURIComponent(n)}">${n}</a></li>`)}</ul>
<form method="post" action="/bank/profiles/guess" enctype="multipart/form-data">${csrfField(request)}<label for="f-sample">${t('bank.profile_guess')}</label><input type="file" id="f-sample" name="file" required> <button class="secondary">${t('bank.upload')}</button></form>
${errorSummary(t, state)}<form method="post" action="/bank/profiles">${csrfField(request)}${textareaField(t, state, { name: 'profile', label: 'bank.profile_json_label', hint: t('bank.profile_json_hint') })}
<div class="actions"><button>${t('form.save')}</button></div></form>` };
}

/** Pages for the categorisation rules and the saved CSV column profiles. */
export async function bankSetupPages(app: FastifyInstance): Promise<void> {
  app.get('/bank/rules', { config: { access: 'dues:manage' } }, async (request, reply) => sendPage(request, reply, await rulesPage(request, formState({ direction: 'debit', kind: 'expense' }))));
  app.post('/bank/rules', { config: { access: 'dues:manage' } }, (request, reply) => handleForm(request, reply,
    (values) => inTransaction(request.ctx.db, (trx) => addRule(trx, requestActor(request), values)),
    (result) => ({ redirect: '/bank/rules', flash: 'bank.rule_added', params: { applied: result.applied } }), (state) => rulesPage(request, state)));
  app.post('/bank/rules/:id/remove', { config: { access: 'dues:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => removeRule(trx, requestActor(request), idParamOf(request)));
    setFlash(request, reply, { kind: 'info', key: 'flash.saved' });
    await reply.redirect('/bank/rules', 303);
  });
  app.get<{ Querystring: { name?: string } }>('/bank/profiles', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const profile = request.query.name ? await csvProfile(request.ctx.db, request.query.name) : undefined;
    await sendPage(request, reply, await profilesPage(request, formState({ profile: profile ? JSON.stringify(profile, null, 2) : '' })));
  });
  app.post('/bank/profiles/guess', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const file = formBody(request).file;
    const guess = Buffer.isBuffer(file) ? guessProfile(file) : null;
    const profile = guess ? JSON.stringify({ ...guess.profile, name: guess.profile.name || 'my-bank' }, null, 2) : '';
    await sendPage(request, reply, await profilesPage(request, formState({ profile })));
  });
  app.post('/bank/profiles', { config: { access: 'dues:manage' } }, (request, reply) => handleForm(request, reply,
    (values) => inTransaction(request.ctx.db, (trx) => saveCsvProfileInput(trx, requestActor(request), values.profile)),
    () => ({ redirect: '/bank/profiles', flash: 'flash.saved' }), (state) => profilesPage(request, state)));
}
