// `npm run bench`: seeds 50,000 people, starts the real server and a bare fastify ceiling, loads both, prints figures and targets.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, memoryOf, request } from './load.js';
import { seed } from './seed.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PEOPLE = 50_000;
const CONCURRENCY = 16;
const WARMUP_MS = 1000;
const DURATION_MS = 5000;
const TARGETS = { listShareOfBare: 0.2, searchP95Ms: 20, rssMb: 120, pageKb: 50 };
const COMMON_TERMS = ['bruxelles', 'marie', 'vpn', 'gmail', 'peeters', 'liège', 'newsletter', 'gent', 'bénévole', 'jan', 'cloud', 'skynet',
  'hélène', 'namur', 'martin', 'telenet', 'antwerpen', 'nextcloud', 'dupont', 'lefèvre'];

const tmp = mkdtempSync(join(os.tmpdir(), 'ruche-bench-'));
const children = [];
const log = (...args) => console.log(...args);

function killAllNow() {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}
setTimeout(() => {
  console.error('bench: stopped by the 4-minute watchdog');
  killAllNow();
  process.exit(2);
}, 240_000).unref();

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// The Node flags `npm start` gives the server (read from package.json, so the bench measures what people run).
const SERVER_NODE_FLAGS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start.match(/node((?: --[\w-]+(?:=\S+)?)*) bin\/ruche\.js/)[1].trim().split(/\s+/).filter(Boolean);

function spawnNode(name, args, env) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk).slice(-8000);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  children.push({ name, child });
  return child;
}

async function stopChild({ name, child }) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await child.exited;
  clearTimeout(timer);
  if (child.output.trim() && /error|warn/i.test(child.output)) log(`\n[${name} output]\n${child.output.trim().slice(-2000)}`);
}

async function waitFor(port, path, child, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before answering:\n${child.output}`);
    const res = await request(port, path, { timeoutMs: 1000 });
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer on ${path} after ${timeoutMs} ms:\n${child.output}`);
}

function cli(env, args, input) {
  return execFileSync(process.execPath, ['bin/ruche.js', ...args], { cwd: ROOT, env, input, encoding: 'utf8', timeout: 60_000 }).trim();
}

function cookieFrom(headers, name) {
  const line = (headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${JSON.stringify(headers['set-cookie'])}`);
  return line.slice(name.length + 1, line.indexOf(';') === -1 ? undefined : line.indexOf(';'));
}

async function login(port, username, password) {
  const page = await request(port, '/login', { keepBody: true });
  const anon = cookieFrom(page.headers, 'ruche_anon');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !csrf) throw new Error(`GET /login gave ${page.status} without a CSRF field`);
  const body = new URLSearchParams({ _csrf: csrf, login: username, password, next: '/' }).toString();
  const res = await request(port, '/login', {
    method: 'POST',
    body,
    keepBody: true,
    headers: { cookie: `ruche_anon=${anon}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
  });
  if (res.status !== 303) throw new Error(`POST /login answered ${res.status}: ${res.body.slice(0, 300)}`);
  return cookieFrom(res.headers, 'ruche_session');
}

const num = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const pad = (text, width) => String(text).padStart(width);
const mark = (ok) => (ok ? 'PASS' : 'MISS');

function table(rows) {
  const head = ['scenario', 'conc', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'bytes/resp', 'srv CPU ms/req', 'srv CPU%', 'gen CPU%', 'others CPU%'];
  const lines = rows.map(({ label, c, r }) => [label, c, num(r.rps, 0), num(r.p50, 2), num(r.p95, 2), num(r.p99, 2), num(r.max, 1), r.requests, r.errors,
    num(r.meanBytes, 0), num(r.serverCpuMsPerRequest, 3), num(r.serverCpuPct, 0), num(r.clientCpuPct, 0), num(r.othersCpuPct, 0)]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : pad(cell, widths[i]))).join('  ');
  log(fmt(head));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) log(fmt(l));
}

async function main() {
  const started = performance.now();
  log(`Ruche bench: ${PEOPLE.toLocaleString('en')} people, concurrency ${CONCURRENCY}, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s per scenario`);
  log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, node ${process.version}, ${os.platform()} ${os.release()}`);
  log('note: the load generator runs in this process, on the same machine, and competes with the server for CPU.\n');

  // 1. Seed.
  const seeded = await seed(tmp, { count: PEOPLE });
  const c = seeded.counts;
  log(`[seed] ${c.people} people (${c.organisations} organisations, ${c.deleted} in the trash), ${c.emails} e-mails, ${c.tags} tags, ${c.memberships} memberships`);
  log(`[seed] memberships ${seeded.year}: ${Object.entries(seeded.statusCounts).map(([s, n]) => `${s} ${n}`).join(', ')}`);
  log(`[seed] done in ${num(seeded.seconds, 2)} s (migration ${num(seeded.migrateSeconds * 1000, 0)} ms) -> ${seeded.path}`);

  // 2. Admin, token, real server.
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const env = { ...process.env, RUCHE_DATA_DIR: tmp, RUCHE_SECRET: randomBytes(32).toString('base64url'), RUCHE_LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: '' };
  delete env.RUCHE_CONFIG;
  let t0 = performance.now();
  cli(env, ['admin', 'create', '--username', 'bench', '--email', 'bench@ruche.example', '--name', 'Bench Admin', '--password-stdin'], password);
  const token = cli(env, ['token', 'create', '--username', 'bench', '--name', 'bench']);
  log(`[setup] admin and API token created through the CLI in ${num(performance.now() - t0, 0)} ms`);

  t0 = performance.now();
  // Started as `npm start` starts it: the Node flags of the start script, then the CLI.
  const server = spawnNode('ruche', [...SERVER_NODE_FLAGS, 'bin/ruche.js', 'serve', '--migrate'], env);
  await waitFor(port, '/healthz', server);
  const startMs = performance.now() - t0;
  const memStart = memoryOf(server.pid);
  log(`[server] ruche answered /healthz ${num(startMs, 0)} ms after spawn (pid ${server.pid}, port ${port}); RSS ${num(memStart.rssMb)} MB`);

  const session = await login(port, 'bench', password);
  const pageHeaders = { cookie: `ruche_session=${session}`, 'accept-language': 'fr-BE,fr;q=0.9,nl;q=0.8' };
  const apiHeaders = { authorization: `Bearer ${token}`, accept: 'application/json' };
  log('[server] logged in over HTTP (GET /login, POST /login -> 303 + ruche_session)');

  // Sanity checks and page weights, once, before any load.
  const first = await request(port, '/people', { headers: pageHeaders, keepBody: true });
  const deep = await request(port, '/people?page=500', { headers: pageHeaders, keepBody: true });
  if (first.status !== 200 || deep.status !== 200) throw new Error(`GET /people answered ${first.status} / ${deep.status}: ${first.body.slice(0, 300)}`);
  const rowsOf = (html) => (html.match(/<tr><td><a href="\/people\/\d+"/g) ?? []).length;
  log(`[pages] GET /people: ${first.bytes} bytes (${kb(first.bytes)}), ${rowsOf(first.body)} rows; GET /people?page=500: ${deep.bytes} bytes, ${rowsOf(deep.body)} rows`);

  const rareTerms = seeded.rareNames.filter((_, i) => i % Math.max(1, Math.floor(seeded.rareNames.length / 40)) === 0).slice(0, 40);
  const hits = async (terms) => {
    const totals = [];
    for (const term of terms) {
      const res = await request(port, `/api/v1/people?q=${encodeURIComponent(term)}`, { headers: apiHeaders, keepBody: true });
      if (res.status !== 200) throw new Error(`API search answered ${res.status}: ${res.body.slice(0, 300)}`);
      totals.push(JSON.parse(res.body).total);
    }
    return `${Math.min(...totals)}..${Math.max(...totals)} hits (mean ${num(totals.reduce((a, b) => a + b, 0) / totals.length, 0)})`;
  };
  log(`[terms] ${COMMON_TERMS.length} common words (${COMMON_TERMS.slice(0, 6).join(', ')}, ...): ${await hits(COMMON_TERMS)}`);
  log(`[terms] ${rareTerms.length} rare surnames (${rareTerms.slice(0, 4).join(', ')}, ...): ${await hits(rareTerms)}`);
  const searchPage = await request(port, `/people?q=${encodeURIComponent(COMMON_TERMS[0])}`, { headers: pageHeaders });
  log(`[pages] GET /people?q=${COMMON_TERMS[0]}: ${searchPage.bytes} bytes`);

  // 3. The bare ceiling.
  const bare = spawnNode('bare', ['bench/bare-server.js'], { ...process.env, PORT: '0' });
  const barePort = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare server did not start: ${bare.output}`)), 10_000);
    bare.stdout.on('data', () => {
      const match = /listening on (\d+)/.exec(bare.output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
  });
  await waitFor(barePort, '/', bare);
  log(`[bare] fastify "ok" server on port ${barePort}; RSS ${num(memoryOf(bare.pid).rssMb)} MB\n`);

  // 4-5. Scenarios.
  const cycle = (prefix, terms) => (i) => `${prefix}${encodeURIComponent(terms[i % terms.length])}`;
  const scenarios = [
    { key: 'bare', label: 'bare fastify GET /', port: barePort, pid: bare.pid, path: '/' },
    { key: 'list', label: 'GET /people (page 1)', path: '/people', headers: pageHeaders },
    { key: 'deep', label: 'GET /people?page=500', path: '/people?page=500', headers: pageHeaders },
    { key: 'searchCommon', label: 'GET /people?q=<common>', path: cycle('/people?q=', COMMON_TERMS), headers: pageHeaders, search: true },
    { key: 'searchRare', label: 'GET /people?q=<rare>', path: cycle('/people?q=', rareTerms), headers: pageHeaders, search: true },
    { key: 'apiCommon', label: 'API /api/v1/people?q=<common>', path: cycle('/api/v1/people?q=', COMMON_TERMS), headers: apiHeaders, search: true },
    { key: 'apiRare', label: 'API /api/v1/people?q=<rare>', path: cycle('/api/v1/people?q=', rareTerms), headers: apiHeaders, search: true },
  ];
  const results = {};
  const rows = [];
  for (const s of scenarios) {
    const r = await measure({ port: s.port ?? port, path: s.path, headers: s.headers, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS, serverPid: s.pid ?? server.pid });
    results[s.key] = r;
    rows.push({ label: s.label, c: CONCURRENCY, r });
    log(`  measured ${s.label.padEnd(32)} ${num(r.rps, 0).padStart(6)} req/s  p95 ${num(r.p95, 2)} ms${r.errors ? `  ${r.errors} errors ${JSON.stringify(r.statuses)} ${r.failures.join(' | ')}` : ''}`);
  }
  // Single-request latency (concurrency 1): the service time, without queueing behind 15 other requests.
  const single = {};
  for (const s of scenarios.filter((x) => x.key !== 'bare')) {
    const r = await measure({ port, path: s.path, headers: s.headers, concurrency: 1, warmupMs: 300, durationMs: 1500, serverPid: server.pid });
    single[s.key] = r;
    rows.push({ label: s.label, c: 1, r });
  }
  const memEnd = memoryOf(server.pid);

  // 6. Summary.
  log('\nSummary (latencies measured in the client, from request start to last body byte)');
  table(rows);
  log('(srv CPU ms/req: server CPU time per request; srv/gen CPU%: server and load generator, in % of one core;');
  log(` others CPU%: every other process on the machine meanwhile, out of ${os.cpus().length * 100}%)`);
  const busiest = Math.max(...rows.map(({ r }) => r.othersCpuPct));
  if (busiest > 25) log(`warning: other processes used up to ${num(busiest, 0)}% of a core during the run; throughput and latency figures are pessimistic, CPU ms/req is not.`);
  log(`\nserver memory: RSS ${num(memStart.rssMb)} MB after start, ${num(memEnd.rssMb)} MB after the run (peak ${num(memEnd.peakMb)} MB)`);
  log(`people list page weight: ${first.bytes} bytes (${kb(first.bytes)}), uncompressed (no compression on the server)`);

  log('\nTargets');
  const checks = [];
  const check = (label, ok, detail) => {
    checks.push(ok);
    log(`  ${mark(ok)}  ${label.padEnd(58)} ${detail}`);
  };
  const bareRps = results.bare.rps;
  for (const key of ['list', 'deep']) {
    const share = results[key].rps / bareRps;
    const cpuShare = results.bare.serverCpuMsPerRequest / results[key].serverCpuMsPerRequest;
    check(`${scenarios.find((s) => s.key === key).label} throughput >= ${TARGETS.listShareOfBare * 100}% of bare`, share >= TARGETS.listShareOfBare,
      `${num(results[key].rps, 0)} / ${num(bareRps, 0)} req/s = ${num(share * 100)}% (by CPU per request: ${num(cpuShare * 100)}%)`);
  }
  for (const s of scenarios.filter((x) => x.search)) {
    const r = results[s.key];
    // One request at a time is a search's own latency; at concurrency 16 one process queues them, so both are shown.
    check(`${s.label} p95 < ${TARGETS.searchP95Ms} ms (c=1)`, single[s.key].p95 < TARGETS.searchP95Ms, `p95 ${num(single[s.key].p95, 2)} ms`);
    check(`${s.label} p95 < ${TARGETS.searchP95Ms} ms (c=${CONCURRENCY})`, r.p95 < TARGETS.searchP95Ms, `p95 ${num(r.p95, 2)} ms`);
  }
  check(`server RSS < ${TARGETS.rssMb} MB after start`, memStart.rssMb < TARGETS.rssMb, `${num(memStart.rssMb)} MB`);
  check(`server RSS < ${TARGETS.rssMb} MB after the run`, memEnd.rssMb < TARGETS.rssMb, `${num(memEnd.rssMb)} MB (peak ${num(memEnd.peakMb)} MB)`);
  check(`people list page weight < ${TARGETS.pageKb} KB`, first.bytes < TARGETS.pageKb * 1024, kb(first.bytes));
  const errors = Object.values(results).reduce((n, r) => n + r.errors, 0) + Object.values(single).reduce((n, r) => n + r.errors, 0);
  check('no non-2xx answers or network errors', errors === 0, `${errors} errors`);
  log(`\n${checks.filter(Boolean).length}/${checks.length} targets met; total ${num((performance.now() - started) / 1000)} s`);
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\nbench failed: ${error instanceof Error ? error.stack : error}`);
} finally {
  await Promise.all(children.map(stopChild));
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
