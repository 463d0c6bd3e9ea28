import { describe, expect, it } from 'vitest';
import { pointInPolygon } from '../../../geo/src/index.ts';
import type { MultiPolygon, Polygon } from 'geojson';

const withHole: Polygon = {
  type: 'Polygon',
  coordinates: [
    [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
    [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]],
  ],
};

describe(pointInPolygon.name, () => {
  it('tells inside from outside and excludes holes', () => {
    expect(pointInPolygon([0.5, 2], withHole)).toBe(true);
    expect(pointInPolygon([2, 2], withHole)).toBe(false);
    expect(pointInPolygon([5, 2], withHole)).toBe(false);
  });

  it('counts the boundary as inside unless told to ignore it', () => {
    for (const p of [[4, 2], [0, 0], [2, 4], [1, 2]] as Array<[number, number]>) {
      expect(pointInPolygon(p, withHole)).toBe(true);
      expect(pointInPolygon(p, withHole, { ignoreBoundary: true })).toBe(false);
    }
  });

  it('looks in every part of a MultiPolygon', () => {
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [withHole.coordinates, [[[10, 10], [11, 10], [11, 11], [10, 10]]]] };
    expect(pointInPolygon([10.8, 10.2], multi)).toBe(true);
    expect(pointInPolygon([2, 2], multi)).toBe(false);
  });

  it('rejects a point that is not two finite numbers', () => {
    expect(() => pointInPolygon([Number.NaN, 1], withHole)).toThrow(/finite numbers/);
    expect(() => pointInPolygon([1, 1], { type: 'Point', coordinates: [1, 1] } as unknown as Polygon)).toThrow(/Polygon or MultiPolygon/);
  });
});
