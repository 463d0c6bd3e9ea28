/**
 * The loop a patrol team walks: the outer boundary of the union of its grids. Edges two grids share
 * cancel out (neighbours share exact vertices), leaving the outline of the whole patrol area.
 */
import type { Grid, LonLat } from './types.ts';
import type { Position } from 'geojson';

/**
 * A closed walking loop (first point = last point, counter-clockwise) along the outer boundary of
 * the given grids. Grids that do not touch give several outlines; they are joined into one loop,
 * walking from each outline to the nearest point of the next. Holes are not walked.
 *
 * @example
 * const route = patrolRoute([gridA, gridB]); // the outline around both, shared edge left out
 */
export function patrolRoute(grids: readonly Grid[]): LonLat[] {
  if (!Array.isArray(grids) || grids.length === 0) throw new RangeError('patrolRoute: needs at least one grid');
  // Directed edges, counter-clockwise around every grid; an edge meeting its reverse cancels.
  const edges = new Map<string, [Position, Position]>();
  for (const grid of grids) {
    const geometry = grid?.geometry;
    if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') {
      throw new TypeError(`patrolRoute: grid ${grid?.id} has no Polygon or MultiPolygon geometry`);
    }
    const polygons: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons) {
      polygon.forEach((ring, r) => {
        const wanted = r === 0 ? 1 : -1; // outer rings counter-clockwise, holes clockwise
        const points = Math.sign(signedArea(ring)) === wanted ? ring : [...ring].reverse();
        for (let i = 0; i + 1 < points.length; i++) {
          const a = points[i]!;
          const b = points[i + 1]!;
          const ka = key(a);
          const kb = key(b);
          if (ka === kb) continue;
          if (!edges.delete(`${kb}>${ka}`)) edges.set(`${ka}>${kb}`, [a, b]);
        }
      });
    }
  }

  // Chain what is left into loops.
  const outgoing = new Map<string, Array<[Position, Position]>>();
  for (const edge of edges.values()) {
    const k = key(edge[0]);
    const list = outgoing.get(k);
    if (list) list.push(edge);
    else outgoing.set(k, [edge]);
  }
  const loops: LonLat[][] = [];
  for (const start of edges.values()) {
    const list = outgoing.get(key(start[0]));
    if (!list?.includes(start)) continue; // already used
    const loop: LonLat[] = [];
    let edge: [Position, Position] | undefined = start;
    while (edge) {
      const from = outgoing.get(key(edge[0]))!;
      from.splice(from.indexOf(edge), 1);
      loop.push([edge[0][0]!, edge[0][1]!]);
      edge = outgoing.get(key(edge[1]))?.[0];
    }
    if (loop.length >= 3 && signedArea([...loop, loop[0]!]) > 0) loops.push(loop);
  }
  if (loops.length === 0) throw new Error('patrolRoute: the grids have no outer boundary');

  // Biggest outline first; from where each outline closes, hop to the nearest point of the next.
  loops.sort((a, b) => signedArea([...b, b[0]!]) - signedArea([...a, a[0]!]));
  const route: LonLat[] = [];
  for (let here: LonLat | undefined; loops.length > 0; ) {
    let bestLoop = 0;
    let bestPoint = 0;
    if (here) {
      let bestDistance = Infinity;
      loops.forEach((loop, l) =>
        loop.forEach((p, i) => {
          const d = (p[0] - here![0]) ** 2 + (p[1] - here![1]) ** 2;
          if (d < bestDistance) [bestDistance, bestLoop, bestPoint] = [d, l, i];
        }),
      );
    }
    const [loop] = loops.splice(bestLoop, 1);
    const rotated = [...loop!.slice(bestPoint), ...loop!.slice(0, bestPoint)];
    route.push(...rotated, [rotated[0]![0], rotated[0]![1]]);
    here = rotated[0];
  }
  const [lon, lat] = route[0]!;
  const [lastLon, lastLat] = route[route.length - 1]!;
  if (lon !== lastLon || lat !== lastLat) route.push([lon, lat]);
  return route;
}

function key(p: Position): string {
  return `${p[0]},${p[1]}`;
}

/** Twice the signed area in square degrees: positive when counter-clockwise. */
function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum;
}
