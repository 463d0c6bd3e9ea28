/**
 * Length of a patrol loop, for the simulator's timing and for reports.
 */
import { distanceMetres } from './distanceMetres.ts';
import type { LonLat } from './types.ts';

/**
 * Length in metres of a route walked as a closed loop: every leg, plus the leg back to the start
 * when the route does not already end there. A route of 0 or 1 point has length 0.
 *
 * @example
 * routeLength([[118.78, 34.12], [118.79, 34.12], [118.79, 34.13], [118.78, 34.12]]); // ≈ 3,160
 */
export function routeLength(route: readonly LonLat[]): number {
  if (!Array.isArray(route)) throw new TypeError('routeLength: route must be an array of [lon, lat]');
  let total = 0;
  for (let i = 1; i <= route.length; i++) {
    const a = route[i - 1]!;
    const b = route[i % route.length]!;
    total += distanceMetres(a[0], a[1], b[0], b[1]);
  }
  if (!Number.isFinite(total)) throw new TypeError('routeLength: route has a position that is not a pair of finite numbers');
  return total;
}
