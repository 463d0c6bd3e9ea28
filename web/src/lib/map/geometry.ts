/** Small geometry helpers the map needs in the browser (no Turf in the bundle). */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

export type Bbox = [west: number, south: number, east: number, north: number];

function eachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of geometry.coordinates) line.forEach(visit);
      break;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) ring.forEach(visit);
      break;
    case 'GeometryCollection':
      for (const part of geometry.geometries) eachPosition(part, visit);
      break;
  }
}

export function bboxOf(geometry: Geometry): Bbox | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  eachPosition(geometry, ([lon, lat]) => {
    if (lon === undefined || lat === undefined) return;
    west = Math.min(west, lon);
    south = Math.min(south, lat);
    east = Math.max(east, lon);
    north = Math.max(north, lat);
  });
  return Number.isFinite(west) ? [west, south, east, north] : null;
}

/** Signed area and centroid of a ring (shoelace), in degrees: fine for label placement. */
function ringCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let area = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    const cross = xj * yi - xi * yj;
    area += cross;
    x += (xi + xj) * cross;
    y += (yi + yj) * cross;
  }
  area /= 2;
  return area === 0 ? { area, x: NaN, y: NaN } : { area, x: x / (6 * area), y: y / (6 * area) };
}

function insideRing([x, y]: [number, number], ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * One point to hang an area's label on: the centroid of its largest part's outline, or the middle
 * of its bounding box when the centroid falls outside (a crescent-shaped grid).
 */
export function labelPoint(geometry: Polygon | MultiPolygon): [number, number] | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best: { area: number; x: number; y: number; ring: Position[] } | null = null;
  for (const polygon of polygons) {
    const outer = polygon[0];
    if (!outer) continue;
    const c = ringCentroid(outer);
    if (!best || Math.abs(c.area) > Math.abs(best.area)) best = { ...c, ring: outer };
  }
  if (!best) return null;
  const centroid: [number, number] = [best.x, best.y];
  if (Number.isFinite(best.x) && insideRing(centroid, best.ring)) return centroid;
  const bbox = bboxOf(geometry);
  return bbox ? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2] : null;
}
