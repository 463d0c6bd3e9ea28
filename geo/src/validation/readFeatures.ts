/**
 * The shared walk over an imported FeatureCollection: checks the envelope, then hands each
 * feature's cleaned geometry and properties to an entity reader, and rejects duplicate ids.
 */
import type { Crs, ValidationIssue, ValidationResult } from '../types.ts';
import { cleanGeometry, isKnownCrs, type AllowedGeometry } from './cleanGeometry.ts';
import { createIssueLog, type IssueLog } from './issueLog.ts';
import { badIdReason } from './readProperties.ts';

/** Reports problems of one feature; `index` and `id` are filled in by the walk. */
export interface FeatureReporter {
  error(field: string | undefined, reason: string): void;
  warn(field: string | undefined, reason: string): void;
}

/** Turns one feature into an item, or returns undefined after reporting why it cannot. */
export type EntityReader<T> = (
  geometry: AllowedGeometry,
  properties: Record<string, unknown>,
  report: FeatureReporter,
  id: string,
) => T | undefined;

export interface EntitySpec<T> {
  /** "grid", "location": used in messages. */
  what: string;
  geometryTypes: ReadonlyArray<AllowedGeometry['type']>;
  read: EntityReader<T>;
  /** What an index counts, for messages: "feature" (default) or "row". */
  itemWord?: string;
}

/**
 * Validates `input` as a FeatureCollection of the given entity. Never throws on bad input.
 *
 * @example
 * const result = readFeatures(json, { what: 'grid', geometryTypes: ['Polygon', 'MultiPolygon'], read }, { crs: 'wgs84' });
 */
export function readFeatures<T>(input: unknown, spec: EntitySpec<T>, options: { crs?: Crs } = {}): ValidationResult<T> {
  const log = createIssueLog();
  if (!isKnownCrs(options.crs)) {
    log.error({ index: -1, field: 'crs', reason: `unknown coordinate system ${JSON.stringify(options.crs)}; expected wgs84, gcj02 or bd09` });
    return log.result<T>([]);
  }
  const collection = input as { type?: unknown; features?: unknown } | null;
  if (typeof collection !== 'object' || collection === null || Array.isArray(collection) || collection.type !== 'FeatureCollection') {
    const got = collection === null || typeof collection !== 'object' ? String(collection === null ? 'null' : typeof collection) : `type ${JSON.stringify(collection.type)}`;
    log.error({ index: -1, reason: `expected a GeoJSON FeatureCollection, got ${Array.isArray(collection) ? 'an array' : got}` });
    return log.result<T>([]);
  }
  if (!Array.isArray(collection.features)) {
    log.error({ index: -1, field: 'features', reason: 'a FeatureCollection needs a "features" array' });
    return log.result<T>([]);
  }
  const features = collection.features as unknown[];
  if (features.length === 0) log.warn({ index: -1, field: 'features', reason: `the collection holds no ${spec.what}s` });
  const items: T[] = [];
  const seen = new Map<string, number>();
  features.forEach((feature, index) => {
    const item = readOne(feature, index, spec, options, log, seen);
    if (item !== undefined) items.push(item);
  });
  return log.result(items);
}

/** Reads feature `index`; reused for CSV rows, whose `index` is the row number. */
export function readOne<T>(
  feature: unknown,
  index: number,
  spec: EntitySpec<T>,
  options: { crs?: Crs },
  log: IssueLog,
  seen: Map<string, number>,
): T | undefined {
  try {
    const f = feature as { type?: unknown; geometry?: unknown; properties?: unknown; id?: unknown } | null;
    if (typeof f !== 'object' || f === null || f.type !== 'Feature') {
      log.error({ index, reason: `expected a GeoJSON Feature, got ${f === null ? 'null' : typeof f === 'object' ? `type ${JSON.stringify(f.type)}` : typeof f}` });
      return undefined;
    }
    const properties = (typeof f.properties === 'object' && f.properties !== null && !Array.isArray(f.properties) ? f.properties : {}) as Record<string, unknown>;
    // The id: properties.id, or the Feature's own id (RFC 7946 §3.2).
    const rawId = properties.id ?? f.id;
    const id = typeof rawId === 'string' ? rawId.trim() : typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : undefined;
    const issue = (field: string | undefined, reason: string): ValidationIssue => {
      const i: ValidationIssue = { index, reason };
      if (id) i.id = id;
      if (field) i.field = field;
      return i;
    };
    const report: FeatureReporter = {
      error: (field, reason) => log.error(issue(field, reason)),
      warn: (field, reason) => log.warn(issue(field, reason)),
    };
    const before = log.errorCount;
    if (rawId === undefined || rawId === null) report.error('id', `${spec.what} has no id (properties.id or the Feature's id)`);
    else if (!id) report.error('id', `id must be a non-empty string or a number, got ${JSON.stringify(rawId)}`);
    else if (badIdReason(id)) report.error('id', badIdReason(id)!);
    else if (seen.has(id)) report.error('id', `duplicate id ${JSON.stringify(id)}: already used by ${spec.itemWord ?? 'feature'} ${seen.get(id)}`);
    else seen.set(id, index);
    const geometry = cleanGeometry(f.geometry, spec.geometryTypes, options, report);
    const item = geometry ? spec.read(geometry, properties, report, id ?? '') : undefined;
    return log.errorCount === before ? item : undefined;
  } catch (error) {
    // Exotic input (throwing getters, proxies): report it rather than throw.
    log.error({ index, reason: `could not read this ${spec.what}: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
}
