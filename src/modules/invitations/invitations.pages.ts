import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../../core/errors.js';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { type FormState, formState } from '../../views/form.js';
import { html, type SafeHtml } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { can } from '../accounts/principal.js';
import { createInvitation, invitationLink, invitationScopeOf, listInvitations, revokeInvitation } from './invitations.service.js';
import { createdLink, invitationForm, invitationsTable } from './invitations.view.js';

async function invitationsPage(request: FastifyRequest, state: FormState, created: SafeHtml = html``) {
  const t = request.t;
  const principal = request.principal!;
  const all = can(principal, 'accounts:manage');
  const invitations = await listInvitations(request.ctx.db, invitationScopeOf(principal));
  return {
    title: t('invitations.title'),
    body: html`<h1>${t('invitations.title')}</h1>${created}<p>${t('invitations.intro')}</p>
${invitationForm(request, state)}
<h2>${t(all ? 'invitations.all' : 'invitations.mine')}</h2>${invitationsTable(request, invitations, all)}`,
  };
}

/** The sponsor's pages: create invitation links (shown once), see their status, revoke open ones. */
export async function invitationsPages(app: FastifyInstance): Promise<void> {
  app.get('/invitations', { config: { access: 'invitations:create' } }, async (request, reply) =>
    sendPage(request, reply, await invitationsPage(request, formState({ days: 7 }))));
  app.post('/invitations', { config: { access: 'invitations:create' } }, async (request, reply) => {
    const values = formBody(request);
    try {
      const { token } = await inTransaction(request.ctx.db, (trx) =>
        createInvitation(trx, requestActor(request), values, request.principal));
      // The link is in this page only: never cached, never in a redirect.
      reply.header('cache-control', 'no-store');
      await sendPage(request, reply, await invitationsPage(request, formState({ days: 7 }), createdLink(request, invitationLink(request.ctx.config.publicUrl, token))));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await sendPage(request, reply, { ...(await invitationsPage(request, formState(values, error.fields))), status: 422 });
    }
  });
  app.post('/invitations/:id/revoke', { config: { access: 'invitations:create' } }, async (request, reply) => {
    const principal = request.principal!;
    try {
      await inTransaction(request.ctx.db, (trx) => revokeInvitation(trx, requestActor(request), idParamOf(request), invitationScopeOf(principal)));
      setFlash(request, reply, { kind: 'info', key: 'invitations.revoked' });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      setFlash(request, reply, { kind: 'error', key: error.key });
    }
    await reply.redirect('/invitations', 303);
  });
}
