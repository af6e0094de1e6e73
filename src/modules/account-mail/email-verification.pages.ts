import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { requestActor } from '../../http/request.js';
import type { MessageKey, Params } from '../../i18n/index.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { MailError, mailConfigured, sendMail } from '../mail/mail.service.js';
import { type AccountEmail, emailsOfAccount, requestEmailVerification, verifyEmail } from './email-verification.service.js';
import { sendLinkInvalid } from './password-reset.pages.js';

function emailRow(request: FastifyRequest, row: AccountEmail, canSend: boolean) {
  const t = request.t;
  const status = row.verifiedAt ? t('account_mail.verified_on', { date: row.verifiedAt.slice(0, 10) }) : t('account_mail.not_verified');
  const send = !row.verifiedAt && canSend
    ? html`<form method="post" action="/account/emails/verify">${csrfField(request)}<input type="hidden" name="email" value="${row.email}"><button class="secondary">${t('account_mail.send_verification')}</button></form>`
    : '';
  return html`<tr><td>${row.email}</td><td>${status}</td><td>${send}</td></tr>`;
}

async function emailsPage(request: FastifyRequest, problem?: { key: MessageKey; params?: Params }, status = 200) {
  const t = request.t;
  const emails = await emailsOfAccount(request.ctx.db, request.principal!.accountId);
  const canSend = mailConfigured(request.ctx.config);
  const table = emails.length
    ? html`<table><thead><tr><th>${t('people.email')}</th><th>${t('account_mail.verification')}</th><th></th></tr></thead><tbody>${emails.map((row) => emailRow(request, row, canSend))}</tbody></table>`
    : html`<p>${t('account_mail.no_emails')}</p>`;
  return {
    title: t('account_mail.emails_title'), status,
    body: html`<h1>${t('account_mail.emails_title')}</h1>${problem ? html`<p class="errors" role="alert">${t(problem.key, problem.params)}</p>` : ''}
<p class="muted">${t('account_mail.emails_intro')}</p>${canSend ? '' : html`<p class="errors">${t('mail.not_configured')}</p>`}
${table}<p><a href="/account">${t('accounts.mine')}</a></p>`,
  };
}

// The link is sent before the answer: a failure is shown to the person who asked, never swallowed.
async function postVerify(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const me = request.principal!.accountId;
  try {
    const mail = await inTransaction(request.ctx.db, (trx) => requestEmailVerification(trx, request.ctx.config, requestActor(request), me, formBody(request)));
    await sendMail(request.ctx.config, mail);
    setFlash(request, reply, { kind: 'info', key: 'account_mail.verification_sent', params: { email: mail.to } });
    await reply.redirect('/account/emails', 303);
  } catch (error) {
    if (!(error instanceof AppError) || ![422, 429, 502, 503].includes(error.status)) throw error;
    if (error instanceof MailError) request.server.log.error({ mail: error.failure }, 'verification mail not sent');
    const key = (Object.values(error.fields)[0] ?? error.key) as MessageKey;
    await sendPage(request, reply, await emailsPage(request, { key, params: error.params }, error.status));
  }
}

/** The account's own addresses with their verification, sending a verification link, and the page the link opens. */
export async function emailVerificationPages(app: FastifyInstance): Promise<void> {
  app.get('/account/emails', { config: { access: 'authenticated' } }, async (request, reply) => sendPage(request, reply, await emailsPage(request)));
  app.post('/account/emails/verify', { config: { access: 'authenticated' } }, postVerify);
  app.get<{ Params: { token: string } }>('/verify-email/:token', { config: { access: 'public' } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      const { email } = await inTransaction(request.ctx.db, (trx) => verifyEmail(trx, request.params.token));
      const t = request.t;
      await sendPage(request, reply, { title: t('account_mail.emails_title'), body: html`<h1>${t('account_mail.emails_title')}</h1><p class="flash" role="status">${t('account_mail.email_verified', { email })}</p><p><a href="/account/emails">${t('account_mail.emails_title')}</a></p>` });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 410) throw error;
      await sendLinkInvalid(request, reply, '/account/emails');
    }
  });
}
