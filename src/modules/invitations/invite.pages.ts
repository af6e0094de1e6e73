import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { inTransaction } from '../../storage/database.js';
import { csrfField, errorSummary, type FormState, formState } from '../../views/form.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { getSettings } from '../settings/settings.service.js';
import { acceptInvitation, type InvitationView, openInvitation } from './invitations.service.js';
import { newMemberFields } from './new-member.view.js';
import { signInNewAccount } from './sign-in.js';

// Public pages: a few tries a minute per address are plenty for a person, and slow down anyone probing links.
const PUBLIC_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };
const SUBMIT_LIMIT = { rateLimit: { max: 10, timeWindow: '1 minute' } };

async function invitePage(request: FastifyRequest, token: string, invitation: InvitationView, state: FormState) {
  const t = request.t;
  const { collective_name } = await getSettings(request.ctx.db);
  const title = t('invite.title', { collective: collective_name });
  const intro = invitation.created_by ? t('invite.intro', { name: invitation.created_by.username }) : t('invite.intro_anonymous');
  return {
    title,
    body: html`<h1>${title}</h1><p>${intro}</p><p class="muted">${t('invite.expires', { date: invitation.expires_at.slice(0, 10) })}</p>
${errorSummary(t, state)}<form method="post" action="/invite/${token}">${csrfField(request)}
${newMemberFields(request, state)}
<div class="actions"><button>${t('invite.submit')}</button></div></form>`,
  };
}

/** A used, expired, revoked or unknown link: a page that says which, and where to go. */
async function linkErrorPage(request: FastifyRequest, reply: FastifyReply, error: AppError): Promise<void> {
  const t = request.t;
  await sendPage(request, reply, {
    title: t('invitations.link_title'),
    body: html`<h1>${t('invitations.link_title')}</h1><p class="error" role="alert">${t(error.key, error.params)}</p><p><a href="/login">${t('nav.login')}</a></p>`,
    status: error.status,
  });
}

const isLinkError = (error: unknown): error is AppError => error instanceof AppError && error.code.startsWith('invitation_');

/** The invitee's side: the form behind an invitation link, creating the account and logging it in. */
export async function invitePages(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { token: string } }>('/invite/:token', { config: { access: 'public', ...PUBLIC_LIMIT } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      const invitation = await openInvitation(request.ctx.db, request.params.token);
      await sendPage(request, reply, await invitePage(request, request.params.token, invitation, formState()));
    } catch (error) {
      if (!isLinkError(error)) throw error;
      await linkErrorPage(request, reply, error);
    }
  });
  app.post<{ Params: { token: string } }>('/invite/:token', { config: { access: 'public', ...SUBMIT_LIMIT } }, async (request, reply) => {
    const { token } = request.params;
    const values = formBody(request);
    reply.header('cache-control', 'no-store');
    try {
      const account = await inTransaction(request.ctx.db, (trx) => acceptInvitation(trx, token, values, request.locale));
      await signInNewAccount(request, reply, account.id);
      setFlash(request, reply, { kind: 'info', key: 'invite.welcome', params: { username: account.username } });
      await reply.redirect('/account', 303);
    } catch (error) {
      if (isLinkError(error)) return linkErrorPage(request, reply, error);
      if (!(error instanceof AppError) || (error.status !== 422 && error.status !== 409)) throw error;
      const fields = error.status === 409 ? { username: 'invitations.username_taken' as const } : error.fields;
      const invitation = await openInvitation(request.ctx.db, token);
      await sendPage(request, reply, { ...(await invitePage(request, token, invitation, formState(values, fields))), status: 422 });
    }
  });
}
