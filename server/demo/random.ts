/** Deterministic PRNG (mulberry32): the same seed always yields the same demo city. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between(min: number, max: number): number {
      return min + (max - min) * next();
    },
    integer(min: number, max: number): number {
      return Math.floor(min + (max - min + 1) * next());
    },
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)];
    },
    chance(probability: number): boolean {
      return next() < probability;
    },
    /** Picks by weight from [item, weight] pairs. */
    weighted<T>(pairs: readonly (readonly [T, number])[]): T {
      const total = pairs.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of pairs) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return pairs[pairs.length - 1][0];
    },
    /** Roughly normal (sum of three uniforms), clamped. */
    normal(mean: number, spread: number, min: number, max: number): number {
      const value = mean + spread * ((next() + next() + next()) / 1.5 - 1) * 1.7;
      return Math.min(max, Math.max(min, value));
    },
  };
}

export type Random = ReturnType<typeof createRandom>;
