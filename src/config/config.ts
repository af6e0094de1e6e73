import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Kinds of value an option can hold; each parses a string or explains why it cannot. */
type Kind = 'string' | 'port' | 'url' | 'secret' | 'level' | 'smtp' | 'mailbox';

interface OptionSpec {
  kind: Kind;
  doc: string;
  default?: string;
  secret?: boolean;
}

/** The one table of Ruche's options: environment variables, or keys of the optional RUCHE_CONFIG file. */
export const OPTIONS = {
  PORT: { kind: 'port', default: '8080', doc: 'TCP port the server listens on' },
  HOST: { kind: 'string', default: '127.0.0.1', doc: 'address the server listens on' },
  RUCHE_DATA_DIR: { kind: 'string', default: './data', doc: 'folder for the SQLite database and generated files' },
  DATABASE_URL: { kind: 'url', default: '', secret: true, doc: 'postgres://... switches to PostgreSQL; empty means SQLite in the data folder' },
  RUCHE_PUBLIC_URL: { kind: 'url', default: '', doc: 'the address people use to reach Ruche (defaults to http://HOST:PORT)' },
  RUCHE_SECRET: { kind: 'secret', default: '', secret: true, doc: 'secret for cookies and tokens (generated into the data folder when empty)' },
  RUCHE_LOG_LEVEL: { kind: 'level', default: 'info', doc: 'fatal, error, warn, info, debug or silent' },
  RUCHE_SMTP_URL: { kind: 'smtp', default: '', secret: true, doc: 'smtp://user:pass@host:587 or smtps://host:465 to send mail (password reset, verification); empty: no mail' },
  RUCHE_MAIL_FROM: { kind: 'mailbox', default: '', doc: 'sender of Ruche\'s mails, e.g. "Ruche <ruche@example.org>" (defaults to noreply@ the public host)' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** The effective configuration, typed. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  publicUrl: string;
  secret: string;
  logLevel: string;
  /** SMTP server URL (with credentials: a secret); empty when Ruche sends no mail. */
  smtpUrl: string;
  /** The From of Ruche's mails. */
  mailFrom: string;
  /** Where each value came from, for `ruche config`. */
  sources: Record<OptionName, string>;
}

/** Raised when an option has an invalid value; the message names the variable. */
export class ConfigError extends Error {}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// An address, alone or as `Name <address>`.
const MAILBOX = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

// The URL itself is never put in the message: it may hold the SMTP password.
function checkSmtpUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: not a valid URL (expected smtp://user:password@host:port or smtps://...)`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError(`${name}: only smtp:// and smtps:// URLs are supported`);
  if (!url.hostname) throw new ConfigError(`${name}: the URL names no host`);
}

/** The From address used when RUCHE_MAIL_FROM is empty: noreply@ the public host. */
function defaultMailFrom(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  const domain = host.includes('.') && !/^[\d.]+$/.test(host) ? host : 'localhost';
  return `Ruche <noreply@${domain}>`;
}

function check(name: string, kind: Kind, value: string): void {
  if (kind === 'port') {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > 65535) throw new ConfigError(`${name}: "${value}" is not a port number (0-65535)`);
  } else if (kind === 'url' && value !== '') {
    try {
      const url = new URL(value);
      if (name === 'DATABASE_URL' && !/^postgres(ql)?:$/.test(url.protocol)) {
        throw new ConfigError(`${name}: only postgres:// URLs are supported (leave it empty for SQLite)`);
      }
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`${name}: "${value}" is not a valid URL`);
    }
  } else if (kind === 'smtp' && value !== '') {
    checkSmtpUrl(name, value);
  } else if (kind === 'mailbox' && value !== '' && !MAILBOX.test(value)) {
    throw new ConfigError(`${name}: "${value}" is not an address such as ruche@example.org or "Ruche <ruche@example.org>"`);
  } else if (kind === 'level' && !LEVELS.includes(value)) {
    throw new ConfigError(`${name}: "${value}" is not one of ${LEVELS.join(', ')}`);
  } else if (kind === 'secret' && value !== '' && value.length < 16) {
    throw new ConfigError(`${name}: a secret needs at least 16 characters`);
  }
}

function readConfigFile(env: NodeJS.ProcessEnv): Record<string, string> {
  const path = env.RUCHE_CONFIG;
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`RUCHE_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new ConfigError(`RUCHE_CONFIG: ${path} must hold a JSON object`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in OPTIONS)) throw new ConfigError(`RUCHE_CONFIG: unknown option ${key} in ${path}`);
    out[key] = String(value);
  }
  return out;
}

function rawValue(name: OptionName, env: NodeJS.ProcessEnv, file: Record<string, string>): [string, string] {
  const fileVar = env[`${name}_FILE`];
  if (fileVar) {
    try {
      return [readFileSync(fileVar, 'utf8').trim(), `${name}_FILE`];
    } catch {
      throw new ConfigError(`${name}_FILE: cannot read ${fileVar}`);
    }
  }
  const fromEnv = env[name];
  if (fromEnv !== undefined && fromEnv !== '') return [fromEnv, 'environment'];
  if (file[name] !== undefined) return [file[name], 'config file'];
  return [OPTIONS[name].default ?? '', 'default'];
}

/** Reads, validates and completes the configuration; stops with a ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = readConfigFile(env);
  const values = {} as Record<OptionName, string>;
  const sources = {} as Record<OptionName, string>;
  for (const name of Object.keys(OPTIONS) as OptionName[]) {
    const [value, source] = rawValue(name, env, file);
    check(name, OPTIONS[name].kind, value);
    values[name] = value;
    sources[name] = source;
  }
  const port = Number(values.PORT);
  const dataDir = resolve(values.RUCHE_DATA_DIR);
  const publicUrl = (values.RUCHE_PUBLIC_URL || `http://${values.HOST}:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: values.HOST,
    dataDir,
    databaseUrl: values.DATABASE_URL,
    publicUrl,
    secret: values.RUCHE_SECRET,
    logLevel: values.RUCHE_LOG_LEVEL,
    smtpUrl: values.RUCHE_SMTP_URL,
    mailFrom: values.RUCHE_MAIL_FROM || defaultMailFrom(publicUrl),
    sources,
  };
}

/** Returns the configured secret, or one generated once and kept in the data folder. */
export function ensureSecret(config: Config): string {
  if (config.secret) return config.secret;
  const path = join(config.dataDir, 'secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The configuration as `ruche config` prints it, secrets redacted. */
export function describeConfig(config: Config): { name: string; value: string; source: string; doc: string }[] {
  const shown: Record<OptionName, string> = {
    PORT: String(config.port),
    HOST: config.host,
    RUCHE_DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl,
    RUCHE_PUBLIC_URL: config.publicUrl,
    RUCHE_SECRET: config.secret,
    RUCHE_LOG_LEVEL: config.logLevel,
    RUCHE_SMTP_URL: config.smtpUrl,
    RUCHE_MAIL_FROM: config.mailFrom,
  };
  return (Object.keys(OPTIONS) as OptionName[]).map((name) => {
    const spec: OptionSpec = OPTIONS[name];
    let value = shown[name];
    if (spec.secret && value) value = redact(name, value);
    return { name, value, source: config.sources[name], doc: spec.doc };
  });
}

function redact(name: string, value: string): string {
  if (name === 'DATABASE_URL' || name === 'RUCHE_SMTP_URL') {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  }
  return '***';
}
