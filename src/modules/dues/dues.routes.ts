import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validate } from '../../core/validate.js';
import { ValidationError } from '../../core/errors.js';
import { uploadName } from '../../http/forms.js';
import { idParamOf, requestActor } from '../../http/request.js';
import { inTransaction } from '../../storage/database.js';
import { dispositionFileName, listTransactions, saveCsvProfileInput, statementFileName } from '../bank/bank.service.js';
import { addRule, listRules, removeRule } from './rules.service.js';
import { importOptions } from '../bank/bank.schema.js';
import { decideAllocation } from './allocation.service.js';
import { yearOf } from './dues.schema.js';
import { previewImport } from './import-preview.service.js';
import { importRequestOf } from './import-request.js';
import { duesOverview } from './overview.service.js';
import { importAndAllocate, reviewQueue, withAllocations } from './review.service.js';

function fileOf(request: FastifyRequest): Buffer {
  const body = request.body as unknown;
  const file = Buffer.isBuffer(body) ? body : (body as { file?: unknown } | undefined)?.file;
  if (!Buffer.isBuffer(file) || !file.length) throw new ValidationError({ file: 'validation.required' });
  return file;
}

// The uploaded file's name: ?filename=, the multipart part's name, or the Content-Disposition header; 'api' when none.
function fileNameOf(request: FastifyRequest): string {
  const asked = (request.query as Record<string, unknown>).filename;
  const given = typeof asked === 'string' && asked ? asked : uploadName(request, 'file') ?? dispositionFileName(request.headers['content-disposition']);
  return statementFileName(given, 'api');
}

/** JSON API: statement imports, movements with their allocations, decisions, and the dues of a year. */
export async function duesRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser(['application/octet-stream', 'text/plain', 'text/csv', 'application/xml', 'text/xml', 'application/x-ofx'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/api/v1/bank/imports', { config: { access: 'dues:manage' } }, async (request, reply) => {
    const options = validate(importOptions, request.query);
    const importRequest = await importRequestOf(request.ctx.db, fileNameOf(request), options);
    const run = options.dry_run ? previewImport : importAndAllocate; // a dry run lists the credits' proposals
    const summary = await run(request.ctx.db, requestActor(request), fileOf(request), importRequest);
    return reply.status(options.dry_run ? 200 : 201).send(summary);
  });
  app.get<{ Querystring: Record<string, string> }>('/api/v1/bank/transactions', { config: { access: 'dues:manage' } }, async (request) => {
    if (request.query.to_review === '1' || request.query.to_review === 'true') {
      const queue = await reviewQueue(request.ctx.db, Number(request.query.page) || 1, Math.min(500, Number(request.query.per_page) || 50));
      return { items: queue.items, total: queue.total, page: queue.page, per_page: queue.perPage };
    }
    const list = await listTransactions(request.ctx.db, request.query);
    return { items: await withAllocations(request.ctx.db, list.items.map((t) => t.id)), page: list.page, per_page: list.perPage, has_next: list.hasNext };
  });
  app.post('/api/v1/bank/transactions/:id/allocations', { config: { access: 'dues:manage' } }, async (request) => {
    const id = idParamOf(request);
    await inTransaction(request.ctx.db, (trx) => decideAllocation(trx, requestActor(request), id, request.body));
    return (await withAllocations(request.ctx.db, [id]))[0];
  });
  app.get('/api/v1/bank/rules', { config: { access: 'dues:manage' } }, async (request) => ({ items: await listRules(request.ctx.db) }));
  app.post('/api/v1/bank/rules', { config: { access: 'dues:manage' } }, async (request, reply) =>
    reply.status(201).send(await inTransaction(request.ctx.db, (trx) => addRule(trx, requestActor(request), request.body))));
  app.delete('/api/v1/bank/rules/:id', { config: { access: 'dues:manage' } }, async (request, reply) => {
    await inTransaction(request.ctx.db, (trx) => removeRule(trx, requestActor(request), idParamOf(request)));
    return reply.status(204).send();
  });
  app.put('/api/v1/bank/profiles', { config: { access: 'dues:manage' } }, async (request) =>
    inTransaction(request.ctx.db, (trx) => saveCsvProfileInput(trx, requestActor(request), request.body)));
  app.get<{ Params: { year: string } }>('/api/v1/dues/:year', { config: { access: 'dues:manage' } }, async (request) => duesOverview(request.ctx.db, yearOf(request.params.year)));
}
