/**
 * Validates an imported GeoJSON file of grids (网格) before the server writes it.
 */
import type { Contact, Crs, Grid, Township, ValidationResult } from './types.ts';
import type { AllowedGeometry } from './validation/cleanGeometry.ts';
import { readFeatures, type FeatureReporter } from './validation/readFeatures.ts';
import { optionalId, requiredString } from './validation/readProperties.ts';

export interface ValidateGridsOptions {
  crs?: Crs;
  /** Known townships: when given, `township` may be a name or an id and must match one. */
  townships?: ReadonlyArray<Pick<Township, 'id' | 'name'>>;
}

/**
 * Checks a FeatureCollection of grids (Polygon or MultiPolygon) and returns them cleaned, or every
 * problem found. Properties: `id` (or the Feature's id), `name`, `township` (or `townshipId`:
 * a township id, or its name when `townships` is given), optional `villageId`, `key` (boolean),
 * `leader` ({ name, phone }) and `workers` ([{ name, phone }]). Never throws on bad input.
 *
 * @example
 * const result = validateGrids(JSON.parse(text), { townships: county.townships });
 * if (result.ok) await store.replaceGrids(result.items);
 */
export function validateGrids(input: unknown, options: ValidateGridsOptions = {}): ValidationResult<Grid> {
  const byName = new Map<string, string>();
  const ids = new Set<string>();
  for (const t of options.townships ?? []) {
    byName.set(t.name, t.id);
    ids.add(t.id);
  }
  return readFeatures(
    input,
    {
      what: 'grid',
      geometryTypes: ['Polygon', 'MultiPolygon'],
      read(geometry, properties, report, id) {
        const name = requiredString(properties, 'name', report);
        let townshipId = requiredString(properties, 'township', report, ['townshipId']);
        if (townshipId !== undefined && options.townships) {
          const known = ids.has(townshipId) ? townshipId : byName.get(townshipId);
          if (!known) report.error('township', `unknown township ${JSON.stringify(townshipId)}: not the id or name of any township`);
          townshipId = known;
        }
        const key = properties.key;
        if (key !== undefined && key !== null && typeof key !== 'boolean') report.error('key', `key must be true or false, got ${JSON.stringify(key)}`);
        const leader = properties.leader === undefined || properties.leader === null ? undefined : contact(properties.leader, 'leader', report);
        const workersValue = properties.workers ?? [];
        if (!Array.isArray(workersValue)) report.error('workers', 'workers must be an array of { name, phone }');
        const workers = Array.isArray(workersValue) ? workersValue.map((w, i) => contact(w, `workers[${i}]`, report)) : [];
        const villageId = optionalId(properties, 'villageId', report);
        if (name === undefined || townshipId === undefined) return undefined;
        const grid: Grid = { id, name, townshipId, workers: workers.filter((w): w is Contact => w !== undefined), geometry: geometry as Exclude<AllowedGeometry, { type: 'Point' }> };
        if (villageId) grid.villageId = villageId;
        if (leader) grid.leader = leader;
        if (key === true) grid.key = true;
        return grid;
      },
    },
    options,
  );
}

function contact(value: unknown, field: string, report: FeatureReporter): Contact | undefined {
  const c = value as { name?: unknown; phone?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || c.name.trim() === '' || (typeof c.phone !== 'string' && typeof c.phone !== 'number')) {
    report.error(field, `${field} must be { name, phone } with a name and a phone number`);
    return undefined;
  }
  return { name: c.name.trim(), phone: String(c.phone).trim() };
}
