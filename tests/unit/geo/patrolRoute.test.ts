import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { generateDemoCounty, patrolRoute, patrolRouteThrough, pointAlongRoute, routeLength, type Grid, type LonLat } from '../../../geo/src/index.ts';

/** A grid from corner literals, so shared corners are exactly equal numbers. */
function square(id: string, west: number, south: number, east = Number((west + 0.01).toFixed(6)), north = Number((south + 0.01).toFixed(6)), clockwise = false): Grid {
  const [e, n] = [east, north];
  const ring = [[west, south], [e, south], [e, n], [west, n], [west, south]];
  return { id, name: id, townshipId: 'T01', workers: [], geometry: { type: 'Polygon', coordinates: [clockwise ? ring.reverse() : ring] } };
}
const key = (p: LonLat) => p.join();
/** Metres in 0.01° of longitude and of latitude at 34.1° N. */
const EAST_WEST = 0.01 * 111195.08 * Math.cos((34.1 * Math.PI) / 180);
const NORTH_SOUTH = 0.01 * 111195.08;

describe(patrolRoute.name, () => {
  it('walks once around a single grid, closed and counter-clockwise', () => {
    expect(patrolRoute([square('G1', 118.8, 34.1)])).toEqual([[118.8, 34.1], [118.81, 34.1], [118.81, 34.11], [118.8, 34.11], [118.8, 34.1]]);
    // A clockwise grid gives the same loop.
    expect(patrolRoute([square('G1', 118.8, 34.1, 118.81, 34.11, true)]).map(key).sort()).toEqual(patrolRoute([square('G1', 118.8, 34.1)]).map(key).sort());
  });

  it('walks the outline of two neighbouring grids, leaving out the edge they share', () => {
    const route = patrolRoute([square('G1', 118.8, 34.1), square('G2', 118.81, 34.1)]);
    expect(route[0]).toEqual(route[route.length - 1]);
    expect(new Set(route.map(key))).toEqual(new Set(['118.8,34.1', '118.81,34.1', '118.82,34.1', '118.82,34.11', '118.81,34.11', '118.8,34.11']));
    // The shared edge (118.81, 34.1)–(118.81, 34.11) is never walked.
    for (let i = 0; i + 1 < route.length; i++) {
      const pair = [key(route[i]!), key(route[i + 1]!)].sort().join(' ');
      expect(pair).not.toBe('118.81,34.1 118.81,34.11');
    }
    expect(routeLength(route)).toBeCloseTo(2 * (2 * EAST_WEST + NORTH_SOUTH), 0);
  });

  it('joins grids that do not touch into one loop that visits each outline', () => {
    const route = patrolRoute([square('G1', 118.8, 34.1), square('G2', 118.9, 34.1)]);
    const points = new Set(route.map(key));
    expect(points.has('118.8,34.1')).toBe(true);
    expect(points.has('118.91,34.11')).toBe(true);
    expect(route[0]).toEqual(route[route.length - 1]);
  });

  it('walks the outer boundary of a demo team, shared edges cancelled, inside its grids', () => {
    const demo = generateDemoCounty();
    const team = demo.teams.find((t) => t.gridIds.length >= 4)!;
    const grids = team.gridIds.map((id) => demo.grids.find((g) => g.id === id)!);
    const route = patrolRoute(grids);
    const allVertices = grids.reduce((n, g) => n + (g.geometry.coordinates[0] as unknown[]).length, 0);
    expect(route.length).toBeLessThan(allVertices); // interior edges dropped
    for (const p of route) expect(grids.some((g) => booleanPointInPolygon(p, g.geometry))).toBe(true);
  });

  it('refuses an empty list of grids with a clear error', () => {
    expect(() => patrolRoute([])).toThrow(/at least one grid/);
  });
});

describe(routeLength.name, () => {
  it('measures a loop in metres, including the leg back to the start', () => {
    const open: LonLat[] = [[118.8, 34.1], [118.81, 34.1]];
    expect(routeLength(open)).toBeCloseTo(2 * EAST_WEST, 1);
    expect(routeLength([...open, [118.8, 34.1]])).toBeCloseTo(2 * EAST_WEST, 1);
    expect(routeLength([[118.8, 34.1]])).toBe(0);
    expect(routeLength([])).toBe(0);
  });
});

describe(pointAlongRoute.name, () => {
  const route: LonLat[] = [[118.8, 34.1], [118.81, 34.1], [118.81, 34.11], [118.8, 34.11], [118.8, 34.1]];
  const length = routeLength(route);

  it('moves along the first leg heading east', () => {
    const at = pointAlongRoute(route, 100);
    expect(at.lat).toBeCloseTo(34.1, 9);
    expect(at.lon).toBeCloseTo(118.8 + (0.01 * 100) / EAST_WEST, 7);
    expect(at.heading).toBeCloseTo(90, 6);
  });

  it('reports headings clockwise from north on each leg', () => {
    const legs = [EAST_WEST, NORTH_SOUTH, EAST_WEST, NORTH_SOUTH];
    let start = 0;
    const headings = legs.map((leg) => {
      const h = pointAlongRoute(route, start + leg / 2).heading;
      start += leg;
      return Math.round(h);
    });
    expect(headings).toEqual([90, 0, 270, 180]);
  });

  it('wraps around the loop, forwards and backwards', () => {
    const a = pointAlongRoute(route, 500);
    for (const m of [500 + length, 500 + 3 * length, 500 - length]) {
      const b = pointAlongRoute(route, m);
      expect(b.lon).toBeCloseTo(a.lon, 9);
      expect(b.lat).toBeCloseTo(a.lat, 9);
    }
    const back = pointAlongRoute(route, -100);
    expect(back.lon).toBeCloseTo(118.8, 9);
    expect(back.lat).toBeCloseTo(34.1 + (0.01 * 100) / NORTH_SOUTH, 7);
  });

  it('stays put on a one-point route and refuses an empty route or a non-finite distance', () => {
    expect(pointAlongRoute([[118.8, 34.1]], 50)).toEqual({ lon: 118.8, lat: 34.1, heading: 0 });
    expect(() => pointAlongRoute([], 5)).toThrow(/at least one position/);
    expect(() => pointAlongRoute(route, Number.NaN)).toThrow(/finite/);
  });
});

describe(patrolRouteThrough.name, () => {
  it('visits every point once and comes back to the first, without crossing its own path', () => {
    // Corners of a square given in a crossing order: the loop must go round, not across.
    const corners: LonLat[] = [[118.8, 34.1], [118.81, 34.11], [118.81, 34.1], [118.8, 34.11]];
    const route = patrolRouteThrough(corners);
    expect(route).toHaveLength(5);
    expect(route[0]).toEqual(corners[0]);
    expect(route[4]).toEqual(corners[0]);
    expect(new Set(route.slice(0, 4).map(key))).toEqual(new Set(corners.map(key)));
    expect(routeLength(route)).toBeCloseTo(2 * (EAST_WEST + NORTH_SOUTH), 0);
  });

  it('walks points given in star order round the circle they lie on', () => {
    const ring: LonLat[] = Array.from({ length: 12 }, (_, i) => [118.8 + 0.01 * Math.cos((i * 5 * Math.PI) / 6), 34.1 + 0.01 * Math.sin((i * 5 * Math.PI) / 6)]);
    const circle = routeLength(Array.from({ length: 12 }, (_, i) => [118.8 + 0.01 * Math.cos((i * Math.PI) / 6), 34.1 + 0.01 * Math.sin((i * Math.PI) / 6)] as LonLat));
    expect(routeLength(patrolRouteThrough(ring))).toBeCloseTo(circle, 0);
  });

  it('refuses an empty list or a malformed point', () => {
    expect(() => patrolRouteThrough([])).toThrow(/at least one point/);
    expect(() => patrolRouteThrough([[118.8, Number.NaN]])).toThrow(/point 0/);
  });
});
