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
