/**
 * Checks an imported GeoJSON geometry against RFC 7946 and returns a clean copy: 2-D positions
 * (altitude dropped), converted to WGS-84, rings wound exterior counter-clockwise. What can be
 * fixed safely is fixed with a warning; everything else is reported, all of it, not just the first.
 */
import kinks from '@turf/kinks';
import rewind from '@turf/rewind';
import gcoord from 'gcoord';
import { flattenPolygon, locatePoint, OUTSIDE } from '../pointInPolygon.ts';
import type { Crs } from '../types.ts';
import type { Geometry, MultiPolygon, Point, Polygon, Position } from 'geojson';

export type AllowedGeometry = Point | Polygon | MultiPolygon;

/** Where to report: `field` is a path such as `geometry.coordinates[0][3]`. */
export interface GeometryReporter {
  error(field: string, reason: string): void;
  warn(field: string, reason: string): void;
}

const FROM_CRS = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** Whether `crs` is one the import understands (undefined means WGS-84). */
export function isKnownCrs(crs: unknown): crs is Crs | undefined {
  return crs === undefined || crs === 'wgs84' || crs === 'gcj02' || crs === 'bd09';
}

/** Rough box around China, for the swapped-coordinates hint. */
function inChina(lon: number, lat: number): boolean {
  return lon >= 73 && lon <= 135.5 && lat >= 18 && lat <= 54;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 20 ? value.slice(0, 20) + '…' : value)})`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * Returns the cleaned geometry, or undefined after reporting why it cannot be used.
 *
 * @example
 * const geometry = cleanGeometry(feature.geometry, ['Polygon', 'MultiPolygon'], { crs: 'gcj02' }, reporter);
 */
export function cleanGeometry(
  input: unknown,
  allowed: ReadonlyArray<AllowedGeometry['type']>,
  options: { crs?: Crs },
  report: GeometryReporter,
): AllowedGeometry | undefined {
  if (input === null || input === undefined) {
    report.error('geometry', 'feature has no geometry');
    return undefined;
  }
  const geometry = input as Partial<Geometry>;
  if (typeof input !== 'object' || !allowed.includes(geometry.type as AllowedGeometry['type'])) {
    report.error('geometry.type', `geometry type ${JSON.stringify(geometry?.type)} is not allowed here; expected ${allowed.join(' or ')}`);
    return undefined;
  }
  const coordinates = (geometry as { coordinates?: unknown }).coordinates;
  // The caller has checked options.crs (see isKnownCrs).
  const convert = options.crs === 'gcj02' || options.crs === 'bd09' ? FROM_CRS[options.crs] : undefined;
  let failed = false;
  let droppedAltitude = false;
  let swapWarned = false;

  const position = (value: unknown, path: string): Position | undefined => {
    if (!Array.isArray(value) || value.length < 2) {
      report.error(path, `a position must be [longitude, latitude], got ${describe(value)}`);
      failed = true;
      return undefined;
    }
    const [lon, lat] = value as unknown[];
    for (const [name, v] of [['longitude', lon], ['latitude', lat]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        report.error(path, `${name} must be a finite number, got ${describe(v)}`);
        failed = true;
        return undefined;
      }
    }
    const x = lon as number;
    const y = lat as number;
    if (x < -180 || x > 180 || y < -90 || y > 90) {
      const swapped = y >= -180 && y <= 180 && x >= -90 && x <= 90;
      report.error(path, `[${x}, ${y}] is out of range (longitude −180…180, latitude −90…90)${swapped ? '; looks like swapped lat/lon: GeoJSON is [longitude, latitude]' : ''}`);
      failed = true;
      return undefined;
    }
    if (!swapWarned && !inChina(x, y) && inChina(y, x)) {
      report.warn(path, `[${x}, ${y}] is outside China but [${y}, ${x}] is inside: looks like swapped lat/lon (GeoJSON is [longitude, latitude])`);
      swapWarned = true;
    }
    if (value.length > 2) droppedAltitude = true;
    return convert ? (gcoord.transform([x, y], convert, gcoord.WGS84) as Position) : [x, y];
  };

  const ring = (value: unknown, path: string): Position[] | undefined => {
    if (!Array.isArray(value)) {
      report.error(path, `a ring must be an array of positions, got ${describe(value)}`);
      failed = true;
      return undefined;
    }
    const positions = value.map((p, i) => position(p, `${path}[${i}]`));
    if (positions.some((p) => p === undefined)) return undefined;
    if (value.length < 4) {
      report.error(path, `a ring needs at least 4 positions (closed triangle), got ${value.length}`);
      failed = true;
      return undefined;
    }
    const first = value[0] as number[];
    const last = value[value.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      report.error(path, `ring is not closed: the first position [${first[0]}, ${first[1]}] differs from the last [${last[0]}, ${last[1]}]`);
      failed = true;
      return undefined;
    }
    return positions as Position[];
  };

  const polygon = (value: unknown, path: string): Position[][] | undefined => {
    if (!Array.isArray(value) || value.length === 0) {
      report.error(path, `a polygon must be a non-empty array of rings, got ${Array.isArray(value) ? 'an empty array' : describe(value)}`);
      failed = true;
      return undefined;
    }
    const rings = value.map((r, i) => ring(r, `${path}[${i}]`));
    if (rings.some((r) => r === undefined)) return undefined;
    const clean = rings as Position[][];
    clean.forEach((r, i) => {
      if (signedArea(r) === 0) {
        report.error(`${path}[${i}]`, 'ring has no area (all its positions are on one line)');
        failed = true;
      }
    });
    if (clean.length > 1) {
      const shell = flattenPolygon({ type: 'Polygon', coordinates: [clean[0]!] });
      for (let h = 1; h < clean.length; h++) {
        if (clean[h]!.some(([x, y]) => locatePoint(x!, y!, shell) === OUTSIDE)) {
          report.error(`${path}[${h}]`, `hole ${h} is not inside the outer ring`);
          failed = true;
        }
      }
    }
    return clean;
  };

  let result: AllowedGeometry | undefined;
  if (geometry.type === 'Point') {
    const p = position(coordinates, 'geometry.coordinates');
    if (p) result = { type: 'Point', coordinates: p };
  } else if (geometry.type === 'Polygon') {
    const p = polygon(coordinates, 'geometry.coordinates');
    if (p) result = { type: 'Polygon', coordinates: p };
  } else {
    if (!Array.isArray(coordinates) || coordinates.length === 0) {
      report.error('geometry.coordinates', `a MultiPolygon must be a non-empty array of polygons, got ${describe(coordinates)}`);
      return undefined;
    }
    const parts = coordinates.map((p, i) => polygon(p, `geometry.coordinates[${i}]`));
    if (parts.every((p) => p !== undefined)) result = { type: 'MultiPolygon', coordinates: parts as Position[][][] };
  }
  if (failed || !result) return undefined;

  if (droppedAltitude) report.warn('geometry.coordinates', 'altitude dropped: only longitude and latitude are kept');
  if (result.type !== 'Point') {
    const crossings = kinks(result).features;
    if (crossings.length > 0) {
      const [x, y] = crossings[0]!.geometry.coordinates;
      report.error('geometry.coordinates', `polygon intersects itself at [${x}, ${y}]${crossings.length > 1 ? ` and ${crossings.length - 1} more places` : ''}`);
      return undefined;
    }
    if (!isWoundRight(result)) {
      rewind(result, { mutate: true });
      report.warn('geometry.coordinates', 'ring winding fixed: exterior counter-clockwise, holes clockwise (RFC 7946)');
    }
  }
  return result;
}

function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum;
}

function isWoundRight(geometry: Polygon | MultiPolygon): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.every((rings) => rings.every((ring, i) => (signedArea(ring) > 0) === (i === 0)));
}
