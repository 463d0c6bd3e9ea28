/**
 * The coordinates overlays are drawn in under a GCJ-02 basemap (the "Mars" coordinates Chinese tile
 * sets use): WGS-84 to and from GCJ-02 by gcoord, the library the server's import uses, so both
 * shift by one formula. Outside China the offset is zero, as the formula defines it.
 *
 * @example
 * wgs84ToGcj02([116.397, 39.909]) // ≈ [116.4032, 39.9104]
 */
import gcoord from 'gcoord';
import type { GeoJSON, Geometry, Position } from 'geojson';

export type LonLat = [number, number];

/** WGS-84 → GCJ-02. */
export function wgs84ToGcj02(point: readonly [number, number]): LonLat {
  return gcoord.transform([point[0], point[1]], gcoord.WGS84, gcoord.GCJ02) as LonLat;
}

/**
 * GCJ-02 → WGS-84. gcoord inverts the formula to 1e-6° (about 10 cm); one more fixed-point step
 * brings a clicked point back to well under a millimetre, so a round trip does not drift.
 */
export function gcj02ToWgs84(point: readonly [number, number]): LonLat {
  const [lon, lat] = gcoord.transform([point[0], point[1]], gcoord.GCJ02, gcoord.WGS84) as LonLat;
  const [gLon, gLat] = wgs84ToGcj02([lon, lat]);
  return [lon - (gLon - point[0]), lat - (gLat - point[1])];
}

function mapPosition(p: Position, shift: (point: LonLat) => LonLat): Position {
  const [lon, lat] = shift([p[0]!, p[1]!]);
  return p.length > 2 ? [lon, lat, ...p.slice(2)] : [lon, lat];
}

function mapGeometry(geometry: Geometry, shift: (point: LonLat) => LonLat): Geometry {
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: mapPosition(geometry.coordinates, shift) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map((p) => mapPosition(p, shift)) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((line) => line.map((p) => mapPosition(p, shift))) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((poly) => poly.map((ring) => ring.map((p) => mapPosition(p, shift)))) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((g) => mapGeometry(g, shift)) };
  }
}

/** A copy of a GeoJSON document with every position shifted (properties are shared, not copied). */
export function shiftGeoJSON<T extends GeoJSON>(data: T, shift: (point: LonLat) => LonLat): T {
  switch (data.type) {
    case 'FeatureCollection':
      return { ...data, features: data.features.map((f) => shiftGeoJSON(f, shift)) };
    case 'Feature':
      return { ...data, geometry: data.geometry ? mapGeometry(data.geometry, shift) : data.geometry };
    default:
      return mapGeometry(data, shift) as T;
  }
}
