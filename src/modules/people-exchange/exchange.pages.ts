import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, unauthorized } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { setFlash } from '../../http/cookies.js';
import { formBody } from '../../http/forms.js';
import { requestActor } from '../../http/request.js';
import { html } from '../../views/html.js';
import { sendPage } from '../../views/layout.js';
import { currentFiscalYear } from '../memberships/memberships.service.js';
import { columnFieldsInput, EXPORT_FORMATS, exportFormatInput, importActionInput, readOptionsInput } from './exchange.schema.js';
import { acceptUpload, discardUpload, loadUpload } from './exchange.service.js';
import { exportPeople } from './export.service.js';
import { readImport } from './import.read.js';
import { type ImportResult, importPeople } from './import.service.js';
import { importPage, type ReadChoice, rereadPage, uploadPage } from './import.view.js';

function accountOf(request: FastifyRequest): number {
  if (!request.principal) throw unauthorized();
  return request.principal.accountId;
}

/** The reading choices sent by a form or a query, kept as typed for the next form. */
function choiceOf(values: Record<string, unknown>): ReadChoice {
  const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : 'auto');
  return { delimiter: pick(values.delimiter), encoding: pick(values.encoding) };
}

/** The web form's column choices (`map_0`, `map_1`, ...), in column order. */
function fieldsOf(values: Record<string, unknown>) {
  const fields: unknown[] = [];
  for (let i = 0; `map_${i}` in values; i++) fields.push(values[`map_${i}`]);
  return validate(columnFieldsInput, fields);
}

async function showMapping(request: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown>, outcome: { result?: ImportResult; error?: AppError } = {}) {
  const upload = await loadUpload(request.ctx.db, accountOf(request), id);
  const choice = choiceOf(values);
  const options = validate(readOptionsInput, choice);
  const t = request.t;
  try {
    const read = readImport(upload.bytes, { ...options, fields: values.map_0 === undefined ? undefined : fieldsOf(values) });
    const error = outcome.error ? t(outcome.error.key, outcome.error.params) : undefined;
    const failed = !!error || !!outcome.result?.errors.length;
    await sendPage(request, reply, { ...importPage(request, { uploadId: id, read, choice, result: outcome.result, error }), status: failed ? 422 : 200 });
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 422) throw error;
    await sendPage(request, reply, { ...rereadPage(request, id, choice, t(error.key, error.params)), status: 422 });
  }
}

async function runImport(request: FastifyRequest, reply: FastifyReply, id: string): Promise<void> {
  const values = formBody(request);
  const upload = await loadUpload(request.ctx.db, accountOf(request), id);
  const dryRun = importActionInput.parse(values.action) === 'dry_run';
  const options = { ...validate(readOptionsInput, choiceOf(values)), fields: fieldsOf(values), dryRun };
  let result: ImportResult;
  try {
    result = await importPeople(request.ctx.db, requestActor(request), upload.bytes, options);
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 422) throw error;
    return showMapping(request, reply, id, values, { error });
  }
  if (dryRun || result.errors.length) return showMapping(request, reply, id, values, { result });
  await discardUpload(request.ctx.db, id);
  setFlash(request, reply, { kind: 'info', key: 'exchange.imported', params: { created: result.created, unchanged: result.unchanged } });
  await reply.redirect('/people', 303);
}

async function upload(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const values = formBody(request);
  const choice = choiceOf(values);
  const bytes = Buffer.isBuffer(values.file) ? values.file : Buffer.from(typeof values.file === 'string' ? values.file : '');
  try {
    const id = await acceptUpload(request.ctx.db, accountOf(request), bytes, validate(readOptionsInput, choice));
    const query = new URLSearchParams(Object.entries(choice).filter(([, v]) => v !== 'auto')).toString();
    await reply.redirect(`/people/import/${id}${query ? `?${query}` : ''}`, 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 422) throw error;
    await sendPage(request, reply, { ...uploadPage(request, choice, request.t(error.key, error.params)), status: 422 });
  }
}

async function exportChoice(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const t = request.t;
  const year = await currentFiscalYear(request.ctx.db);
  const links = EXPORT_FORMATS.map((f) => html`<a class="button${f === 'csv' ? '' : ' secondary'}" href="/people/export.${f}" download>${t('exchange.download')}: ${t(`exchange.format.${f}`)}</a>`);
  await sendPage(request, reply, {
    title: t('exchange.export_title'),
    body: html`<h1>${t('exchange.export_title')}</h1><p>${t('exchange.export_intro', { year })}</p><p class="actions">${links}</p>`,
  });
}

/** The import pages (upload, map and check, import) and the export page with its downloads. */
export async function exchangePages(app: FastifyInstance): Promise<void> {
  app.get('/people/import', { config: { access: 'people:import' } }, async (request, reply) => {
    await sendPage(request, reply, uploadPage(request, choiceOf({})));
  });
  app.post('/people/import', { config: { access: 'people:import' } }, upload);
  app.get<{ Params: { id: string } }>('/people/import/:id', { config: { access: 'people:import' } }, async (request, reply) =>
    showMapping(request, reply, request.params.id, request.query as Record<string, unknown>));
  app.post<{ Params: { id: string } }>('/people/import/:id', { config: { access: 'people:import' } }, async (request, reply) =>
    runImport(request, reply, request.params.id));
  app.get('/people/export', { config: { access: 'people:export' } }, exportChoice);
  for (const format of EXPORT_FORMATS) {
    app.get(`/people/export.${format}`, { config: { access: 'people:export' } }, async (request, reply) => {
      const file = await exportPeople(request.ctx.db, requestActor(request), validate(exportFormatInput, format), request.locale);
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
    });
  }
}
