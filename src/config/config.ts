import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Kinds of value an option can hold; each parses a string or explains why it cannot. */
type Kind = 'string' | 'port' | 'url' | 'secret' | 'level';

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
  /** Where each value came from, for `ruche config`. */
  sources: Record<OptionName, string>;
}

/** Raised when an option has an invalid value; the message names the variable. */
export class ConfigError extends Error {}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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
  };
  return (Object.keys(OPTIONS) as OptionName[]).map((name) => {
    const spec: OptionSpec = OPTIONS[name];
    let value = shown[name];
    if (spec.secret && value) value = redact(name, value);
    return { name, value, source: config.sources[name], doc: spec.doc };
  });
}

function redact(name: string, value: string): string {
  if (name === 'DATABASE_URL') {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  }
  return '***';
}
