import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGridIndex, createRandom, generateDemoCounty, type DemoCounty, type Grid, type GridIndex } from '../../../geo/src/index.ts';

let demo: DemoCounty;
let index: GridIndex;
beforeAll(() => {
  demo = generateDemoCounty();
  index = createGridIndex(demo.grids);
});

function square(id: string, west: number, south: number, size: number): Grid {
  const [e, n] = [west + size, south + size];
  return { id, name: id, townshipId: 'T01', workers: [], geometry: { type: 'Polygon', coordinates: [[[west, south], [e, south], [e, n], [west, n], [west, south]]] } };
}

describe(createGridIndex.name, () => {
  it('finds the same grid as a naive check of every polygon, for random points across the county', () => {
    const random = createRandom(5);
    for (let i = 0; i < 500; i++) {
      const [lon, lat] = [random.between(118.5, 119.1), random.between(33.8, 34.5)];
      const naive = demo.grids.filter((g) => booleanPointInPolygon([lon, lat], g.geometry)).map((g) => g.id);
      expect(index.gridAt(lon, lat)?.id).toBe(naive[0]);
    }
  });

  it('finds the grid that contains a point on the county edge', () => {
    const outline = demo.county.geometry.coordinates[0]!;
    for (const i of [0, 17, 333]) {
      const [lon, lat] = outline[i]!;
      const grid = index.gridAt(lon!, lat!);
      expect(grid).toBeDefined();
      expect(booleanPointInPolygon([lon!, lat!], grid!.geometry)).toBe(true);
    }
  });

  it('gives a point on an edge shared by two grids to the one with the lower id', () => {
    const left = square('G0002', 0, 0, 1);
    const right = square('G0001', 1, 0, 1);
    for (const grids of [[left, right], [right, left]]) {
      const shared = createGridIndex(grids);
      expect(shared.gridAt(1, 0.5)?.id).toBe('G0001');
      expect(shared.gridAt(1, 0)?.id).toBe('G0001'); // shared corner
      expect(shared.gridAt(0.5, 0.5)?.id).toBe('G0002');
    }
    // A vertex shared by several demo grids: always the lowest of them.
    const [lon, lat] = demo.grids[0]!.geometry.coordinates[0]![0] as [number, number];
    const touching = demo.grids.filter((g) => booleanPointInPolygon([lon, lat], g.geometry)).map((g) => g.id).sort();
    expect(touching.length).toBeGreaterThanOrEqual(2);
    expect(index.gridAt(lon, lat)?.id).toBe(touching[0]);
  });

  it('answers undefined outside every grid and inside a hole', () => {
    expect(index.gridAt(118.3, 34.1)).toBeUndefined();
    expect(index.gridAt(0, 0)).toBeUndefined();
    const withHole: Grid = {
      ...square('G0009', 0, 0, 4),
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]] },
    };
    const holed = createGridIndex([withHole]);
    expect(holed.gridAt(2, 2)).toBeUndefined();
    expect(holed.gridAt(0.5, 2)?.id).toBe('G0009');
  });

  it('finds grids drawn as MultiPolygons in any of their parts', () => {
    const grid: Grid = {
      ...square('G0100', 0, 0, 1),
      geometry: { type: 'MultiPolygon', coordinates: [square('a', 0, 0, 1).geometry.coordinates as number[][][], square('b', 5, 5, 1).geometry.coordinates as number[][][]] },
    };
    const multi = createGridIndex([grid]);
    expect(multi.gridAt(5.5, 5.5)?.id).toBe('G0100');
    expect(multi.gridAt(3, 3)).toBeUndefined();
  });

  it('rejects coordinates that are not a longitude and latitude with a clear error', () => {
    expect(() => index.gridAt(Number.NaN, 34)).toThrow(/longitude, latitude/);
    expect(() => index.gridAt(34.1, 118.8)).toThrow(RangeError);
    expect(() => createGridIndex([{ ...square('G1', 0, 0, 1), geometry: { type: 'Point', coordinates: [0, 0] } } as unknown as Grid])).toThrow(/G1 needs a Polygon/);
  });

  it('indexes an empty list without failing', () => {
    expect(createGridIndex([]).gridAt(118.8, 34.1)).toBeUndefined();
  });
});
