import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../core/errors.js';
import type { SafeHtml } from '../views/html.js';
import { formState, type FormState } from '../views/form.js';
import { sendPage } from '../views/layout.js';
import { setFlash } from './cookies.js';
import type { MessageKey, Params } from '../i18n/index.js';

/** The submitted form fields without the CSRF token. */
export function formBody(request: FastifyRequest): Record<string, unknown> {
  const { _csrf: _ignored, ...fields } = (request.body ?? {}) as Record<string, unknown>;
  return fields;
}

const uploadNames = new WeakMap<FastifyRequest, Map<string, string>>();

/** Reads an uploaded file into the form body (multipart's onFile), keeping the name the browser gave it. */
export async function keepUploadName(this: FastifyRequest, part: MultipartFile): Promise<void> {
  await part.toBuffer();
  if (!part.filename) return;
  let names = uploadNames.get(this);
  if (!names) uploadNames.set(this, (names = new Map()));
  names.set(part.fieldname, part.filename);
}

/** The file name of an uploaded file field as the browser sent it (not sanitised), if any. */
export function uploadName(request: FastifyRequest, field: string): string | undefined {
  return uploadNames.get(request)?.get(field);
}

/** Runs a form action: on success flash and redirect (POST-redirect-GET), on a validation error re-render with the values and errors. */
export async function handleForm<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  action: (values: Record<string, unknown>) => Promise<T>,
  onSuccess: (result: T) => { redirect: string; flash?: MessageKey; params?: Params },
  render: (state: FormState) => { title: string; body: SafeHtml } | Promise<{ title: string; body: SafeHtml }>,
): Promise<void> {
  const values = formBody(request);
  try {
    const result = await action(values);
    const { redirect, flash, params } = onSuccess(result);
    if (flash) setFlash(request, reply, { kind: 'info', key: flash, params });
    await reply.redirect(redirect, 303);
  } catch (error) {
    if (!(error instanceof AppError) || (error.status !== 422 && error.status !== 409)) throw error;
    const fields = error instanceof ValidationError ? error.fields : { _: error.key };
    await sendPage(request, reply, { ...(await render(formState(values, fields))), status: 422 });
  }
}

const LOCAL_ORIGIN = 'http://local.invalid';

/** A local path to go back to after login or a language switch; anything that could leave the site becomes '/'. */
export function safeLocalPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || /[\s\\\u0000-\u001f\u007f]/.test(value)) return '/';
  try {
    const url = new URL(value, LOCAL_ORIGIN);
    return url.origin === LOCAL_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
