/**
 * Which key locations is a patrol at? Asked for every position report to record check-ins
 * (签到): a packed R-tree of each location's reach (its box padded by its radius) narrows 5,000
 * locations to a handful, then exact metres decide. A second tree, in metre-like coordinates, answers
 * "the k nearest" for dispatch.
 */
import Flatbush from 'flatbush';
import { distanceMetres, METRES_PER_DEGREE } from './distanceMetres.ts';
import { distanceToPolygon } from './distanceToPolygon.ts';
import { flattenPolygon, type FlatPolygon } from './pointInPolygon.ts';
import type { KeyLocation } from './types.ts';

/** A location and how far the point is from it, metres (0 inside a polygon location). */
export interface NearbyLocation {
  location: KeyLocation;
  distance: number;
}

export interface LocationIndex {
  /**
   * Locations whose reach contains the point: within `radius + extraMetres` of a point location,
   * or inside a polygon location or within that of its edge. Nearest first (ties by id), at most
   * `limit`. Pass the fix's accuracy as `extraMetres` to give a poor GPS fix the benefit of the doubt.
   */
  near(lon: number, lat: number, options?: { extraMetres?: number; limit?: number }): NearbyLocation[];
  /** The `n` locations nearest to the point, whatever their radius, nearest first (ties by id). */
  nearest(lon: number, lat: number, n: number): NearbyLocation[];
  readonly size: number;
}

/** Boxes are padded a little more than the radius, so rounding never loses a location at the edge. */
const PAD = 1.01;

/**
 * Builds a location index. Locations are not copied: edit one and rebuild the index.
 *
 * @example
 * const index = createLocationIndex(demo.locations);
 * index.near(118.7849, 34.1166, { extraMetres: 10 }); // [{ location: { id: 'L00001', … }, distance: 12.3 }]
 * index.nearest(118.7849, 34.1166, 3); // the three nearest, any radius
 */
export function createLocationIndex(locations: readonly KeyLocation[]): LocationIndex {
  if (!Array.isArray(locations)) throw new TypeError('createLocationIndex: locations must be an array');
  const count = locations.length;
  const pointX = new Float64Array(count);
  const pointY = new Float64Array(count);
  const polygons: Array<FlatPolygon | undefined> = new Array(count);
  const minX = new Float64Array(count);
  const minY = new Float64Array(count);
  const maxX = new Float64Array(count);
  const maxY = new Float64Array(count);
  let latSum = 0;
  let maxAbsLat = 0;
  locations.forEach((location, i) => {
    const geometry = location?.geometry;
    if (!(location?.radius >= 0)) throw new RangeError(`createLocationIndex: location ${location?.id ?? `#${i}`} needs a radius ≥ 0`);
    if (geometry?.type === 'Point') {
      const [x, y] = geometry.coordinates as [number, number];
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`createLocationIndex: location ${location.id} has a bad position`);
      pointX[i] = minX[i] = maxX[i] = x;
      pointY[i] = minY[i] = maxY[i] = y;
    } else if (geometry?.type === 'Polygon') {
      const flat = flattenPolygon(geometry);
      polygons[i] = flat;
      [minX[i], minY[i], maxX[i], maxY[i]] = [flat.minX, flat.minY, flat.maxX, flat.maxY];
    } else {
      throw new TypeError(`createLocationIndex: location ${location?.id ?? `#${i}`} needs a Point or Polygon geometry, got ${(geometry as { type?: string })?.type}`);
    }
    latSum += (minY[i]! + maxY[i]!) / 2;
    maxAbsLat = Math.max(maxAbsLat, Math.abs(minY[i]!), Math.abs(maxY[i]!));
  });
  const rank = new Int32Array(count);
  locations
    .map((location, i) => [location.id, i] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .forEach(([, i], r) => (rank[i] = r));

  const distanceTo = (i: number, lon: number, lat: number): number => {
    const polygon = polygons[i];
    return polygon ? distanceToPolygon(lon, lat, polygon) : distanceMetres(lon, lat, pointX[i]!, pointY[i]!);
  };
  const byDistance = (a: NearbyLocation & { rank: number }, b: NearbyLocation & { rank: number }) => a.distance - b.distance || a.rank - b.rank;
  const finish = (found: Array<NearbyLocation & { rank: number }>, limit: number): NearbyLocation[] =>
    found
      .sort(byDistance)
      .slice(0, limit)
      .map(({ location, distance }) => ({ location, distance }));
  const checkPoint = (lon: number, lat: number, what: string): void => {
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) throw new RangeError(`${what}: (${lon}, ${lat}) is not a WGS-84 longitude, latitude`);
  };

  if (count === 0) {
    return {
      size: 0,
      near: (lon, lat) => (checkPoint(lon, lat, 'near'), []),
      nearest: (lon, lat) => (checkPoint(lon, lat, 'nearest'), []),
    };
  }

  // Reach tree: each box padded by its radius, in degrees at its own (poleward) latitude.
  const reachTree = new Flatbush(count);
  for (let i = 0; i < count; i++) {
    const padLat = (locations[i]!.radius * PAD) / METRES_PER_DEGREE;
    const poleward = Math.max(Math.abs(minY[i]!), Math.abs(maxY[i]!));
    const padLon = padLat / Math.max(1e-6, Math.cos((Math.min(89.9, poleward + padLat) * Math.PI) / 180));
    reachTree.add(minX[i]! - padLon, minY[i]! - padLat, maxX[i]! + padLon, maxY[i]! + padLat);
  }
  reachTree.finish();

  // Nearest tree: longitudes shrunk by cos(mean latitude), so box distances are nearly metres.
  const meanLatCos = Math.cos(((latSum / count) * Math.PI) / 180);
  const nearTree = new Flatbush(count);
  for (let i = 0; i < count; i++) nearTree.add(minX[i]! * meanLatCos, minY[i]!, maxX[i]! * meanLatCos, maxY[i]!);
  nearTree.finish();

  return {
    size: count,
    near(lon, lat, options = {}) {
      checkPoint(lon, lat, 'near');
      const extra = options.extraMetres ?? 0;
      const limit = options.limit ?? Infinity;
      if (!(extra >= 0) || extra === Infinity) throw new RangeError(`near: extraMetres must be a finite number ≥ 0, got ${extra}`);
      if (!(limit >= 0)) throw new RangeError(`near: limit must be ≥ 0, got ${limit}`);
      const padLat = (extra * PAD) / METRES_PER_DEGREE;
      const padLon = padLat / Math.max(1e-6, Math.cos((Math.min(89.9, Math.abs(lat) + padLat) * Math.PI) / 180));
      const hits = reachTree.search(lon - padLon, lat - padLat, lon + padLon, lat + padLat);
      const found: Array<NearbyLocation & { rank: number }> = [];
      for (let h = 0; h < hits.length; h++) {
        const i = hits[h]!;
        const location = locations[i]!;
        const distance = distanceTo(i, lon, lat);
        if (distance <= location.radius + extra) found.push({ location, distance, rank: rank[i]! });
      }
      return found.length > 1 ? finish(found, limit) : found.length === 1 && limit >= 1 ? [{ location: found[0]!.location, distance: found[0]!.distance }] : [];
    },
    nearest(lon, lat, n) {
      checkPoint(lon, lat, 'nearest');
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`nearest: n must be a whole number ≥ 0, got ${n}`);
      if (n === 0) return [];
      // Box distances only approximate metres (cos of the mean latitude; boxes, not polygons):
      // take the n nearest boxes, then every box that could still beat the worst of them, and sort.
      const x = lon * meanLatCos;
      const first = nearTree.neighbors(x, lat, n);
      let worst = 0;
      for (const i of first) worst = Math.max(worst, distanceTo(i, lon, lat));
      // A box is at most this much farther than the metres to it (where longitudes shrink most).
      const stretch = Math.max(1, meanLatCos / Math.cos((Math.min(89.9, Math.max(maxAbsLat, Math.abs(lat))) * Math.PI) / 180));
      const candidates = nearTree.neighbors(x, lat, Infinity, ((worst + 1) * stretch * PAD) / METRES_PER_DEGREE);
      const found = candidates.map((i) => ({ location: locations[i]!, distance: distanceTo(i, lon, lat), rank: rank[i]! }));
      return finish(found, n);
    },
  };
}
