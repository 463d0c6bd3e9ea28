/**
 * Shapes of the HTTP API's responses: imported (as types only) by the web app,
 * so the two sides can never drift. Routes declare the matching JSON schemas.
 */
import type { Agency } from '@lianfang/geo';

export interface HealthResponse {
  status: 'ok' | 'degraded';
  redis: 'up' | 'down';
  /** Seconds since this process started. */
  uptime: number;
  version: string;
}

/** A team as the map shows it, with its latest position (null fields when it never reported). */
export interface TeamView {
  id: string;
  callSign: string;
  agency: Agency;
  organisationId: string;
  townshipId: string | null;
  lon: number | null;
  lat: number | null;
  /** Fix time of the latest position, epoch ms. */
  time: number | null;
  heading: number | null;
  speed: number | null;
}

export interface TeamsResponse {
  teams: TeamView[];
  /** Server time when the snapshot was taken, epoch ms: deltas older than this are already in it. */
  at: number;
}

export type { Role, SessionUser } from './access/roles.ts';
import type { SessionUser } from './access/roles.ts';

/** POST /api/auth/login → 200; GET /api/auth/me. */
export interface MeResponse {
  user: SessionUser;
}

/** Error body of every 4xx/5xx. `field` names the offending input where there is one. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
}

/** GET /api/config: what the map needs to know about this deployment. */
export interface MapConfigResponse {
  basemap:
    | { kind: 'none' }
    | { kind: 'xyz'; url: string; crs: 'wgs84' | 'gcj02'; attribution: string }
    | { kind: 'pmtiles'; url: string; crs: 'wgs84' | 'gcj02'; attribution: string };
  timezone: string;
}

/* ---------- Geography (served as GeoJSON, gzip + ETag) ---------- */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Contact, LocationCategory, Township } from '@lianfang/geo';

/** GET /api/geo/county: the county outline. */
export type CountyResponse = Feature<Polygon | MultiPolygon, { name: string }>;

export interface TownshipProperties {
  id: string;
  name: string;
  pinyin: string;
  kind: Township['kind'];
  /** A point inside the township for its label. */
  labelLon: number;
  labelLat: number;
  /** 0–7, so neighbouring townships get different fill colours. */
  colour: number;
}
/** GET /api/geo/townships */
export type TownshipsResponse = FeatureCollection<Polygon | MultiPolygon, TownshipProperties>;

export interface GridProperties {
  id: string;
  name: string;
  townshipId: string;
  townshipName: string;
  villageId: string | null;
  villageName: string | null;
  key: boolean;
  /** Same colour index as its township. */
  colour: number;
}
/** GET /api/geo/grids */
export type GridsResponse = FeatureCollection<Polygon | MultiPolygon, GridProperties>;

/** GET /api/geo/grids/:id: who residents can phone. */
export interface GridDetail extends GridProperties {
  leader: Contact | null;
  workers: Contact[];
  locationCount: number;
}

export interface LocationProperties {
  id: string;
  name: string;
  category: LocationCategory;
  priority: 1 | 2 | 3;
  radius: number;
  gridId: string | null;
  townshipId: string | null;
}
/** GET /api/geo/locations: every key location as a point (polygon locations by their centre). */
export type LocationsResponse = FeatureCollection<Point, LocationProperties>;

/** GET /api/geo/locations/:id */
export interface LocationDetail extends LocationProperties {
  lon: number;
  lat: number;
  gridName: string | null;
  townshipName: string | null;
  address: string | null;
  openingHours: string | null;
}

export interface SearchResult {
  kind: 'township' | 'village' | 'grid' | 'location';
  id: string;
  name: string;
  /** Township (and village) it lies in, for telling equal names apart. */
  context: string;
  lon: number;
  lat: number;
  /** [west, south, east, north] to fit the map to, when it is an area. */
  bbox: [number, number, number, number] | null;
}
/** GET /api/geo/search?q=…&limit=… : by Chinese name or pinyin (full or initials). */
export interface SearchResponse {
  results: SearchResult[];
}
