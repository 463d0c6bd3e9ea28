/**
 * Validates an imported GeoJSON file of key locations (重点部位) before the server writes it.
 */
import type { Crs, KeyLocation, ValidationResult } from './types.ts';
import { readFeatures } from './validation/readFeatures.ts';
import { LOCATION_SPEC } from './validation/readLocation.ts';

/**
 * Checks a FeatureCollection of key locations (Point or Polygon) and returns them cleaned, or
 * every problem found. Properties: `id` (or the Feature's id), `name`, `category` (one of
 * LOCATION_CATEGORIES), optional `priority` 1–3 (default 3), `radius` metres (default 50, at most
 * 5,000), `address`, `openingHours` ("08:00-22:00"), `gridId`, `townshipId`. Coordinates in
 * GCJ-02 (Gaode, Tencent) or BD-09 (Baidu) are converted to WGS-84 when `crs` says so.
 * Never throws on bad input.
 *
 * @example
 * const result = validateLocations(JSON.parse(text), { crs: 'gcj02' });
 * if (!result.ok) reply.code(422).send(result.errors);
 */
export function validateLocations(input: unknown, options: { crs?: Crs } = {}): ValidationResult<KeyLocation> {
  return readFeatures(input, LOCATION_SPEC, options);
}
