// Vitest globalSetup: gives the tests a PostgreSQL database, a throwaway local cluster when none is configured.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL database for tests, '' when there is none. */
    testDatabaseUrl: string;
    /** Why there is no PostgreSQL for tests, '' when there is one. */
    postgresUnavailable: string;
  }
}

interface Cluster {
  dir: string;
  bin: string;
  asPostgres: boolean;
  port: number;
}

/** Finds the newest PostgreSQL server binaries installed by Debian, or '' when there are none. */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return '';
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions.length ? join(root, versions[0], 'bin') : '';
}

function postgresUid(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(cluster: Cluster, tool: string, args: string[]): void {
  const command = join(cluster.bin, tool);
  const [file, argv] = cluster.asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: cluster.dir });
}

function configure(cluster: Cluster): void {
  const settings = [
    "listen_addresses = '127.0.0.1'",
    `port = ${cluster.port}`,
    `unix_socket_directories = '${cluster.dir}'`,
    'fsync = off',
    'full_page_writes = off',
    'synchronous_commit = off',
    'max_connections = 200',
  ];
  appendFileSync(join(cluster.dir, 'data', 'postgresql.conf'), `\n${settings.join('\n')}\n`);
}

function stop(cluster: Cluster): void {
  const command = join(cluster.bin, 'pg_ctl');
  const args = ['stop', '-D', join(cluster.dir, 'data'), '-m', 'fast', '-w'];
  const [file, argv] = cluster.asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  spawnSync(file, argv, { stdio: 'ignore' });
  rmSync(cluster.dir, { recursive: true, force: true });
}

function logTail(cluster: Cluster): string {
  const log = join(cluster.dir, 'postgres.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
}

async function startCluster(bin: string): Promise<Cluster> {
  const asPostgres = process.getuid?.() === 0;
  const owner = asPostgres ? postgresUid() : undefined;
  if (asPostgres && !owner) throw new Error('running as root and there is no postgres user to run initdb');
  const cluster: Cluster = { dir: mkdtempSync(join(tmpdir(), 'ruche-pg-')), bin, asPostgres, port: await freePort() };
  if (owner) chownSync(cluster.dir, owner.uid, owner.gid);
  try {
    run(cluster, 'initdb', ['-D', join(cluster.dir, 'data'), '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    configure(cluster);
    run(cluster, 'pg_ctl', ['start', '-D', join(cluster.dir, 'data'), '-l', join(cluster.dir, 'postgres.log'), '-w', '-t', '60']);
  } catch (error) {
    const tail = logTail(cluster);
    stop(cluster);
    throw new Error(`${(error as Error).message.split('\n')[0]}${tail ? `\n${tail}` : ''}`);
  }
  return cluster;
}

async function createDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query('CREATE DATABASE ruche_test');
  } finally {
    await client.end();
  }
}

// Extensions are per database, not per schema: created once here, so the parallel test schemas' migrations find it.
async function prepareDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  } catch (error) {
    console.log(`PostgreSQL for tests: pg_trgm unavailable (${(error as Error).message}); search runs without its index`);
  } finally {
    await client.end();
  }
}

function serverVersion(bin: string): string {
  return execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
}

/** Starts a throwaway PostgreSQL cluster unless TEST_DATABASE_URL is set; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.TEST_DATABASE_URL ?? '';
  const provide = (url: string, why: string) => {
    project.provide('testDatabaseUrl', url);
    project.provide('postgresUnavailable', why);
  };
  if (given) {
    console.log(`PostgreSQL for tests: TEST_DATABASE_URL (${given.replace(/\/\/[^@/]*@/, '//***@')})`);
    await prepareDatabase(given);
    provide(given, '');
    return () => {};
  }
  const bin = findPostgresBin();
  if (!bin) {
    const why = 'no TEST_DATABASE_URL and no PostgreSQL server in /usr/lib/postgresql/*/bin';
    console.log(`PostgreSQL for tests: none (${why})`);
    provide('', why);
    return () => {};
  }
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster(bin);
    await createDatabase(cluster.port);
  } catch (error) {
    if (cluster) stop(cluster);
    const why = `could not start a throwaway PostgreSQL from ${bin}: ${(error as Error).message}`;
    console.log(`PostgreSQL for tests: none (${why})`);
    provide('', why);
    return () => {};
  }
  const url = `postgres://postgres@127.0.0.1:${cluster.port}/ruche_test`;
  await prepareDatabase(url);
  process.env.TEST_DATABASE_URL = url;
  provide(url, '');
  console.log(`PostgreSQL for tests: throwaway ${serverVersion(bin)} on 127.0.0.1:${cluster.port} in ${cluster.dir}`);
  const started = cluster;
  const onExit = () => stop(started);
  process.once('exit', onExit);
  return () => {
    process.off('exit', onExit);
    stop(started);
  };
}
