/**
 * Serves the geography fast: GeoJSON documents built once per geography version, kept
 * serialized and gzipped with an ETag, in each process. The version lives in Redis, so a
 * write through any process invalidates every process's copy on its next request.
 */
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Grid, KeyLocation, Village } from '@lianfang/geo';
import type {
  CountyResponse,
  GridDetail,
  GridProperties,
  LocationDetail,
  LocationProperties,
  SearchResult,
  TownshipProperties,
} from './schemas.ts';
import type { Geography, GeographyStore, StoredTownship } from './store.ts';
import { createSearchIndex, type SearchIndex } from './search.ts';
import { bboxOf, locationPoint } from './shapes.ts';

const gzip = promisify(gzipCb);

/** A response body ready to send: JSON, its gzip, and an ETag. */
export interface CachedBody {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

export interface GeographySnapshot {
  version: number;
  county: CachedBody;
  townships: CachedBody;
  grids: CachedBody;
  locations: CachedBody;
  gridDetail(id: string): GridDetail | undefined;
  locationDetail(id: string): LocationDetail | undefined;
  search(query: string, limit: number): SearchResult[];
  raw: Geography;
}

async function cache(version: number, name: string, value: unknown): Promise<CachedBody> {
  const json = Buffer.from(JSON.stringify(value));
  return { json, gzip: await gzip(json, { level: 6 }), etag: `"geo-${version}-${name}-${json.length.toString(36)}"` };
}

async function buildSnapshot(version: number, geo: Geography): Promise<GeographySnapshot> {
  const townshipById = new Map<string, StoredTownship>(geo.townships.map((t) => [t.id, t]));
  const villageById = new Map<string, Village>(geo.villages.map((v) => [v.id, v]));
  const gridById = new Map<string, Grid>(geo.grids.map((g) => [g.id, g]));
  const locationById = new Map<string, KeyLocation>(geo.locations.map((l) => [l.id, l]));
  const locationsPerGrid = new Map<string, number>();
  for (const l of geo.locations) if (l.gridId) locationsPerGrid.set(l.gridId, (locationsPerGrid.get(l.gridId) ?? 0) + 1);

  const gridProps = (g: Grid): GridProperties => {
    const township = townshipById.get(g.townshipId);
    const village = g.villageId ? villageById.get(g.villageId) : undefined;
    return {
      id: g.id,
      name: g.name,
      townshipId: g.townshipId,
      townshipName: township?.name ?? g.townshipId,
      villageId: g.villageId ?? null,
      villageName: village?.name ?? null,
      key: g.key ?? false,
      colour: township?.colour ?? 0,
    };
  };
  const locationProps = (l: KeyLocation): LocationProperties => ({
    id: l.id,
    name: l.name,
    category: l.category,
    priority: l.priority,
    radius: l.radius,
    gridId: l.gridId ?? null,
    townshipId: l.townshipId ?? null,
  });

  const county: CountyResponse = { type: 'Feature', properties: { name: geo.county.name }, geometry: geo.county.geometry };
  const townships: FeatureCollection<Polygon | MultiPolygon, TownshipProperties> = {
    type: 'FeatureCollection',
    features: geo.townships.map((t) => ({
      type: 'Feature',
      id: undefined,
      properties: {
        id: t.id,
        name: t.name,
        pinyin: t.pinyin ?? '',
        kind: t.kind,
        labelLon: t.label[0],
        labelLat: t.label[1],
        colour: t.colour,
      },
      geometry: t.geometry,
    })),
  };
  const grids: FeatureCollection<Polygon | MultiPolygon, GridProperties> = {
    type: 'FeatureCollection',
    features: geo.grids.map((g) => ({ type: 'Feature', properties: gridProps(g), geometry: g.geometry })),
  };
  const locations: FeatureCollection<Point, LocationProperties> = {
    type: 'FeatureCollection',
    features: geo.locations.map(
      (l): Feature<Point, LocationProperties> => ({
        type: 'Feature',
        properties: locationProps(l),
        geometry: { type: 'Point', coordinates: locationPoint(l) },
      }),
    ),
  };

  let searchIndex: SearchIndex | undefined;
  const [countyBody, townshipsBody, gridsBody, locationsBody] = await Promise.all([
    cache(version, 'county', county),
    cache(version, 'townships', townships),
    cache(version, 'grids', grids),
    cache(version, 'locations', locations),
  ]);
  return {
    version,
    county: countyBody,
    townships: townshipsBody,
    grids: gridsBody,
    locations: locationsBody,
    raw: geo,
    gridDetail(id) {
      const g = gridById.get(id);
      if (!g) return undefined;
      return { ...gridProps(g), leader: g.leader ?? null, workers: g.workers ?? [], locationCount: locationsPerGrid.get(id) ?? 0 };
    },
    locationDetail(id) {
      const l = locationById.get(id);
      if (!l) return undefined;
      const [lon, lat] = locationPoint(l);
      return {
        ...locationProps(l),
        lon,
        lat,
        gridName: l.gridId ? (gridById.get(l.gridId)?.name ?? null) : null,
        townshipName: l.townshipId ? (townshipById.get(l.townshipId)?.name ?? null) : null,
        address: l.address ?? null,
        openingHours: l.openingHours ?? null,
      };
    },
    search(query, limit) {
      // Built on first use: pinyin for ~7,000 names costs a few hundred ms.
      searchIndex ??= createSearchIndex(geo, { townshipById, villageById, gridById });
      return searchIndex.search(query, limit);
    },
  };
}

export function createGeographyService(store: GeographyStore) {
  let current: GeographySnapshot | undefined;
  let building: Promise<GeographySnapshot> | undefined;

  return {
    /** The snapshot for the current version in Redis, rebuilt when another process changed it. */
    async snapshot(): Promise<GeographySnapshot> {
      const version = await store.version();
      if (current && current.version === version) return current;
      if (!building) {
        building = store
          .load()
          .then(({ version: v, ...geo }) => buildSnapshot(v, geo))
          .then((snap) => (current = snap))
          .finally(() => (building = undefined));
      }
      return building;
    },
  };
}

export type GeographyService = ReturnType<typeof createGeographyService>;
