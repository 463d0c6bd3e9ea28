/**
 * GCJ-02 (the "Mars" coordinates Chinese basemaps are drawn in) from and to WGS-84, with the
 * standard published offset formula (Krasovsky ellipsoid), so overlays line up with a GCJ-02
 * basemap. Outside China the offset is zero, as the formula defines it.
 *
 * @example
 * wgs84ToGcj02([116.397, 39.909]) // ≈ [116.4032, 39.9104]
 */
import type { GeoJSON, Geometry, Position } from 'geojson';

export type LonLat = [number, number];

const A = 6378245.0;
const EE = 0.006693421622965943;

export function outOfChina([lon, lat]: readonly [number, number]): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS-84 → GCJ-02. */
export function wgs84ToGcj02(point: readonly [number, number]): LonLat {
  const [lon, lat] = point;
  if (outOfChina(point)) return [lon, lat];
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lon - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (offsetLon(lon - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** GCJ-02 → WGS-84: the forward formula inverted by a few fixed-point steps (well under a millimetre). */
export function gcj02ToWgs84(point: readonly [number, number]): LonLat {
  if (outOfChina(point)) return [point[0], point[1]];
  let lon = point[0];
  let lat = point[1];
  for (let i = 0; i < 10; i++) {
    const [gLon, gLat] = wgs84ToGcj02([lon, lat]);
    const dLon = gLon - point[0];
    const dLat = gLat - point[1];
    lon -= dLon;
    lat -= dLat;
    if (Math.abs(dLon) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return [lon, lat];
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
