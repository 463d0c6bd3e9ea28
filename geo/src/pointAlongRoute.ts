/**
 * Where a patrol is after walking some distance along its loop: the simulator's position function.
 */
import { distanceMetres } from './distanceMetres.ts';
import type { LonLat } from './types.ts';

/** A point on a route and the direction of travel there. */
export interface RoutePoint {
  lon: number;
  lat: number;
  /** Degrees clockwise from north, in [0, 360). */
  heading: number;
}

/**
 * The point `metres` along a closed-loop route from its first point. Distances wrap around the
 * loop (negative ones walk it backwards from the start), so a clock can drive it for ever.
 *
 * @example
 * pointAlongRoute([[118.78, 34.12], [118.79, 34.12]], 100); // { lon: ≈118.7811, lat: 34.12, heading: 90 }
 */
export function pointAlongRoute(route: readonly LonLat[], metres: number): RoutePoint {
  if (!Array.isArray(route) || route.length === 0) throw new RangeError('pointAlongRoute: route must hold at least one position');
  if (!Number.isFinite(metres)) throw new RangeError(`pointAlongRoute: metres must be finite, got ${metres}`);
  const n = route.length;
  const legs = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = route[i]!;
    const b = route[(i + 1) % n]!;
    legs[i] = distanceMetres(a[0], a[1], b[0], b[1]);
    total += legs[i]!;
  }
  const [lon0, lat0] = route[0]!;
  if (!(total > 0)) return { lon: lon0, lat: lat0, heading: 0 };
  let left = ((metres % total) + total) % total;
  for (let i = 0; i < n; i++) {
    const leg = legs[i]!;
    if (leg === 0) continue;
    if (left <= leg || i === n - 1) {
      const [ax, ay] = route[i]!;
      const [bx, by] = route[(i + 1) % n]!;
      const f = Math.min(1, left / leg);
      return { lon: ax + (bx - ax) * f, lat: ay + (by - ay) * f, heading: bearing(ax, ay, bx, by) };
    }
    left -= leg;
  }
  return { lon: lon0, lat: lat0, heading: 0 };
}

/** Initial bearing from a to b on the local flat approximation, degrees in [0, 360). */
function bearing(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const x = (lon2 - lon1) * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const y = lat2 - lat1;
  const degrees = (Math.atan2(x, y) * 180) / Math.PI;
  return degrees < 0 ? degrees + 360 : degrees;
}
