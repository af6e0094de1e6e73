import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Actor } from '../../core/actor.js';
import { builtSibling } from '../../core/built.js';
import { AppError } from '../../core/errors.js';
import type { MessageKey, Params } from '../../i18n/index.js';
import type { ImportRequest } from '../bank/import.service.js';
import type { importAndAllocate } from './review.service.js';

/**
 * Node flags of the import process. The server runs with a tiny young generation and `--optimize-for-size` to
 * stay small, which makes a long parse two to three times slower; an import of a year of movements gets the
 * default young generation and a capped old generation instead (peak memory stays under 300 MB, file included).
 * The garbage collector's helper threads are kept to one core fewer than the machine has: the import's own thread,
 * its parse thread and the database already share them (on two cores, four helpers cost a fifth of the import's CPU).
 * The old generation may double over its live size before the next full collection: with V8's cautious default for
 * a small heap, a camt import ran 21 full collections of the same 65-80 MB (the register's index) instead of 12, and
 * took 0.5-1.6 CPU seconds more, for about 20 MB less at the peak.
 */
export const IMPORT_NODE_FLAGS = [
  '--max-old-space-size=160',
  '--heap-growing-percent=100',
  `--v8-pool-size=${Math.max(1, Math.min(4, availableParallelism() - 1))}`,
];

type Summary = Awaited<ReturnType<typeof importAndAllocate>>;

/** What the parent sends the import process. */
export interface ChildRequest {
  storage: { databaseUrl: string; dataDir: string };
  actor: Actor;
  path: string;
  request: Omit<ImportRequest, 'onProgress' | 'prepare' | 'onAdded' | 'onDone'>;
}

/** What the import process sends back: progress, then its summary or its error. */
export type ChildMessage =
  | { type: 'progress'; entries: number; bytes: number }
  | { type: 'done'; summary: Summary }
  | { type: 'failed'; error: { status: number; code: string; key: MessageKey; params: Params; message?: string } };

const CHILD = builtSibling(import.meta.url, 'import-child.js');

/**
 * Imports a statement file in a process of its own (the CLI's `bank import`): one transaction there, progress
 * (movements and bytes of their records read) reported here, the service's errors rethrown here as they are. Stopped with the caller (Ctrl-C), it rolls back.
 */
export function importFileInChild(task: ChildRequest, onProgress?: (entries: number, bytes: number) => void): Promise<Summary> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: IMPORT_NODE_FLAGS, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let outcome: ChildMessage | undefined;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') onProgress?.(message.entries, message.bytes);
      else outcome = message;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (outcome?.type === 'done') return resolve(outcome.summary);
      if (outcome?.type === 'failed') {
        const { status, code: errorCode, key, params, message } = outcome.error;
        return reject(status >= 500 ? new Error(message ?? errorCode) : new AppError(status, errorCode, key, params));
      }
      reject(new AppError(500, 'import_process_failed', 'bank.import_process_failed', { how: signal ?? `exit ${code}` }));
    });
    child.send(task);
  });
}
