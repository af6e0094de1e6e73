// A small, bounded HTTP load generator (node:http with a keep-alive agent) and /proc readers for the bench.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const HOST = '127.0.0.1'; // The generator only ever talks to this machine.

/** One HTTP request to 127.0.0.1; resolves (never rejects) with status, body size, latency and, for failures, a snippet. */
export function request(port, path, { method = 'GET', headers = {}, body, agent, timeoutMs = 10_000, keepBody = false } = {}) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
    const req = http.request({ host: HOST, port, path, method, headers, agent: agent ?? false }, (res) => {
      let bytes = 0;
      const chunks = [];
      const wanted = keepBody || res.statusCode < 200 || res.statusCode >= 300;
      res.on('data', (chunk) => {
        bytes += chunk.length;
        if (wanted) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode, bytes, ms: elapsed(), headers: res.headers, body: wanted ? Buffer.concat(chunks).toString('utf8') : '' }));
      res.on('error', (error) => resolve({ status: 0, bytes, ms: elapsed(), headers: {}, body: String(error.message) }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: 0, bytes: 0, ms: elapsed(), headers: {}, body: error.code ?? error.message }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

let clockTicks;
function ticksPerSecond() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond(); // utime, stime (fields 14 and 15 of the line)
}

/** CPU seconds all processors of the machine have been busy so far (every process, not just ours), from /proc/stat. */
export function machineBusySeconds() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / ticksPerSecond();
}

/** Resident memory now and at its peak (MB), from /proc/PID/status. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * Keeps `concurrency` requests in flight against one scenario: a warm-up that is thrown away, then a measured window.
 * Every request started in the window is recorded (latency, status, bytes); throughput = recorded / (last completion - window start).
 * `path` is a string or a function of the request number, so a scenario can cycle through search terms.
 */
export async function measure({ port, path, headers = {}, concurrency = 16, warmupMs = 1000, durationMs = 5000, timeoutMs = 10_000, serverPid }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const pathOf = typeof path === 'function' ? path : () => path;
  const latencies = [];
  const statuses = new Map();
  const failures = [];
  let bytes = 0;
  let counter = 0;
  let lastEnd = 0;
  const begin = performance.now();
  const windowStart = begin + warmupMs;
  const windowEnd = windowStart + durationMs;
  let serverCpu0 = 0;
  let machine0 = 0;
  let clientCpu0 = null;
  const startWindow = setTimeout(() => {
    clientCpu0 = process.cpuUsage();
    machine0 = machineBusySeconds();
    if (serverPid) serverCpu0 = cpuSeconds(serverPid);
  }, warmupMs);

  async function worker() {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      const res = await request(port, pathOf(counter++), { headers, agent, timeoutMs });
      if (started < windowStart) continue; // warm-up
      lastEnd = performance.now();
      latencies.push(res.ms);
      bytes += res.bytes;
      const key = res.status || 'network error';
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if ((res.status < 200 || res.status >= 300) && failures.length < 3) failures.push(`${key}: ${res.body.slice(0, 160).replace(/\s+/g, ' ')}`);
    }
  }

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    clearTimeout(startWindow);
    agent.destroy();
  }
  const seconds = (Math.max(lastEnd, windowEnd) - windowStart) / 1000;
  const client = clientCpu0 ? process.cpuUsage(clientCpu0) : { user: 0, system: 0 };
  const clientSeconds = (client.user + client.system) / 1e6;
  const serverSeconds = serverPid ? cpuSeconds(serverPid) - serverCpu0 : NaN;
  const machineSeconds = machineBusySeconds() - machine0;
  const sorted = Float64Array.from(latencies).sort();
  const ok = [...statuses].filter(([s]) => typeof s === 'number' && s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  return {
    requests: latencies.length,
    errors: latencies.length - ok,
    statuses: Object.fromEntries(statuses),
    failures,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    meanBytes: latencies.length ? bytes / latencies.length : 0,
    serverCpuPct: (serverSeconds / seconds) * 100,
    /** Server CPU time per request: what a request costs, whatever else the machine was doing. */
    serverCpuMsPerRequest: latencies.length ? (serverSeconds * 1000) / latencies.length : NaN,
    clientCpuPct: (clientSeconds / seconds) * 100,
    /** CPU used by every other process of the machine meanwhile (other work competing with the bench), in % of one core. */
    othersCpuPct: Math.max(0, ((machineSeconds - (serverSeconds || 0) - clientSeconds) / seconds) * 100),
    seconds,
  };
}
