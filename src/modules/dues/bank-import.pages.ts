import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { setFlash } from '../../http/cookies.js';
import { formBody, uploadName } from '../../http/forms.js';
import { requestActor } from '../../http/request.js';
import { isMessageKey, type MessageKey } from '../../i18n/index.js';
import { csrfField } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { formatMoney } from '../../views/money.js';
import { accountName, bankAccounts } from '../bank/accounts.service.js';
import { csvProfileNames, statementFileName } from '../bank/bank.service.js';
import { importOptions } from '../bank/bank.schema.js';
import { STATEMENT_FORMATS } from '../bank/parsers/types.js';
import { discardUpload, loadUpload, storeUpload } from '../people-exchange/exchange.service.js';
import { previewImport, type ProposedMatch } from './import-preview.service.js';
import { importRequestOf } from './import-request.js';
import { importAndAllocate } from './review.service.js';
import * as reviewRepo from './dues.repository.js';

type Summary = Awaited<ReturnType<typeof importAndAllocate>>;
type Preview = Awaited<ReturnType<typeof previewImport>>;

async function uploadForm(request: FastifyRequest, error?: string): Promise<SafeHtml> {
  const t = request.t;
  return html`${error ? html`<p class="errors" role="alert">${error}</p>` : ''}
<form method="post" action="/bank/import" enctype="multipart/form-data">${csrfField(request)}
<label for="f-file">${t('bank.file')} <span class="hint">${t('bank.file_hint')}</span></label><input type="file" id="f-file" name="file" required autofocus>
${await optionFields(request, {})}
<div class="actions"><button>${t('bank.upload')}</button></div></form>`;
}

// The import's options (format, account, CSV profile, QIF date order), with the ones already chosen selected.
async function optionFields(request: FastifyRequest, chosen: Record<string, string | undefined>): Promise<SafeHtml> {
  const t = request.t;
  const [accounts, profiles] = await Promise.all([bankAccounts(request.ctx.db), csvProfileNames(request.ctx.db)]);
  const opt = (name: string, v: string, label: string) => html`<option value="${v}"${chosen[name] === v && v ? html` selected` : ''}>${label}</option>`;
  return html`<div class="filters"><label>${t('bank.format')} <select name="format">${opt('format', '', t('bank.format_auto'))}${STATEMENT_FORMATS.map((f) => opt('format', f, f))}</select></label>
<label>${t('bank.account')} <select name="account">${opt('account', '', t('bank.account_from_file'))}${accounts.map((a) => opt('account', String(a.id), `${accountName(a)} (${a.currency})`))}</select></label>
<label>${t('bank.profile')} <select name="profile">${opt('profile', '', t('bank.format_auto'))}${profiles.map((p) => opt('profile', p, p))}</select></label>
<label>${t('bank.qif_order')} <select name="qif_date_order">${opt('qif_date_order', '', t('bank.format_auto'))}${opt('qif_date_order', 'dmy', 'DD/MM/YYYY')}${opt('qif_date_order', 'mdy', 'MM/DD/YYYY')}${opt('qif_date_order', 'ymd', 'YYYY/MM/DD')}</select></label></div>`;
}

// After a refusal the file stays uploaded: the same file read again with other options (the QIF date order the
// refusal asked for, the account, the CSV profile), or another file.
async function retryForms(request: FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string> }>, error: string): Promise<SafeHtml> {
  const t = request.t;
  return html`<p class="errors" role="alert">${error}</p>
<form method="get" action="/bank/import/${request.params.id}">${await optionFields(request, request.query)}
<div class="actions"><button autofocus>${t('import_preview.read_again')}</button></div></form>
<h2>${t('import_preview.other_file')}</h2>${await uploadForm(request)}`;
}

/** The table of statements an import read (or would read). */
export function summaryTable(request: FastifyRequest, summary: Summary): SafeHtml {
  const t = request.t;
  const money = (v: number | null, c: string) => (v === null ? '—' : formatMoney(v, c, request.locale));
  const balance = (ok: boolean | null) => t(ok === null ? 'bank.balance_unknown' : ok ? 'bank.balance_ok' : 'bank.balance_mismatch');
  return html`<table class="responsive"><thead><tr><th>${t('bank.account')}</th><th>${t('bank.statement')}</th><th>${t('bank.opening')}</th><th>${t('bank.closing')}</th><th>${t('bank.entries')}</th><th>${t('bank.added')}</th><th>${t('bank.duplicates')}</th><th>${t('bank.balance')}</th></tr></thead><tbody>
${summary.statements.map((s) => html`<tr><td>${s.account}</td><td>${s.statementRef ?? ''} ${s.date ?? ''}</td><td>${money(s.opening, s.currency)}</td><td>${money(s.closing, s.currency)}</td><td>${s.entries}</td><td>${s.added}</td><td>${s.duplicates}</td><td${s.balanceOk === false ? html` class="error"` : ''}>${balance(s.balanceOk)}</td></tr>`)}
</tbody></table><p>${t('bank.matched_auto')}: ${summary.automatic} · ${t('bank.to_review')}: ${summary.toReview}</p>`;
}

/** The proposals of a preview: for each new credit, who it would be for, how sure Ruche is and why. */
export function proposalsTable(request: FastifyRequest, preview: Preview): SafeHtml {
  const t = request.t;
  if (!preview.proposals.length) return html`<h2>${t('import_preview.proposals')}</h2><p class="muted">${t('import_preview.none')}</p>`;
  const reason = (r: ProposedMatch['reason']) => (isMessageKey(r.key) ? t(r.key, r.params) : r.key);
  const people = (p: ProposedMatch) => (p.people.length ? p.people.map((s, i) => html`${i ? ', ' : ''}${s.displayName}${p.people.length > 1 ? ` (${formatMoney(s.amountCents, p.currency, request.locale)})` : ''}`) : html`<span class="muted">${t('import_preview.nobody')}</span>`);
  const kind = (p: ProposedMatch) => `${p.kind ? t(`dues.kind.${p.kind}` as MessageKey) : ''}${p.category ? ` (${p.category})` : ''}`;
  const rows = preview.proposals.map((p) => html`<tr><td>${p.bookingDate}</td><td>${formatMoney(p.amountCents, p.currency, request.locale)}</td><td>${p.counterpartyName ?? ''}${p.communication ? html`<br><span class="muted">${p.communication}</span>` : ''}</td>
<td>${people(p)}</td><td>${kind(p)}</td><td>${p.confidence}%</td><td>${reason(p.reason)}</td><td><span class="tag">${t(p.status === 'auto' ? 'import_preview.auto' : 'import_preview.review')}</span></td></tr>`);
  return html`<h2>${t('import_preview.proposals')}</h2><table class="responsive proposals"><thead><tr><th>${t('bank.date')}</th><th>${t('bank.amount')}</th><th>${t('bank.counterparty')}</th><th>${t('import_preview.people')}</th><th>${t('dues.kind')}</th><th>${t('import_preview.confidence')}</th><th>${t('import_preview.reason')}</th><th>${t('import_preview.outcome')}</th></tr></thead><tbody>
${rows}</tbody></table>${preview.proposalsNotShown ? html`<p class="muted">${t('import_preview.more', { count: preview.proposalsNotShown })}</p>` : ''}`;
}

function optionsQuery(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const key of ['format', 'account', 'qif_date_order', 'profile']) if (typeof values[key] === 'string' && values[key]) params.set(key, values[key] as string);
  return params.toString();
}

function errorMessage(request: FastifyRequest, error: unknown): string {
  if (error instanceof AppError && error.status < 500) return request.t(error.key as MessageKey, error.params);
  throw error;
}

async function preview(request: FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string> }>, reply: FastifyReply) {
  const t = request.t;
  const upload = await loadUpload(request.ctx.db, request.principal!.accountId, request.params.id);
  const options = validate(importOptions, request.query);
  let body: SafeHtml;
  try {
    const summary = await previewImport(request.ctx.db, requestActor(request), upload.bytes, await importRequestOf(request.ctx.db, upload.filename, options));
    body = html`<p>${t('bank.preview_intro')}</p>${summaryTable(request, summary)}${proposalsTable(request, summary)}
<form method="post" action="/bank/import/${upload.id}?${optionsQuery(request.query)}">${csrfField(request)}<div class="actions"><button autofocus>${t('bank.confirm_import')}</button><a class="button secondary" href="/bank">${t('form.cancel')}</a></div></form>`;
  } catch (error) {
    body = await retryForms(request, errorMessage(request, error));
  }
  await sendPage(request, reply, { title: t('bank.preview_title'), body: html`<h1>${t('bank.preview_title')}</h1><p class="muted">${upload.filename}</p>${body}` });
}

/** Pages to import statement files: upload, preview (a dry run with balances and proposed matches), confirm. */
export async function bankImportPages(app: FastifyInstance): Promise<void> {
  app.get('/bank', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const t = request.t;
    const waiting = await reviewRepo.countReview(request.ctx.db);
    await sendPage(request, reply, { title: t('bank.title'), body: html`<h1>${t('bank.title')}</h1>
<div class="actions"><a class="button secondary" href="/bank/review">${t('bank.review_link', { count: waiting })}</a><a class="button secondary" href="/bank/transactions">${t('bank.transactions')}</a><a class="button secondary" href="/dues">${t('dues.title')}</a><a class="button secondary" href="/bank/rules">${t('bank.rules')}</a><a class="button secondary" href="/bank/profiles">${t('bank.profiles')}</a><a class="button secondary" href="/bank/accounts">${t('bank.accounts')}</a></div>
<h2>${t('bank.import_title')}</h2>${await uploadForm(request)}` });
  });
  app.post('/bank/import', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const fields = formBody(request);
    const file = fields.file;
    if (!Buffer.isBuffer(file) || !file.length) {
      await sendPage(request, reply, { title: request.t('bank.title'), body: html`<h1>${request.t('bank.import_title')}</h1>${await uploadForm(request, request.t('validation.required'))}`, status: 422 });
      return;
    }
    const id = await storeUpload(request.ctx.db, request.principal!.accountId, statementFileName(uploadName(request, 'file'), 'statement'), file);
    await reply.redirect(`/bank/import/${id}?${optionsQuery(fields)}`, 303);
  });
  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/bank/import/:id', { config: { access: 'dues:manage' } }, preview);
  app.post<{ Params: { id: string }; Querystring: Record<string, string> }>('/bank/import/:id', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const upload = await loadUpload(request.ctx.db, request.principal!.accountId, request.params.id);
    const options = validate(importOptions, request.query);
    const summary = await importAndAllocate(request.ctx.db, requestActor(request), upload.bytes, await importRequestOf(request.ctx.db, upload.filename, { ...options, dry_run: false }));
    await discardUpload(request.ctx.db, upload.id);
    setFlash(request, reply, { kind: 'info', key: 'bank.imported_flash', params: { added: summary.added, duplicates: summary.duplicates, automatic: summary.automatic, review: summary.toReview } });
    await reply.redirect(summary.toReview ? '/bank/review' : '/bank/transactions', 303);
  });
}
