/**
 * Which grid is this point in? Asked for every position report (~300 teams every 5–10 s, bursts in
 * replays), so it must take microseconds: a packed R-tree (flatbush) of grid bounding boxes narrows
 * 1,855 grids to two or three candidates, then an exact point-in-polygon test decides.
 */
import Flatbush from 'flatbush';
import { flattenPolygon, locatePoint, OUTSIDE, type FlatPolygon } from './pointInPolygon.ts';
import type { Grid } from './types.ts';

export interface GridIndex {
  /**
   * The grid containing the point, boundary included; on an edge or vertex shared by several
   * grids, the one with the lowest id. Undefined outside every grid.
   */
  gridAt(lon: number, lat: number): Grid | undefined;
  /** Number of grids indexed. */
  readonly size: number;
}

/**
 * Builds a point-to-grid index. Grids are not copied: edit one and rebuild the index.
 *
 * @example
 * const index = createGridIndex(demo.grids);
 * index.gridAt(118.7849, 34.1166)?.id; // 'G0062'
 */
export function createGridIndex(grids: readonly Grid[]): GridIndex {
  if (!Array.isArray(grids)) throw new TypeError('createGridIndex: grids must be an array');
  const polygons: FlatPolygon[] = grids.map((grid, i) => {
    const type = grid?.geometry?.type;
    if (type !== 'Polygon' && type !== 'MultiPolygon') {
      throw new TypeError(`createGridIndex: grid ${grid?.id ?? `#${i}`} needs a Polygon or MultiPolygon geometry, got ${type}`);
    }
    return flattenPolygon(grid.geometry);
  });
  // Rank by id, so ties go to the lowest id whatever the input order.
  const rank = new Int32Array(grids.length);
  grids
    .map((grid, i) => [grid.id, i] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .forEach(([, i], r) => (rank[i] = r));

  if (grids.length === 0) return { gridAt: () => undefined, size: 0 };
  const tree = new Flatbush(grids.length);
  for (const p of polygons) tree.add(p.minX, p.minY, p.maxX, p.maxY);
  tree.finish();

  return {
    size: grids.length,
    gridAt(lon, lat) {
      if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
        throw new RangeError(`gridAt: (${lon}, ${lat}) is not a WGS-84 longitude, latitude`);
      }
      const hits = tree.search(lon, lat, lon, lat);
      let best = -1;
      for (let h = 0; h < hits.length; h++) {
        const i = hits[h]!;
        if ((best < 0 || rank[i]! < rank[best]!) && locatePoint(lon, lat, polygons[i]!) !== OUTSIDE) best = i;
      }
      return best < 0 ? undefined : grids[best];
    },
  };
}
