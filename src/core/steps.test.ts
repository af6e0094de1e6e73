import { describe, expect, it } from 'vitest';
import { setImmediate } from 'node:timers';
import { runSteps, runStepsInSlices, type Steps } from './steps.js';

// Forty steps of about a millisecond each, noting at which step a callback queued before the work had run.
function* busyWork(events: { ranAtStep: number | null }, state: { step: number }): Steps<string> {
  for (state.step = 0; state.step < 40; state.step++) {
    const until = performance.now() + 1;
    while (performance.now() < until) { /* busy */ }
    yield;
  }
  return `done after ${state.step} steps, callback at ${events.ranAtStep}`;
}

describe('work in steps', () => {
  it('runs at once, or lets the event loop turn between slices with the same result', async () => {
    const once = { ranAtStep: null as number | null };
    const atOnce = { step: 0 };
    setImmediate(() => { once.ranAtStep = atOnce.step; });
    expect(runSteps(busyWork(once, atOnce))).toBe('done after 40 steps, callback at null');

    await new Promise((resolve) => setImmediate(resolve));
    const sliced = { ranAtStep: null as number | null };
    const inSlices = { step: 0 };
    setImmediate(() => { sliced.ranAtStep = inSlices.step; });
    const result = await runStepsInSlices(busyWork(sliced, inSlices), 5);
    expect(sliced.ranAtStep).not.toBeNull();
    expect(sliced.ranAtStep).toBeLessThan(40); // the callback ran while the work was under way
    expect(result).toMatch(/^done after 40 steps/);
  });
});
