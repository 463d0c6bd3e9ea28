/**
 * How far a point is from a polygon key location (a compound, a campus): 0 inside, otherwise the
 * distance to the nearest edge, in metres, on the same local flat approximation as distanceMetres.
 */
import { METRES_PER_DEGREE } from './distanceMetres.ts';
import { locatePoint, OUTSIDE, type FlatPolygon } from './pointInPolygon.ts';

/**
 * Metres from (lon, lat) to a flat polygon: 0 when inside or on its boundary.
 *
 * @example
 * distanceToPolygon(118.78, 34.12, flattenPolygon(compound.geometry)); // 0 inside, else metres to the fence
 */
export function distanceToPolygon(lon: number, lat: number, polygon: FlatPolygon): number {
  if (locatePoint(lon, lat, polygon) !== OUTSIDE) return 0;
  const kx = Math.cos((lat * Math.PI) / 180) * METRES_PER_DEGREE;
  const ky = METRES_PER_DEGREE;
  const c = polygon.coords;
  const starts = polygon.ringStarts;
  let best = Infinity;
  for (let r = 0; r < starts.length - 1; r++) {
    for (let i = starts[r]!; i < starts[r + 1]! - 1; i++) {
      // Segment a→b in metres relative to the point.
      const ax = (c[i * 2]! - lon) * kx;
      const ay = (c[i * 2 + 1]! - lat) * ky;
      const bx = (c[i * 2 + 2]! - lon) * kx;
      const by = (c[i * 2 + 3]! - lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const lengthSquared = dx * dx + dy * dy;
      const t = lengthSquared > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSquared)) : 0;
      const px = ax + t * dx;
      const py = ay + t * dy;
      const d = px * px + py * py;
      if (d < best) best = d;
    }
  }
  return Math.sqrt(best);
}
