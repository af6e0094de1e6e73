// The dues matcher on labelled sets (test/fixtures/generate-payments.ts): no automatic assignment may be wrong, and
// at least 90% of the credits a person could be matched to (valid reference, IBAN of one person, unique full name)
// must be assigned automatically.
import { describe, expect, it } from 'vitest';
import { formatQuality, runMatcherQuality } from '../fixtures/generate-payments.js';

function describeMistakes(report: ReturnType<typeof runMatcherQuality>['report']): string[] {
  return report.mistakes.slice(0, 10).map(({ credit, proposal }) => JSON.stringify({ situation: credit.situation, input: credit.input, truth: credit.truth, proposal }));
}

describe('dues matcher quality on labelled sets', () => {
  it('2,000 people, 5,000 movements: precision 100%, automatic recall at least 90%', () => {
    const { report } = runMatcherQuality({ seed: 20240601, people: 2000, credits: 5000 });
    console.log(['dues matcher, 2,000 people and 5,000 movements (seed 20240601):', ...formatQuality(report)].join('\n'));
    expect(describeMistakes(report)).toEqual([]);
    expect(report.precision).toBe(1);
    expect(report.recall).toBeGreaterThanOrEqual(0.9);
    expect(report.bySituation.debit.automatic).toBe(0);
    expect(report.bySituation.homonym.automatic).toBe(report.bySituation.homonym.automaticRight);
  });

  it('holds on other seeds and register sizes', () => {
    for (const [seed, people, credits] of [[1, 300, 3000], [2, 5000, 8000], [3, 12000, 8000]]) {
      const { report } = runMatcherQuality({ seed, people, credits });
      console.log(`seed ${seed}, ${people} people, ${credits} movements: precision ${(report.precision * 100).toFixed(2)}%, recall ${(report.recall * 100).toFixed(2)}%`);
      expect(describeMistakes(report)).toEqual([]);
      expect(report.recall).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('is deterministic: the same seed gives the same set', () => {
    const a = runMatcherQuality({ seed: 7, people: 200, credits: 300 });
    const b = runMatcherQuality({ seed: 7, people: 200, credits: 300 });
    expect(b.set.credits).toEqual(a.set.credits);
    expect(b.set.directory.people).toEqual(a.set.directory.people);
  });
});
