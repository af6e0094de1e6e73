// A throwaway PostgreSQL cluster, for the tests (global-postgres.ts) and the bank bench (plain JavaScript, so that
// `node bench/bank.js` runs it too): Debian's newest server binaries, initdb as the postgres user (through runuser)
// when running as root, loopback port, fsync off.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest PostgreSQL server binaries installed by Debian, or '' when there are none. */
export function findPostgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return '';
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions.length ? join(root, versions[0], 'bin') : '';
}

function postgresUid() {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function command(cluster, tool, args) {
  const file = join(cluster.bin, tool);
  return cluster.asPostgres ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function run(cluster, tool, args) {
  const [file, argv] = command(cluster, tool, args);
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: cluster.dir, timeout: 90_000 });
}

/** Stops the cluster and removes its folder (safe to call twice). */
export function stopCluster(cluster) {
  if (!cluster || cluster.stopped) return;
  cluster.stopped = true;
  const [file, argv] = command(cluster, 'pg_ctl', ['stop', '-D', join(cluster.dir, 'data'), '-m', 'immediate', '-w', '-t', '20']);
  spawnSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
  rmSync(cluster.dir, { recursive: true, force: true });
}

/** Starts a cluster from `bin`; resolves to { dir, port, url, version } (database `postgres`, user postgres, trust). */
export async function startCluster(bin) {
  const asPostgres = process.getuid?.() === 0;
  const owner = asPostgres ? postgresUid() : undefined;
  if (asPostgres && !owner) throw new Error('running as root and there is no postgres user to run initdb');
  const cluster = { dir: mkdtempSync(join(tmpdir(), 'ruche-pg-')), bin, asPostgres, port: await freePort(), stopped: false };
  if (owner) chownSync(cluster.dir, owner.uid, owner.gid);
  try {
    run(cluster, 'initdb', ['-D', join(cluster.dir, 'data'), '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    const settings = [
      "listen_addresses = '127.0.0.1'", `port = ${cluster.port}`, `unix_socket_directories = '${cluster.dir}'`,
      'fsync = off', 'full_page_writes = off', 'synchronous_commit = off', 'max_connections = 200',
    ];
    appendFileSync(join(cluster.dir, 'data', 'postgresql.conf'), `\n${settings.join('\n')}\n`);
    run(cluster, 'pg_ctl', ['start', '-D', join(cluster.dir, 'data'), '-l', join(cluster.dir, 'postgres.log'), '-w', '-t', '60']);
  } catch (error) {
    const log = join(cluster.dir, 'postgres.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    stopCluster(cluster);
    throw new Error(`${error.message.split('\n')[0]}${tail ? `\n${tail}` : ''}`);
  }
  cluster.url = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
  cluster.version = execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  return cluster;
}
