import type { FastifyInstance } from 'fastify';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { addBankAccount, bankAccounts, relabelBankAccount } from './accounts.service.js';

/** JSON API: the collective's bank accounts (list, add, label). */
export async function bankAccountsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/bank/accounts', { config: { access: 'dues:manage' } }, async (request) => ({ items: await bankAccounts(request.ctx.db) }));
  app.post('/api/v1/bank/accounts', { config: { access: 'dues:manage' } }, async (request, reply) =>
    reply.status(201).send(await inTransaction(request.ctx.db, (trx) => addBankAccount(trx, requestActor(request), request.body ?? {}))));
  app.patch('/api/v1/bank/accounts/:id', { config: { access: 'dues:manage' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => relabelBankAccount(trx, requestActor(request), idParamOf(request), request.body ?? {})));
}
