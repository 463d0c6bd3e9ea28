/**
 * Imports key locations from a spreadsheet exported as CSV, the format county offices keep them in.
 */
import type { Crs, KeyLocation, ValidationIssue, ValidationResult } from './types.ts';
import { isKnownCrs } from './validation/cleanGeometry.ts';
import { createIssueLog, type IssueLog } from './validation/issueLog.ts';
import { parseCsv } from './validation/parseCsv.ts';
import { readOne } from './validation/readFeatures.ts';
import { LOCATION_SPEC } from './validation/readLocation.ts';

/** Accepted header names (lower case) for each property. */
const COLUMNS: Record<string, string[]> = {
  id: ['id'],
  name: ['name'],
  category: ['category'],
  lon: ['lon', 'lng', 'longitude'],
  lat: ['lat', 'latitude'],
  priority: ['priority'],
  radius: ['radius'],
  address: ['address'],
  openingHours: ['opening_hours', 'openinghours', 'hours'],
  gridId: ['grid_id', 'gridid'],
  townshipId: ['township_id', 'townshipid'],
};
const REQUIRED = ['id', 'name', 'category', 'lon', 'lat'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses CSV text with a header row into key locations, with the same rules as validateLocations.
 * Columns: id, name, category, lon, lat (required); priority, radius, address, opening_hours,
 * grid_id, township_id (optional). Issues are indexed by row number, the header being row 1.
 * Never throws on bad input.
 *
 * @example
 * parseLocationsCsv('id,name,category,lon,lat\nL1,沭阳汽车站,station,118.79,34.12\n');
 * // { ok: true, items: [{ id: 'L1', name: '沭阳汽车站', category: 'station', priority: 3, radius: 50, … }], warnings: [] }
 */
export function parseLocationsCsv(text: string, options: { crs?: Crs } = {}): ValidationResult<KeyLocation> {
  const log = createIssueLog();
  if (typeof text !== 'string') {
    log.error({ index: -1, reason: `expected CSV text, got ${text === null ? 'null' : typeof text}` });
    return log.result<KeyLocation>([]);
  }
  if (!isKnownCrs(options.crs)) {
    log.error({ index: -1, field: 'crs', reason: `unknown coordinate system ${JSON.stringify(options.crs)}; expected wgs84, gcj02 or bd09` });
    return log.result<KeyLocation>([]);
  }
  const { records, unterminatedAt } = parseCsv(text);
  if (unterminatedAt !== undefined) {
    log.error({ index: unterminatedAt, reason: 'a quoted field is never closed (missing ")' });
    return log.result<KeyLocation>([]);
  }
  const [header, ...rows] = records;
  if (!header) {
    log.error({ index: -1, reason: 'the CSV is empty: expected a header row and data rows' });
    return log.result<KeyLocation>([]);
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column: Record<string, number> = {};
  for (const [property, aliases] of Object.entries(COLUMNS)) {
    const at = names.findIndex((n) => aliases.includes(n));
    if (at >= 0) column[property] = at;
  }
  const missing = REQUIRED.filter((c) => column[c] === undefined);
  if (missing.length > 0) {
    log.error({ index: header.row, reason: `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${names.join(', ')})` });
    return log.result<KeyLocation>([]);
  }

  // Geometry issues come back as "geometry.coordinates": name the CSV columns instead.
  const csvLog: IssueLog = {
    error: (issue) => log.error(renameField(issue)),
    warn: (issue) => log.warn(renameField(issue)),
    get errorCount() {
      return log.errorCount;
    },
    result: (items) => log.result(items),
  };
  const seen = new Map<string, number>();
  const items: KeyLocation[] = [];
  for (const record of rows) {
    const { row, fields } = record;
    if (fields.length !== names.length) {
      log.error({ index: row, reason: `row has ${fields.length} fields but the header has ${names.length} (a comma inside a field needs quotes)` });
      continue;
    }
    const value = (property: string): string | undefined => {
      const at = column[property];
      const v = at === undefined ? undefined : fields[at]!.trim();
      return v === '' ? undefined : v;
    };
    const properties: Record<string, unknown> = {};
    let bad = false;
    for (const property of ['id', 'name', 'category', 'address', 'openingHours', 'gridId', 'townshipId']) {
      const v = value(property);
      if (v !== undefined) properties[property] = v;
    }
    const numbers: Record<string, number | undefined> = {};
    for (const property of ['lon', 'lat', 'priority', 'radius']) {
      const v = value(property);
      if (v === undefined) {
        if (property === 'lon' || property === 'lat') {
          log.error({ index: row, ...(properties.id ? { id: String(properties.id) } : {}), field: property, reason: `${property} is required` });
          bad = true;
        }
        continue;
      }
      if (!NUMBER.test(v)) {
        log.error({ index: row, ...(properties.id ? { id: String(properties.id) } : {}), field: property, reason: `${property} must be a number, got ${JSON.stringify(v)}` });
        bad = true;
        continue;
      }
      numbers[property] = Number(v);
    }
    if (bad) continue;
    if (numbers.priority !== undefined) properties.priority = numbers.priority;
    if (numbers.radius !== undefined) properties.radius = numbers.radius;
    const feature = { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [numbers.lon, numbers.lat] } };
    const item = readOne(feature, row, { ...LOCATION_SPEC, itemWord: 'row' }, options, csvLog, seen);
    if (item) items.push(item);
  }
  if (rows.length === 0) log.warn({ index: -1, reason: 'the CSV has a header but no data rows' });
  return log.result(items);
}

function renameField(issue: ValidationIssue): ValidationIssue {
  return issue.field?.startsWith('geometry') ? { ...issue, field: 'lon,lat' } : issue;
}
