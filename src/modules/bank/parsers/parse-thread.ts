// A statement file parsed in a worker thread (threaded.ts starts it): the parse overlaps the import's matching and
// database work instead of preceding it. Reads the file from disk or shared memory, posts its events in chunks, and waits
// when it is too far ahead of the import (flow[0] counts the chunks the import has taken).
import { parentPort, workerData } from 'node:worker_threads';
import { parseStatementSource, type ParseStatementOptions } from './index.js';
import { type ByteSource, bufferSource, fileSource } from './source.js';
import { StatementError, type StatementEvent } from './types.js';
import { CHUNKS_AHEAD, eventChunks, type ThreadInput, type ThreadMessage } from './threaded.js';

const input = workerData as ThreadInput;
const flow = new Int32Array(input.flow);
const port = parentPort as NonNullable<typeof parentPort>;
let posted = 0;

function post(message: ThreadMessage): void {
  port.postMessage(message);
}

function send(events: StatementEvent[]): void {
  for (let taken = Atomics.load(flow, 0); posted - taken >= CHUNKS_AHEAD; taken = Atomics.load(flow, 0)) Atomics.wait(flow, 0, taken);
  post({ type: 'events', events });
  posted++;
}

function run(source: ByteSource, options: ParseStatementOptions): void {
  for (const chunk of eventChunks(parseStatementSource(source, options))) send(chunk);
  post({ type: 'end' });
}

try {
  const { file } = input;
  run('path' in file ? fileSource(file.path) : bufferSource(Buffer.from(file.bytes, 0, file.length)), input.options);
} catch (error) {
  if (error instanceof StatementError) post({ type: 'refused', key: error.key, where: error.where, detail: error.detail });
  else post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
