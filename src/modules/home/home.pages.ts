import type { FastifyInstance } from 'fastify';
import type { MessageKey } from '../../i18n/index.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { can } from '../accounts/principal.js';
import { MEMBERSHIP_STATUSES } from '../memberships/memberships.schema.js';
import { currentFiscalYear, membershipCounts } from '../memberships/memberships.service.js';
import { fiscalYearLabel, getSettings } from '../settings/settings.service.js';

/** The home page: the collective's name and this year's membership figures. */
export async function homePages(app: FastifyInstance): Promise<void> {
  app.get('/', { config: { access: 'authenticated' } }, async (request, reply) => {
    const db = request.ctx.db;
    const t = request.t;
    const settings = await getSettings(db);
    const year = await currentFiscalYear(db);
    const label = fiscalYearLabel(year, settings.fiscal_year_start_month);
    let figures = html``;
    if (can(request.principal, 'memberships:read')) {
      const counts = await membershipCounts(db, year);
      figures = html`<h2>${t('home.members_this_year', { year: label })}</h2><ul>${MEMBERSHIP_STATUSES.map((s) => html`<li><a href="/people?status=${s}&amp;year=${year}">${t(`memberships.status.${s}` as MessageKey)}</a>: ${counts[s] ?? 0}</li>`)}</ul>`;
    }
    await sendPage(request, reply, { title: settings.collective_name, body: html`<h1>${settings.collective_name}</h1><p>${t('app.tagline')}</p>${figures}` });
  });
}
