// Deterministic randomness shared by the bench generators, so every run builds the same data.

/** A small deterministic PRNG (mulberry32). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of a list, uniformly. */
export const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** One item of a list whose last element is its weight. */
export function weighted(rand, items) {
  const total = items.reduce((sum, item) => sum + item[item.length - 1], 0);
  let r = rand() * total;
  for (const item of items) {
    r -= item[item.length - 1];
    if (r < 0) return item;
  }
  return items[items.length - 1];
}
