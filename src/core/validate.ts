import type { z } from 'zod';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import { type FieldErrors, ValidationError } from './errors.js';

function keyFor(issue: z.core.$ZodIssue): MessageKey {
  if (isMessageKey(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      return issue.minimum === 1 && issue.origin === 'string' ? 'validation.required' : 'validation.too_small';
    case 'too_big':
      return 'validation.too_long';
    case 'invalid_format':
      return issue.format === 'email' ? 'validation.email' : 'validation.format';
    case 'invalid_value':
      return 'validation.choice';
    case 'invalid_type':
      return issue.input === undefined ? 'validation.required' : 'validation.format';
    default:
      return 'validation.format';
  }
}

/** Parses input with a zod schema; on failure throws a ValidationError keyed by field, shared by pages, API and CLI. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : '_';
    if (!fields[field]) fields[field] = keyFor(issue);
  }
  throw new ValidationError(fields);
}
