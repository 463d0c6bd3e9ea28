/**
 * A patrol loop through given points (the key locations a team must visit), short enough to walk:
 * nearest neighbour first, then 2-opt to undo crossings.
 */
import { distanceMetres } from './distanceMetres.ts';
import type { LonLat } from './types.ts';

/**
 * A closed loop (first point = last point) starting at `points[0]` and visiting every point once.
 * Not guaranteed optimal, but without crossing legs. Deterministic.
 *
 * @example
 * patrolRouteThrough([[118.78, 34.12], [118.80, 34.13], [118.79, 34.11]]); // 4 points, back at the start
 */
export function patrolRouteThrough(points: readonly LonLat[]): LonLat[] {
  if (!Array.isArray(points) || points.length === 0) throw new RangeError('patrolRouteThrough: needs at least one point');
  points.forEach((p, i) => {
    if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new TypeError(`patrolRouteThrough: point ${i} must be [lon, lat] with finite numbers, got ${JSON.stringify(p)}`);
    }
  });
  const n = points.length;
  const d = (a: number, b: number) => distanceMetres(points[a]![0], points[a]![1], points[b]![0], points[b]![1]);

  // Nearest neighbour from the first point.
  const order = [0];
  const used = new Uint8Array(n);
  used[0] = 1;
  for (let step = 1; step < n; step++) {
    const last = order[order.length - 1]!;
    let best = -1;
    for (let j = 0; j < n; j++) if (!used[j] && (best < 0 || d(last, j) < d(last, best))) best = j;
    used[best] = 1;
    order.push(best);
  }

  // 2-opt: reverse a stretch whenever that shortens the loop, until nothing does (bounded).
  for (let pass = 0, improved = true; improved && pass < 50; pass++) {
    improved = false;
    for (let i = 1; i < n - 1; i++) {
      for (let k = i + 1; k < n; k++) {
        const a = order[i - 1]!;
        const b = order[i]!;
        const c = order[k]!;
        const e = order[(k + 1) % n]!;
        if (d(a, c) + d(b, e) < d(a, b) + d(c, e) - 1e-9) {
          order.splice(i, k - i + 1, ...order.slice(i, k + 1).reverse());
          improved = true;
        }
      }
    }
  }
  const route = order.map((i) => [points[i]![0], points[i]![1]] as LonLat);
  route.push([points[0]![0], points[0]![1]]);
  return route;
}
