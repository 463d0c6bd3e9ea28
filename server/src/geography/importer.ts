/**
 * Imports grids and key locations from the files a county already has, all or nothing:
 * validated off the event loop, then written in one Redis transaction with a new geography
 * version (every server process picks it up on its next request). Used by the admin HTTP
 * endpoints and by `npm run import`.
 */
import { createHash } from 'node:crypto';
import type { MultiPolygon, Polygon } from 'geojson';
import { createGridIndex, type Grid, type KeyLocation, type ValidationIssue } from '@lianfang/geo';
import type { GeographyStore, StoredTownship } from './store.ts';
import { validateInWorker } from './validateInWorker.ts';
import type { Crs } from './importTypes.ts';
import { bboxOf, locationPoint } from './shapes.ts';

export interface ImportOptions {
  crs: Crs;
  /** Replace every grid (or location) instead of adding to and updating the ones there. */
  replace: boolean;
}

export type ImportOutcome =
  | { ok: true; imported: number; townshipsCreated: string[]; warnings: ValidationIssue[]; version: number }
  | { ok: false; errors: ValidationIssue[] };

const idFor = (name: string) => `T-${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;

function multiOf(grids: Grid[]): MultiPolygon {
  const coordinates: Polygon['coordinates'][] = [];
  for (const g of grids) {
    if (g.geometry.type === 'Polygon') coordinates.push(g.geometry.coordinates);
    else coordinates.push(...g.geometry.coordinates);
  }
  return { type: 'MultiPolygon', coordinates };
}

/** Finds each grid's township by id or by name; townships the county does not have yet are created. */
function resolveTownships(grids: Grid[], existing: StoredTownship[], allGrids: Grid[]): { grids: Grid[]; created: StoredTownship[] } {
  const byId = new Map(existing.map((t) => [t.id, t]));
  const byName = new Map(existing.map((t) => [t.name, t]));
  const created = new Map<string, StoredTownship>();
  const resolved = grids.map((g) => {
    const key = g.townshipId;
    const known = byId.get(key) ?? byName.get(key) ?? created.get(key);
    if (known) return { ...g, townshipId: known.id };
    const members = grids.filter((x) => x.townshipId === key);
    const [w, s, e, n] = bboxOf(members[0]!.geometry);
    const township: StoredTownship = {
      id: idFor(key),
      name: key,
      kind: key.endsWith('街道') ? 'street' : key.endsWith('乡') ? 'township' : 'town',
      geometry: multiOf(members),
      label: [(w + e) / 2, (s + n) / 2],
      colour: (existing.length + created.size) % 8,
    };
    created.set(key, township);
    return { ...g, townshipId: township.id };
  });
  // A created township's outline covers its grids already stored too (a re-import of one part).
  for (const t of created.values()) {
    const stored = allGrids.filter((g) => g.townshipId === t.id);
    if (stored.length > 0) t.geometry = multiOf([...stored, ...resolved.filter((g) => g.townshipId === t.id)]);
  }
  return { grids: resolved, created: [...created.values()] };
}

/** Sets the grid and township of locations that do not name them, from where they lie. */
function placeLocations(locations: KeyLocation[], grids: Grid[], force: boolean): KeyLocation[] {
  const index = createGridIndex(grids);
  return locations.map((l) => {
    if (!force && l.gridId && l.townshipId) return l;
    const [lon, lat] = locationPoint(l);
    const grid = index.gridAt(lon, lat);
    return { ...l, gridId: grid?.id ?? l.gridId, townshipId: grid?.townshipId ?? l.townshipId };
  });
}

export function createImporter(store: GeographyStore) {
  return {
    async importGrids(text: string, options: ImportOptions): Promise<ImportOutcome> {
      const { result } = await validateInWorker({ kind: 'grids', format: 'geojson', text, crs: options.crs });
      if (!result.ok) return { ok: false, errors: result.errors };
      const current = await store.load();
      const { grids, created } = resolveTownships(result.items as Grid[], current.townships, current.grids);
      const incoming = new Set(grids.map((g) => g.id));
      const allGrids = options.replace ? grids : [...current.grids.filter((g) => !incoming.has(g.id)), ...grids];
      const version = await store.merge({
        grids,
        replaceGrids: options.replace,
        townships: created,
        // Grid ids or shapes changed: locations follow the grid they now lie in.
        locations: placeLocations(current.locations, allGrids, true),
      });
      return { ok: true, imported: grids.length, townshipsCreated: created.map((t) => t.name), warnings: result.warnings, version };
    },

    async importLocations(text: string, format: 'geojson' | 'csv', options: ImportOptions): Promise<ImportOutcome> {
      const { result } = await validateInWorker({ kind: 'locations', format, text, crs: options.crs });
      if (!result.ok) return { ok: false, errors: result.errors };
      const current = await store.load();
      const locations = placeLocations(result.items as KeyLocation[], current.grids, false);
      const version = await store.merge({ locations, replaceLocations: options.replace });
      return { ok: true, imported: locations.length, townshipsCreated: [], warnings: result.warnings, version };
    },
  };
}

export type Importer = ReturnType<typeof createImporter>;
