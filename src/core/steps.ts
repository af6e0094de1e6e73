// Long synchronous work written as a generator that yields between steps, run either at once or a few milliseconds
// at a time, so that a thread serving a database connection keeps answering it meanwhile.
import { setImmediate } from 'node:timers/promises';

/** Work done in steps: it yields between them and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once and returns the result (callers with nothing else to serve). */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps a slice of `sliceMs` at a time, letting the event loop turn between slices (I/O, replies, messages). */
export async function runStepsInSlices<T>(steps: Steps<T>, sliceMs = 5): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= until) {
      await setImmediate();
      until = performance.now() + sliceMs;
    }
  }
}
