// The process a large statement import runs in (import-runner.ts starts it): its own heap settings, its own
// database connection, the same service as the web and the API. Talks to its parent over IPC only.
import { AppError } from '../../core/errors.js';
import { openStorage } from '../../storage/database.js';
import type { ChildRequest, ChildMessage } from './import-runner.js';
import { importAndAllocate } from './review.service.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((done) => (process.send ? process.send(message, undefined, {}, () => done()) : done()));
}

async function run(task: ChildRequest): Promise<void> {
  const storage = openStorage(task.storage);
  try {
    const summary = await importAndAllocate(storage.db, task.actor, { path: task.path }, {
      ...task.request,
      onProgress: (entries, bytes) => void send({ type: 'progress', entries, bytes }),
    });
    await send({ type: 'done', summary });
  } catch (error) {
    if (error instanceof AppError) await send({ type: 'failed', error: { status: error.status, code: error.code, key: error.key, params: error.params } });
    else await send({ type: 'failed', error: { status: 500, code: 'internal', key: 'error.internal', params: {}, message: error instanceof Error ? error.message : String(error) } });
  } finally {
    await storage.close();
  }
}

process.once('message', (task: ChildRequest) => {
  run(task).then(() => process.exit(0), () => process.exit(1));
});
