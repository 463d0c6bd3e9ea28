import { describe, expect, it } from 'vitest';
import { createRandom, pointInPolygon, randomPointIn, type Grid } from '../../../geo/src/index.ts';

const grid = (coordinates: number[][][]): Grid => ({ id: 'g', name: 'g', townshipId: 't', geometry: { type: 'Polygon', coordinates } }) as Grid;

describe(randomPointIn.name, () => {
  it('puts every point inside the grid, the same points for the same seed', () => {
    // An L shape: half its bounding box is outside it.
    const l = grid([[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]]);
    const draw = () => Array.from({ length: 50 }, ((random) => () => randomPointIn(random, l))(createRandom(7)));
    const points = draw();
    for (const p of points) expect(pointInPolygon(p, l.geometry)).toBe(true);
    expect(draw()).toEqual(points);
  });

  it('falls back to a corner of a grid too thin to hit', () => {
    const sliver = grid([[[0, 0], [1, 1], [1 - 1e-7, 1], [0, 0]]]);
    expect(randomPointIn(createRandom(1), sliver)).toEqual([0, 0]);
  });
});
