import { afterEach, describe, expect, it, vi } from 'vitest';
import { sink } from '../../../test/helpers/cli.js';
import { elapsedText, ProgressBar, renderProgress } from './progress-bar.js';

describe('the bank import progress bar', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the share of the file read, the movements and the time spent, in the operator’s language', () => {
    const state = { file: 'big.qif', bytes: 500, size: 1000, entries: 12000, elapsedMs: 65_000 };
    expect(renderProgress(state, 'en')).toBe('big.qif [############------------]  50% · 12000 movements · 1:05');
    expect(renderProgress({ ...state, bytes: 1000 }, 'fr')).toBe('big.qif [########################] 100 % · 12000 mouvements · 1:05');
    expect(renderProgress({ ...state, bytes: 0 }, 'nl')).toBe('big.qif [------------------------]   0% · 12000 verrichtingen · 1:05');
    expect(renderProgress({ ...state, bytes: 5000 }, 'en')).toContain('100%'); // an estimate past the end stays at 100
    expect(elapsedText(754_900)).toBe('12:34');
  });

  it('redraws at most ten times a second, and ends its line when the file is read', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const err = sink(true);
    const bar = new ProgressBar(err.stream, 'a.cod', 1000, 'en');
    bar.update(1000, 100);
    bar.update(2000, 200); // 0 ms later: skipped
    vi.advanceTimersByTime(50);
    bar.update(3000, 300); // 50 ms later: skipped
    vi.advanceTimersByTime(60);
    bar.update(4000, 400);
    bar.finish(5000);
    const frames = err.text().split('\r').filter(Boolean);
    expect(frames.map((f) => f.match(/(\d+) movements/)?.[1])).toEqual(['1000', '4000', '5000']);
    expect(frames[2]).toMatch(/\[#{24}\] 100% · 5000 movements · 0:00\n$/);
  });

  it('wipes itself when the import fails', () => {
    const err = sink(true);
    const bar = new ProgressBar(err.stream, 'a.cod', 1000, 'en');
    bar.update(1000, 100, true);
    bar.clear();
    const text = err.text();
    expect(text.endsWith(`\r${' '.repeat(text.split('\r')[1].length)}\r`)).toBe(true);
  });
});
