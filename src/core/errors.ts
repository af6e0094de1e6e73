import type { MessageKey, Params } from '../i18n/index.js';

/** Field name -> translation key of what is wrong with it. */
export type FieldErrors = Record<string, MessageKey>;

/** The one error type: an HTTP status, a stable code, a translatable message; exposed to users when < 500. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly params: Params = {},
    readonly fields: FieldErrors = {},
  ) {
    super(`${code}: ${key}`);
  }
}

/** Input that failed validation; `fields` says which field and why. */
export class ValidationError extends AppError {
  constructor(fields: FieldErrors, key: MessageKey = 'error.validation', params: Params = {}) {
    super(422, 'validation_failed', key, params, fields);
  }
}

/** The thing asked for does not exist (or is not visible to the caller). */
export function notFound(key: MessageKey = 'error.not_found'): AppError {
  return new AppError(404, 'not_found', key);
}

/** The caller lacks the permission. */
export function forbidden(): AppError {
  return new AppError(403, 'forbidden', 'error.forbidden');
}

/** The caller is not authenticated. */
export function unauthorized(): AppError {
  return new AppError(401, 'unauthorized', 'error.unauthorized');
}

/** The request conflicts with the current state (e.g. a name already taken). */
export function conflict(key: MessageKey, params: Params = {}): AppError {
  return new AppError(409, 'conflict', key, params);
}
