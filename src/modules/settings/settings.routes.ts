import type { FastifyInstance } from 'fastify';
import { requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { getSettings, updateSettings } from './settings.service.js';

/** JSON API for the collective's settings. */
export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/settings', { config: { access: 'settings:manage' } }, async (request) => getSettings(request.ctx.db));
  app.put('/api/v1/settings', { config: { access: 'settings:manage' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => updateSettings(trx, requestActor(request), request.body)));
}
