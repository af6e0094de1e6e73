// `node bench/sso.js` (the third part of `npm run bench`): single sign-on throughput. Starts the real server (the flags
// of `npm start`, SQLite), then runs complete OpenID Connect authorization-code flows as browsers and an app would
// (authorization request with PKCE, Ruche's login form with its password check, consent-free return with a code,
// code exchange at the token endpoint) at 1 and 20 concurrent clients, then rotating refreshes, and prints flows per
// second, the argon2id time per hash, and the server's resident memory after the run. Prints, never asserts.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, memoryOf } from './load.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ACCOUNTS = 200;
const PASSWORD = 'correct horse battery staple';
const CALLBACK = 'https://app.example.org/callback';
const TARGETS = { flowsPerSecond: 100, rssMb: 150 };
const WARMUP_MS = 1000;
const DURATION_MS = Number(process.env.BENCH_SSO_SECONDS || 5) * 1000;
// Simulated people come from many loopback addresses (all of 127/8 is this machine): the login form allows ten
// attempts a minute per address, as it should, and a collective's members do not share one address.
const ADDRESSES = Array.from({ length: 250 }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${2 + (i % 250)}`);

const tmp = mkdtempSync(join(os.tmpdir(), 'ruche-sso-bench-'));
const log = (...args) => console.log(...args);
const num = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
let server;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => { cleanup(); process.exit(130); });
setTimeout(() => { console.error('bench/sso: stopped by its 3-minute watchdog'); cleanup(); process.exit(2); }, 180_000).unref();

function freePort() {
  return new Promise((done, fail) => {
    const probe = net.createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

// ---- HTTP as one browser or app: its own source address, its own cookies, no redirect followed -----------------

function send(port, { path, method = 'GET', headers = {}, body, from }) {
  return new Promise((done) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, localAddress: from, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    req.on('error', (error) => done({ status: 0, headers: {}, body: error.message }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A browser: cookies by name (one flow never meets two cookies of one name on different paths). */
class Visitor {
  constructor(port, from) {
    this.port = port;
    this.from = from;
    this.cookies = new Map();
  }

  async go(path, { method, form } = {}) {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
    const res = await send(this.port, { path, method: method ?? (body ? 'POST' : 'GET'), headers, body, from: this.from });
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const gone = pair.slice(eq + 1) === '' || attributes.some((a) => /max-age=0\b/i.test(a.trim()));
      if (gone) this.cookies.delete(pair.slice(0, eq).trim());
      else this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    return res;
  }
}

function relative(location, port) {
  const url = new URL(location, `http://127.0.0.1:${port}`);
  return `${url.pathname}${url.search}`;
}

/** One complete flow: authorization request, login form, back to the app with a code, code exchange. */
async function flow(app, username, from, scope = 'openid profile email groups') {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: app.clientId, redirect_uri: CALLBACK, response_type: 'code', scope, state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'), code_challenge: challenge, code_challenge_method: 'S256',
  });
  const browser = new Visitor(app.port, from);
  let res = await browser.go(`/oidc/auth?${query}`);
  for (let hops = 0; hops < 12; hops++) {
    const location = res.headers.location;
    if (location?.startsWith(CALLBACK)) return exchange(app, new URL(location).searchParams.get('code'), verifier, from);
    if (res.status >= 300 && res.status < 400 && location) res = await browser.go(relative(location, app.port));
    else if (res.status === 200 && res.body.includes('name="password"')) {
      const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
      const next = (/name="next" value="([^"]*)"/.exec(res.body)?.[1] ?? '/').replaceAll('&amp;', '&');
      res = await browser.go('/login', { form: { _csrf: csrf, next, login: username, password: PASSWORD } });
    } else throw new Error(`flow stopped: ${res.status} ${location ?? ''} ${res.body.slice(0, 200)}`);
  }
  throw new Error('flow: too many redirects');
}

async function tokenRequest(app, form, from) {
  const body = new URLSearchParams(form).toString();
  const res = await send(app.port, {
    path: '/oidc/token', method: 'POST', body, from,
    headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
  });
  if (res.status !== 200) throw new Error(`token endpoint: ${res.status} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body);
}

async function exchange(app, code, verifier, from) {
  const tokens = await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }, from);
  if (!tokens.id_token || !tokens.access_token) throw new Error('token endpoint gave no ID or access token');
  return tokens;
}

/** Keeps `concurrency` loops running `work(n, loop)` for a warm-up then a measured window; counts completions and failures. */
async function sustained(concurrency, work) {
  const stats = { done: 0, failed: 0, firstError: null };
  let measuring = false;
  let next = 0;
  const start = performance.now();
  const warmEnd = start + WARMUP_MS;
  const end = warmEnd + DURATION_MS;
  let windowStart = warmEnd;
  setTimeout(() => { measuring = true; windowStart = performance.now(); }, WARMUP_MS);
  await Promise.all(Array.from({ length: concurrency }, async (_, loop) => {
    while (performance.now() < end) {
      const counted = measuring;
      try {
        await work(next++, loop);
        if (counted) stats.done++;
      } catch (error) {
        if (counted) stats.failed++;
        stats.firstError ??= error.message;
      }
    }
  }));
  return { ...stats, seconds: (performance.now() - windowStart) / 1000 };
}

async function seed(env) {
  process.env.RUCHE_DATA_DIR = tmp;
  const { openStorage, migrateToLatest } = await import('../dist/storage/database.js');
  const { createAccount } = await import('../dist/modules/accounts/accounts.service.js');
  const { createClient } = await import('../dist/modules/oidc/clients.service.js');
  const storage = openStorage({ databaseUrl: '', dataDir: env.RUCHE_DATA_DIR });
  try {
    await migrateToLatest(storage.db);
    const system = { accountId: null, label: 'bench' };
    for (let i = 0; i < ACCOUNTS; i++) {
      await createAccount(storage.db, system, { username: `member${i}`, password: PASSWORD, roles: ['member'], email: `member${i}@example.org`, display_name: `Member ${i}` });
    }
    const { client, secret } = await createClient(storage.db, system, { name: 'Bench cloud', redirect_uris: [CALLBACK], preset: 'generic' });
    return { clientId: client.clientId, secret };
  } finally {
    await storage.close();
  }
}

async function argon2Timing() {
  const { hashPassword, verifyPassword } = await import('../dist/modules/accounts/password.js');
  const hash = await hashPassword(PASSWORD);
  const rounds = 20;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await verifyPassword(hash, PASSWORD);
  return { ms: (performance.now() - t0) / rounds, params: hash.split('$')[3] };
}

async function waitForServer(port) {
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${server.output}`);
    if ((await send(port, { path: '/healthz' })).status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not answer:\n${server.output}`);
}

async function main() {
  const port = await freePort();
  const env = {
    ...process.env, RUCHE_DATA_DIR: tmp, RUCHE_SECRET: randomBytes(32).toString('base64url'), RUCHE_LOG_LEVEL: 'warn',
    HOST: '127.0.0.1', PORT: String(port), RUCHE_PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: '',
  };
  delete env.RUCHE_CONFIG;
  log(`Ruche single sign-on bench: ${ACCOUNTS} accounts, one confidential client, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s per scenario, SQLite`);
  const t0 = performance.now();
  const client = await seed(env);
  log(`[seed] ${ACCOUNTS} accounts and a client in ${num((performance.now() - t0) / 1000, 2)} s`);

  // The flags `npm start` gives the server (BENCH_SSO_NODE_FLAGS overrides them, to compare).
  const started = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start.match(/node((?: --[\w-]+(?:=\S+)?)*) bin\/ruche\.js/)[1];
  const flags = (process.env.BENCH_SSO_NODE_FLAGS ?? started).trim().split(/\s+/).filter(Boolean);
  // BENCH_CPU_PROF=dir writes a .cpuprofile of the server there (where its time goes).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  await startServer([...flags, ...profile, 'bin/ruche.js', 'serve'], env, port);
  const app = { ...client, port };
  log(`[server] pid ${server.pid}, flags ${flags.join(' ')}, RSS ${num(memoryOf(server.pid).rssMb, 0)} MB after start`);

  const rows = [];
  let person = 0;
  const oneFlow = () => { const n = person++; return flow(app, `member${n % ACCOUNTS}`, ADDRESSES[n % ADDRESSES.length]); };
  for (const concurrency of [1, 20]) {
    const cpu0 = cpuSeconds(server.pid);
    const r = await sustained(concurrency, oneFlow);
    rows.push({ label: `login flows, concurrency ${concurrency}`, concurrency, ...r, serverCpu: cpuSeconds(server.pid) - cpu0 });
  }
  const refreshers = await Promise.all(Array.from({ length: 20 }, (_, i) => flow(app, `member${i}`, ADDRESSES[i], 'openid profile offline_access')));
  const tokens = refreshers.map((t) => t.refresh_token);
  if (tokens.some((t) => !t)) throw new Error('no refresh token was issued');
  const cpu0 = cpuSeconds(server.pid);
  // Each loop is one app refreshing its own token (a token used twice at once would be a replay, and revoke it).
  const refresh = await sustained(20, async (_, slot) => {
    const fresh = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: tokens[slot] }, ADDRESSES[slot]);
    tokens[slot] = fresh.refresh_token ?? tokens[slot];
  });
  rows.push({ label: 'token refreshes, concurrency 20', concurrency: 20, ...refresh, serverCpu: cpuSeconds(server.pid) - cpu0 });

  const memory = memoryOf(server.pid);
  await stopServer();
  const ceiling = await ceilingRun(flags);
  const argon = await argon2Timing();
  report(rows, memory, argon, ceiling);
}

/** Starts a server child process and waits for its /healthz. */
async function startServer(args, env, port) {
  server = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.output = '';
  for (const stream of [server.stdout, server.stderr]) stream.setEncoding('utf8').on('data', (c) => { server.output = (server.output + c).slice(-4000); });
  await waitForServer(port);
}

/** The same flows at concurrency 20 against the library alone (`sso-ceiling.js`, same flags): what this machine allows. */
async function ceilingRun(flags) {
  const port = await freePort();
  const client = { client_id: 'ceiling', client_secret: randomBytes(16).toString('hex'), redirect_uri: CALLBACK, password: PASSWORD };
  await startServer([...flags, 'bench/sso-ceiling.js'], { ...process.env, PORT: String(port), CEILING_CLIENT: JSON.stringify(client) }, port);
  const bare = { clientId: client.client_id, secret: client.client_secret, port };
  let person = 0;
  const cpu0 = cpuSeconds(server.pid);
  const r = await sustained(20, () => { const n = person++; return flow(bare, `member${n % ACCOUNTS}`, ADDRESSES[n % ADDRESSES.length]); });
  const result = { label: 'ceiling: library alone, c=20', ...r, serverCpu: cpuSeconds(server.pid) - cpu0 };
  await stopServer();
  return result;
}

/** Stops the server the way a service manager does (so that a CPU profile is written). */
async function stopServer() {
  const exited = new Promise((done) => server.once('exit', done));
  server.kill('SIGTERM');
  await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
}

function report(rows, memory, argon, ceiling) {
  log('\nscenario                          per s   done  failed  server CPU ms each');
  for (const r of [...rows, ceiling]) {
    log(`${r.label.padEnd(32)} ${num(r.done / r.seconds, 1).padStart(6)} ${String(r.done).padStart(6)} ${String(r.failed).padStart(7)}  ${num((1000 * r.serverCpu) / Math.max(1, r.done), 1).padStart(8)}${r.firstError ? `   first error: ${r.firstError}` : ''}`);
  }
  log(`argon2id verification: ${num(argon.ms, 1)} ms per hash (${argon.params}), measured in this process`);
  log(`server resident memory after the run: ${num(memory.rssMb, 0)} MB (peak ${num(memory.peakMb, 0)} MB)`);
  const at20 = rows.find((r) => r.label === 'login flows, concurrency 20');
  const flows = at20.done / at20.seconds;
  log(`ceiling: oidc-provider alone (bench/sso-ceiling.js: its state in memory, a bare login form, argon2id, nothing else) at ${num(ceiling.done / ceiling.seconds, 1)} flows/s;`);
  log(`  Ruche's flows at concurrency 20 run at ${num((100 * flows) / (ceiling.done / ceiling.seconds), 0)}% of it`);
  log('\nTargets');
  log(`  ${flows >= TARGETS.flowsPerSecond && !at20.failed ? 'PASS' : 'MISS'}  complete login flows at concurrency 20 >= ${TARGETS.flowsPerSecond}/s   ${num(flows, 1)}/s, ${at20.failed} failed`);
  log(`  ${memory.rssMb < TARGETS.rssMb ? 'PASS' : 'MISS'}  server resident memory after the run < ${TARGETS.rssMb} MB   ${num(memory.rssMb, 0)} MB`);
}

main().then(() => { cleanup(); process.exit(0); }, (error) => { console.error(`bench/sso failed: ${error.stack ?? error}`); cleanup(); process.exit(1); });
