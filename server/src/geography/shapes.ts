/** Small shape helpers for serving: bounding boxes and marker points. */
import type { MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { KeyLocation } from '@lianfang/geo';

export type BBox = [number, number, number, number];

export function bboxOf(geometry: Polygon | MultiPolygon | Point): BBox {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (p: Position) => {
    const x = p[0]!, y = p[1]!;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  };
  if (geometry.type === 'Point') visit(geometry.coordinates);
  else if (geometry.type === 'Polygon') geometry.coordinates.forEach((r) => r.forEach(visit));
  else geometry.coordinates.forEach((poly) => poly.forEach((r) => r.forEach(visit)));
  return [w, s, e, n];
}

/** Where a location's marker goes: the point itself, or the middle of its polygon's box. */
export function locationPoint(location: KeyLocation): [number, number] {
  if (location.geometry.type === 'Point') return [location.geometry.coordinates[0]!, location.geometry.coordinates[1]!];
  const [w, s, e, n] = bboxOf(location.geometry);
  return [(w + e) / 2, (s + n) / 2];
}

