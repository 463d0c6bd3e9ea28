import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../geo/src/index.ts';
import { apportion } from '../../../geo/src/demo/apportion.ts';
import { colourRegions } from '../../../geo/src/demo/colourRegions.ts';

describe(createRandom.name, () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const r = createRandom(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const x of draw(9)) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws whole numbers within both bounds', () => {
    const r = createRandom(1);
    const seen = new Set(Array.from({ length: 200 }, () => r.int(1, 3)));
    expect(seen).toEqual(new Set([1, 2, 3]));
  });
});

describe(apportion.name, () => {
  it('shares a total in proportion, respecting the floor and the ceilings', () => {
    expect(apportion(10, [1, 1, 2], { min: 1 })).toEqual([3, 2, 5]);
    expect(apportion(10, [1, 100], { min: 2, max: [10, 5] })).toEqual([5, 5]);
    expect(apportion(1855, [5, 1, 1, 1]).reduce((a, b) => a + b, 0)).toBe(1855);
  });

  it('refuses a split the bounds make impossible', () => {
    expect(() => apportion(3, [1, 1], { min: 2 })).toThrow(/cannot split/);
  });
});

describe(colourRegions.name, () => {
  it('never gives two neighbours the same colour, even on a wheel needing four', () => {
    // A hub surrounded by a ring of five: the ring needs 3 colours, the hub a 4th.
    const neighbours = [[1, 2, 3, 4, 5], [0, 2, 5], [0, 1, 3], [0, 2, 4], [0, 3, 5], [0, 4, 1]];
    const colour = colourRegions(neighbours, { colours: 8 });
    neighbours.forEach((list, v) => list.forEach((w) => expect(colour[v]).not.toBe(colour[w])));
    expect(Math.max(...colour)).toBeLessThan(8);
  });
});
