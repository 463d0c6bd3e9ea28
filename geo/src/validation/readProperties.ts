/**
 * Typed reads of imported feature properties: each reports what is wrong and with which field.
 */
import type { FeatureReporter } from './readFeatures.ts';

/**
 * A required non-empty string (numbers are accepted and turned into strings).
 *
 * @example
 * const name = requiredString(properties, 'name', report); // undefined + error when missing
 */
export function requiredString(properties: Record<string, unknown>, field: string, report: FeatureReporter, aliases: string[] = []): string | undefined {
  const key = [field, ...aliases].find((k) => properties[k] !== undefined && properties[k] !== null);
  if (key === undefined) {
    report.error(field, `${field} is required`);
    return undefined;
  }
  return readString(properties[key], key, report);
}

/** An optional string: undefined when absent or empty, an error when of another type. */
export function optionalString(properties: Record<string, unknown>, field: string, report: FeatureReporter): string | undefined {
  const value = properties[field];
  if (value === undefined || value === null || value === '') return undefined;
  return readString(value, field, report);
}

/**
 * What an imported id may look like: letters, digits and `-` `_` `.` `:`, at most 128 of them.
 * Ids end up in Redis keys and in the ingest script's `id:distance,…` lists, so a comma, a tab
 * or a space in one would split it.
 */
export const IMPORTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Why `id` is not a valid imported id, or undefined when it is. */
export function badIdReason(id: string, field = 'id'): string | undefined {
  if (IMPORTED_ID.test(id)) return undefined;
  if (id.length > 128) return `${field} ${JSON.stringify(id.slice(0, 40))}… is longer than 128 characters`;
  return `${field} ${JSON.stringify(id)} may hold only letters, digits and - _ . : (no spaces, commas, tabs or other characters)`;
}

/** An optional reference to another imported id (gridId, townshipId, villageId), held to the same characters. */
export function optionalId(properties: Record<string, unknown>, field: string, report: FeatureReporter): string | undefined {
  const id = optionalString(properties, field, report);
  const bad = id === undefined ? undefined : badIdReason(id, field);
  if (bad) report.error(field, bad);
  return bad ? undefined : id;
}

function readString(value: unknown, field: string, report: FeatureReporter): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') {
    report.error(field, `${field} must be a non-empty string, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value.trim();
}

/**
 * An optional number within [min, max] (whole when `integer`), or `fallback` when absent.
 *
 * @example
 * optionalNumber(properties, 'radius', report, { min: 1, max: 5000, fallback: 50 });
 */
export function optionalNumber(
  properties: Record<string, unknown>,
  field: string,
  report: FeatureReporter,
  rule: { min: number; max: number; fallback: number; integer?: boolean; unit?: string },
): number | undefined {
  const value = properties[field];
  if (value === undefined || value === null || value === '') return rule.fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    report.error(field, `${field} must be a number, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (value < rule.min || value > rule.max || (rule.integer && !Number.isInteger(value))) {
    report.error(field, `${field} must be ${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}${rule.unit ? ` ${rule.unit}` : ''}, got ${value}`);
    return undefined;
  }
  return value;
}
