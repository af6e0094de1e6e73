import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { requestActor } from '../../http/request.js';
import { exportFormatInput, importOptionsInput } from './exchange.schema.js';
import { exportPeople } from './export.service.js';
import { importPeople, importReport } from './import.service.js';

/** The raw file of an API import: a CSV body (text/csv, application/octet-stream or text/plain). */
function fileOf(request: FastifyRequest): Buffer {
  if (Buffer.isBuffer(request.body)) return request.body;
  if (typeof request.body === 'string') return Buffer.from(request.body, 'utf-8');
  throw new AppError(415, 'unsupported_media_type', 'error.bad_request');
}

/** JSON API of the people import (raw CSV body) and export (file download). */
export async function exchangeRoutes(app: FastifyInstance): Promise<void> {
  // Scoped to this plugin: the raw bytes are kept, so the reader can detect UTF-8 or Windows-1252 itself.
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/api/v1/people/import', { config: { access: 'people:import' } }, async (request, reply) => {
    const query = validate(importOptionsInput, request.query ?? {});
    const options = { delimiter: query.delimiter, encoding: query.encoding, map: query.map, dryRun: query.dry_run };
    const result = await importPeople(request.ctx.db, requestActor(request), fileOf(request), options);
    const report = importReport(result, request.t);
    if (!result.errors.length) return reply.status(200).send(report);
    const message = request.t('exchange.invalid_rows', { count: result.errors.length });
    return reply.status(422).send({ error: { code: 'import_invalid', message, rows: report.errors }, ...report });
  });

  app.get('/api/v1/people/export', { config: { access: 'people:export' } }, async (request, reply) => {
    const format = validate(exportFormatInput, (request.query as Record<string, unknown>).format);
    const file = await exportPeople(request.ctx.db, requestActor(request), format, request.locale);
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
  });
}
