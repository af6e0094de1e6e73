// Parsing a large statement file in a worker thread (parse-thread.ts), read here as an async stream of events.
import { Worker } from 'node:worker_threads';
import { builtSibling } from '../../../core/built.js';
import type { ParseStatementOptions } from './index.js';
import { StatementError, type StatementEvent } from './types.js';

/** Files from this size up are parsed in a thread: below it, starting one costs more than it saves. */
export const THREAD_MIN_BYTES = 2_000_000;
/**
 * Events per message from the thread, and messages it may have sent ahead of the import (bounded memory). Small
 * messages let events die young in the thread: with 500 a message, those held until posting were promoted, and the
 * thread's collector took a fifth more CPU (a camt parse through the thread 5.7-6.5 s instead of 5.1 s).
 */
export const CHUNK_EVENTS = 100;
export const CHUNKS_AHEAD = 20;

/** A parser's events in chunks of CHUNK_EVENTS, as the parse thread posts them and the import takes them. */
export function* eventChunks(events: Iterable<StatementEvent>): Generator<StatementEvent[]> {
  let chunk: StatementEvent[] = [];
  for (const event of events) {
    chunk.push(event);
    if (chunk.length === CHUNK_EVENTS) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** What the thread is given: the file (its path, or its bytes in shared memory), the parse options, the flow counter. */
export interface ThreadInput {
  file: { path: string } | { bytes: SharedArrayBuffer; length: number };
  options: ParseStatementOptions;
  flow: SharedArrayBuffer;
}

/** What the thread posts: chunks of events, then the end, or why the file was refused. */
export type ThreadMessage =
  | { type: 'events'; events: StatementEvent[] }
  | { type: 'end' }
  | { type: 'refused'; key: string; where: string | null; detail: string | null }
  | { type: 'failed'; message: string };

const THREAD = builtSibling(import.meta.url, 'parse-thread.js');
// The parser streams: its old generation stays small whatever the file (the file itself is shared, outside it). Its
// young generation is where every event is born: at 8 MB the collector took a third of the thread's time and the
// thread became the import's bottleneck (a camt re-import 7.2 s instead of 5.5 s); 32 MB costs about 20 MB of peak.
const THREAD_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 32 };

/** The bytes in shared memory: as they are when they already are, else one copy. */
function sharedBytes(bytes: Buffer): SharedArrayBuffer {
  if (bytes.buffer instanceof SharedArrayBuffer && bytes.byteOffset === 0) return bytes.buffer;
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

/**
 * The events of a statement file parsed in a worker thread, in order, with the same checks and the same
 * StatementError as parseStatementFile. A file given by its path is read there a chunk at a time (camt) or
 * whole (the other formats). Stopping early (an error in the import) stops the thread.
 */
export async function* parseInThread(file: Buffer | { path: string }, options: ParseStatementOptions = {}): AsyncGenerator<StatementEvent> {
  const thread = startParseThread(file, options);
  try {
    for await (const chunk of thread.events) yield* chunk;
  } finally {
    await thread.stop();
  }
}

let running = 0;

/** How many parse threads are running in this process (none once every import has ended, whatever its outcome). */
export function runningParseThreads(): number {
  return running;
}

/**
 * A parse thread already running: its events in the chunks they came in (one promise per chunk rather than per
 * event: a camt import of 100,000 entries made half a million promises), and how to stop it whether or not they were read.
 */
export interface ParseThread {
  events: AsyncGenerator<StatementEvent[]>;
  stop(): Promise<void>;
}

/**
 * Starts parsing a statement file in a worker thread now, before its events are asked for: the thread starts and
 * reads ahead while the import does its own first steps. The caller must call `stop()` in every case (a `finally`).
 */
export function startParseThread(file: Buffer | { path: string }, options: ParseStatementOptions = {}): ParseThread {
  const flow = new Int32Array(new SharedArrayBuffer(4));
  const shared = Buffer.isBuffer(file) ? { bytes: sharedBytes(file), length: file.length } : { path: file.path };
  const input: ThreadInput = { file: shared, options, flow: flow.buffer as SharedArrayBuffer };
  const worker = new Worker(THREAD, { workerData: input, resourceLimits: THREAD_LIMITS });
  running++;
  worker.once('exit', () => running--);
  const inbox = messagesOf(worker);
  return { events: eventsOf(inbox, flow), stop: async () => void await worker.terminate() };
}

async function* eventsOf(inbox: ReturnType<typeof messagesOf>, flow: Int32Array): AsyncGenerator<StatementEvent[]> {
  for (;;) {
    const message = await inbox.next();
    if (message.type === 'end') return;
    if (message.type === 'refused') throw new StatementError(message.key, message.where, message.detail);
    if (message.type === 'failed') throw new Error(`statement parse thread: ${message.message}`);
    Atomics.add(flow, 0, 1);
    Atomics.notify(flow, 0);
    yield message.events;
  }
}

/** The thread's messages one at a time; its crash (out of memory) or early exit becomes a failure message. */
function messagesOf(worker: Worker) {
  const queue: ThreadMessage[] = [];
  let waiting: ((message: ThreadMessage) => void) | null = null;
  const push = (message: ThreadMessage) => {
    if (waiting) {
      const wake = waiting;
      waiting = null;
      wake(message);
    } else queue.push(message);
  };
  worker.on('message', push);
  worker.on('error', (error) => push(outOfMemory(error) ? TOO_LARGE : { type: 'failed', message: error.message }));
  worker.on('exit', (code) => push({ type: 'failed', message: `exited (${code}) before the end of the file` }));
  return {
    next: () => new Promise<ThreadMessage>((resolve) => {
      const message = queue.shift();
      if (message) resolve(message);
      else waiting = resolve;
    }),
  };
}

// A file whose format is read whole (all but camt) can outgrow the thread's heap: the reader is told to split it.
const TOO_LARGE: ThreadMessage = { type: 'refused', key: 'bank.too_large_to_read', where: null, detail: null };

function outOfMemory(error: Error): boolean {
  return (error as Error & { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
}
