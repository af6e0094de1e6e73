import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { handleForm } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField, errorSummary, type FormState, formState, inputField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { accountName, addBankAccount, type BankAccount, bankAccounts, relabelBankAccount } from './accounts.service.js';

function accountRow(request: FastifyRequest, a: BankAccount): SafeHtml {
  const t = request.t;
  return html`<tr><td>${a.id}</td><td>${accountName(a)}</td><td>${a.currency}</td><td>${a.bic ?? ''}</td><td>${a.holder ?? ''}</td>
<td><form method="post" action="/bank/accounts/${a.id}/label">${csrfField(request)}<input name="label" maxlength="100" aria-label="${t('bank_accounts.label')}" value="${a.label ?? ''}"> <button class="secondary">${t('bank_accounts.save_label')}</button></form></td></tr>`;
}

// `refusal`: a refusal with details (a duplicate names the account there is), shown in place of the error summary.
async function accountsPage(request: FastifyRequest, state: FormState, refusal?: string) {
  const t = request.t;
  const accounts = await bankAccounts(request.ctx.db);
  const list = accounts.length
    ? html`<table class="responsive"><thead><tr><th>#</th><th>${t('bank_accounts.iban')} / ${t('bank_accounts.number')}</th><th>${t('bank_accounts.currency')}</th><th>${t('bank_accounts.bic')}</th><th>${t('bank_accounts.holder')}</th><th>${t('bank_accounts.label')}</th></tr></thead>
<tbody>${accounts.map((a) => accountRow(request, a))}</tbody></table>`
    : html`<p class="muted">${t('bank_accounts.none')}</p>`;
  return { title: t('bank_accounts.title'), body: html`<h1>${t('bank_accounts.title')}</h1><p>${t('bank_accounts.intro')}</p>${list}
<h2>${t('bank_accounts.add')}</h2>${refusal ? html`<p class="errors" role="alert">${refusal}</p>` : errorSummary(t, state)}<form method="post" action="/bank/accounts">${csrfField(request)}
<div class="filters">${inputField(t, state, { name: 'iban', label: 'bank_accounts.iban', autocomplete: 'off' })}
${inputField(t, state, { name: 'number', label: 'bank_accounts.number', hint: t('bank_accounts.number_hint'), autocomplete: 'off' })}
${inputField(t, state, { name: 'currency', label: 'bank_accounts.currency', hint: t('bank_accounts.currency_hint'), required: true })}</div>
<div class="filters">${inputField(t, state, { name: 'bic', label: 'bank_accounts.bic', autocomplete: 'off' })}
${inputField(t, state, { name: 'holder', label: 'bank_accounts.holder' })}${inputField(t, state, { name: 'label', label: 'bank_accounts.label' })}</div>
<div class="actions"><button>${t('bank_accounts.add')}</button><a class="button secondary" href="/bank">${t('bank.title')}</a></div></form>` };
}

/** Pages of the collective's bank accounts: the list with their currency and label, and a form to add one. */
export async function bankAccountsPages(app: FastifyInstance): Promise<void> {
  app.get('/bank/accounts', { config: { access: 'dues:manage' } }, async (request, reply) => sendPage(request, reply, await accountsPage(request, formState({ currency: 'EUR' }))));
  app.post('/bank/accounts', { config: { access: 'dues:manage' } }, (request, reply) => {
    let refusal: string | undefined;
    const add = (values: Record<string, unknown>) => inTransaction(request.ctx.db, (trx) => addBankAccount(trx, requestActor(request), values)).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 409) refusal = request.t(error.key, error.params);
      throw error;
    });
    return handleForm(request, reply, add, () => ({ redirect: '/bank/accounts', flash: 'bank_accounts.added' }), (state) => accountsPage(request, state, refusal));
  });
  app.post('/bank/accounts/:id/label', { config: { access: 'dues:manage' } }, (request, reply) => handleForm(request, reply,
    (values) => inTransaction(request.ctx.db, (trx) => relabelBankAccount(trx, requestActor(request), idParamOf(request), values)),
    () => ({ redirect: '/bank/accounts', flash: 'bank_accounts.relabelled' }), (state) => accountsPage(request, formState({ currency: 'EUR' }, { _: state.errors.label ?? state.errors._ ?? 'error.validation' }))));
}
