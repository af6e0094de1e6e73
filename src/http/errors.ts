import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import type { MessageKey } from '../i18n/index.js';
import { html } from '../views/html.js';
import { sendPage } from '../views/layout.js';
import { wantsJson } from './hooks.js';

function fromFramework(error: FastifyError): AppError {
  const status = error.statusCode ?? 500;
  if (status === 429) return new AppError(429, 'rate_limited', 'error.rate_limited');
  if (status === 413) return new AppError(413, 'too_large', 'error.too_large');
  if (status >= 400 && status < 500) return new AppError(status, 'bad_request', 'error.bad_request');
  return new AppError(500, 'internal', 'error.internal');
}

/** Answers an error as JSON `{ error: { code, message } }` or as a page, by what the caller accepts. */
export async function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): Promise<void> {
  const message = request.t(error.key as MessageKey, error.params);
  if (wantsJson(request)) {
    const fields = Object.keys(error.fields).length
      ? Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, request.t(v)]))
      : undefined;
    await reply.status(error.status).send({ error: { code: error.code, message, ...(fields ? { fields } : {}) } });
    return;
  }
  if (error.status === 401 && request.method === 'GET') {
    await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
    return;
  }
  await sendPage(request, reply, {
    title: request.t('error.title'),
    body: html`<h1>${request.t('error.title')} ${error.status}</h1><p class="error">${message}</p><p><a href="/">Ruche</a></p>`,
    status: error.status,
  });
}

/** One error handler for the whole server; 5xx details go to the log only. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const appError = error instanceof AppError ? error : fromFramework(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    await sendError(request, reply, appError);
  });
  app.setNotFoundHandler(async (request, reply) => {
    await sendError(request, reply, new AppError(404, 'not_found', 'error.not_found'));
  });
}
