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
  /**
   * Derived status (see {@link TeamStatus}); live changes arrive as `team:status`. Always sent by
   * GET /api/teams; optional so views built before status existed still type-check.
   */
  status?: TeamStatus;
  statusSince?: number | null;
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

/* ---------- Coverage and alerts: types live in coverage/api.ts ---------- */
export type * from './coverage/api.ts';

/* ---------- Incidents and dispatch: types live in incidents/api.ts ---------- */
export type * from './incidents/api.ts';

/* ---------- Patrol tracking: devices, positions, status, check-ins ---------- */

/**
 * Team status 巡逻状态, derived from data: `off_duty` (never reported, ended its shift, or silent
 * for OFF_DUTY_AFTER_S), `offline` (on patrol but no position for OFFLINE_AFTER_S), `responding`
 * (dispatched to an incident), `on_patrol` (reporting).
 */
export type TeamStatus = 'off_duty' | 'on_patrol' | 'responding' | 'offline';

/** A tracker device 定位设备 registered to a team member. The identifier itself is never listed. */
export interface DeviceView {
  id: string;
  teamId: string;
  memberName: string;
  memberPhone: string | null;
  label: string | null;
  createdAt: number;
  /** Username of who registered it. */
  createdBy: string;
  revokedAt: number | null;
  /** Server time of its last accepted position. */
  lastSeenAt: number | null;
}

/** Set-up links for a new device; each carries the identifier. Show them as text and QR codes. */
export interface DeviceLinks {
  /** The patrol page, signed in as this device (identifier in the fragment, never sent to a server log). */
  patrol: string;
  /** Server URL for Traccar Client / OsmAnd's dedicated port (set the device identifier to `identifier`). */
  osmandServer: string;
  /** Full OsmAnd "online tracking" URL template. */
  osmandTemplate: string;
  /** OwnTracks HTTP mode URL (Settings → Connection → Host). */
  owntracks: string;
}

/** POST /api/teams/:id/devices → 201. The only response that ever contains the identifier. */
export interface NewDeviceResponse {
  device: DeviceView;
  /** 128 random bits, 26 characters of lower-case base32; case-insensitive. */
  identifier: string;
  links: DeviceLinks;
}

/** GET /api/teams/:id/devices */
export interface DevicesResponse {
  devices: DeviceView[];
}

/** POST /api/positions and /api/positions/batch → 200 once every fix is in Redis. */
export interface PositionsAccepted {
  accepted: number;
  /** Whether the team's marker moved (false when every fix was older than its latest). */
  moved: boolean;
  /** Fixes older than the team's latest: kept in history, marker not moved. */
  older: number;
  /** Fixes kept but flagged for poor accuracy (or marked invalid by the device). */
  flagged: number;
  /** Automatic check-ins these fixes completed. */
  checkIns: CheckIn[];
}

export type CheckInKind = 'auto' | 'explicit' | 'qr';

/** A check-in 签到 at a key location: automatic (dwell), explicit (patrol page) or by QR code. */
export interface CheckIn {
  /** Client-generated for explicit and QR check-ins (a retry never counts twice); `auto-<location>-<since>` for automatic ones. */
  id: string;
  teamId: string;
  locationId: string;
  kind: CheckInKind;
  /** When it happened (fix or client time), epoch ms. */
  time: number;
  lon: number | null;
  lat: number | null;
  accuracy: number | null;
  /** Metres from the location (0 inside a polygon location); null for a QR check-in without a position. */
  distance: number | null;
  /** Device id, or `user:<id>` for a signed-in patrol account. */
  by: string;
  /** Server time it was recorded. */
  at: number;
}

/** POST /api/checkins → 201 new, 200 when the id was already recorded (`duplicate`). */
export interface CheckInResponse {
  checkIn: CheckIn;
  duplicate: boolean;
}

/** 422 from POST /api/checkins (and the socket ack's error) when too far from the location. */
export interface CheckInTooFar extends ErrorResponse {
  /** Metres from the location. */
  distance: number;
  /** Radius plus the fix's accuracy, metres. */
  allowed: number;
}

/** GET /api/checkins?locationId=|teamId=&from=&to= */
export interface CheckInsResponse {
  checkIns: CheckIn[];
  truncated: boolean;
}

/** GET /api/checkins/codes/:locationId: what to print on the QR code posted at the location. */
export interface CheckInCodeResponse {
  locationId: string;
  code: string;
  /** Patrol page URL with the code in the fragment: the QR code's content. */
  url: string;
  generation: number;
}

export interface TrackPoint {
  time: number;
  lon: number;
  lat: number;
  heading: number | null;
  speed: number | null;
  accuracy: number | null;
  /** Poor accuracy or marked invalid by the device. */
  poor: boolean;
}

/** GET /api/teams/:id/track?from=&to=&limit= : fixes taken in [from, to], oldest first. */
export interface TrackResponse {
  teamId: string;
  from: number;
  to: number;
  positions: TrackPoint[];
  truncated: boolean;
}

export interface NearbyTeam {
  id: string;
  callSign: string;
  status: TeamStatus;
  /** Metres from the point. */
  distance: number;
  lon: number;
  lat: number;
  time: number | null;
  /**
   * The team patrols the point now: the point's grid is among its assigned grids (its active
   * shift's, else its standing ones) or its shift names a key location there. Show these first.
   */
  assigned?: boolean;
}

/** GET /api/teams/near?lon=&lat=&radius=&limit= : nearest first. */
export interface NearbyTeamsResponse {
  teams: NearbyTeam[];
}

export interface TeamStatusChange {
  teamId: string;
  status: TeamStatus;
  /** Since when, epoch ms; null for a team that never reported. */
  since: number | null;
}

/** GET /api/tracking/stats: ingest counters since the store was created. */
export interface IngestStatsResponse {
  /** `accepted:<source>`, `rejected:<source>:<status>`, `ignored:owntracks`. */
  counters: Record<string, number>;
}

/** GET /api/teams/:id: a team with its members (phones) and grids. */
export interface TeamDetailResponse {
  team: {
    id: string;
    callSign: string;
    agency: import('@lianfang/geo').Agency;
    organisationId: string;
    townshipId: string | null;
    members: import('@lianfang/geo').TeamMember[];
    gridIds: string[];
    status: TeamStatus;
    statusSince: number | null;
  };
}
