import type { ParseArgsConfig } from 'node:util';
import type { Actor } from '../core/actor.js';
import { AppError } from '../core/errors.js';
import type { Permission } from '../core/permissions.js';
import { type Locale, negotiateLocale, t } from '../i18n/index.js';
import type { AppContext } from '../http/context.js';
import type { Principal } from '../modules/accounts/principal.js';

/** What a command's run() receives: parsed options, positionals, and (when it needs it) the open app. */
export interface CommandInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  ctx: AppContext;
  principal: Principal;
  actor: Actor;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** One CLI command: its words, help text, options, the permission it checks, and what it does. */
export interface Command {
  words: string[];
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Permission checked against the `--as` account; null for maintenance commands that need no account. */
  permission: Permission | null;
  /** False for commands that do not open the database (e.g. `config`). */
  needsDatabase?: boolean;
  run(input: CommandInput): Promise<number>;
}

/** Writes a line. */
export function println(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Reads all of standard input (for --password-stdin), without the final newline. */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The operator's language, from the usual locale variables (fr_BE.UTF-8 -> fr), read at each call. */
export function cliLocale(): Locale {
  return negotiateLocale(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);
}

/** An error as the operator reads it: an AppError's message (and its fields) in the operator's language, else its own text. */
export function describeError(error: unknown, locale: Locale = cliLocale()): string {
  if (error instanceof AppError) {
    const fields = Object.entries(error.fields).map(([field, key]) => `  ${field}: ${t(locale, key)}`);
    return [t(locale, error.key, error.params), ...fields].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}
