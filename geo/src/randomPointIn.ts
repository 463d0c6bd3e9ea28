/**
 * A random point inside a grid, for generated data (the demo's incidents and past disputes):
 * drawn in the grid's bounding box until one falls inside, rounded to ~0.1 m.
 */
import type { Position } from 'geojson';
import type { Random } from './createRandom.ts';
import { pointInPolygon } from './pointInPolygon.ts';
import type { Grid, LonLat } from './types.ts';

/**
 * A point inside `grid`, drawn from `random`; after 30 misses (a thin or odd shape) the first
 * corner of its outline, so the caller always gets a point of the grid.
 *
 * @example
 * randomPointIn(createRandom(7), grid); // [118.7712, 34.1198], inside grid.geometry
 */
export function randomPointIn(random: Random, grid: Grid): LonLat {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (p: Position) => {
    if (p[0]! < w) w = p[0]!;
    if (p[0]! > e) e = p[0]!;
    if (p[1]! < s) s = p[1]!;
    if (p[1]! > n) n = p[1]!;
  };
  if (grid.geometry.type === 'Polygon') grid.geometry.coordinates.forEach((r) => r.forEach(visit));
  else grid.geometry.coordinates.forEach((poly) => poly.forEach((r) => r.forEach(visit)));
  for (let i = 0; i < 30; i++) {
    const p: LonLat = [Math.round(random.between(w, e) * 1e6) / 1e6, Math.round(random.between(s, n) * 1e6) / 1e6];
    if (pointInPolygon(p, grid.geometry)) return p;
  }
  const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0]! : grid.geometry.coordinates[0]![0]!;
  return [ring[0]![0]!, ring[0]![1]!];
}
