/**
 * The tracking API's shapes: positions in (and what their ingest answers), a team's track, the
 * teams near a point, ingest counters. Team shapes are in teams/schemas.ts, check-ins in
 * checkins/schemas.ts. Types are `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../schemaKit.ts';
import { CheckInOut } from '../checkins/schemas.ts';
import { TEAM_STATUSES, TeamStatusSchema } from '../teams/schemas.ts';
import { MAX_LAT, MAX_SPEED } from '@lianfang/geo';

export const MAX_BATCH = 1000;

/** JSON schema of a fix in our own API (strict: numbers must be numbers). */
export const FixSchema = T.Object({
  lon: T.Number({ minimum: -180, maximum: 180 }),
  lat: T.Number({ minimum: -MAX_LAT, maximum: MAX_LAT }),
  time: T.Integer({ minimum: 0, maximum: 9_999_999_999_999 }),
  heading: T.Optional(T.Number({ minimum: 0, maximum: 360 })),
  speed: T.Optional(T.Number({ minimum: 0, maximum: MAX_SPEED })),
  accuracy: T.Optional(T.Number({ minimum: 0, maximum: 100_000 })),
  /** Battery charge, percent. */
  battery: T.Optional(T.Number({ minimum: 0, maximum: 100 })),
});

const DeviceId = T.String({ minLength: 1, maxLength: 128 });
/** POST /api/positions: one fix. */
export const SinglePositionBody = T.Intersect([T.Object({ deviceId: DeviceId }), FixSchema]);
/** POST /api/positions/batch: 1–1000 fixes (more: 413). */
export const PositionBatchBody = T.Object({ deviceId: DeviceId, positions: T.Array(FixSchema, { minItems: 1, maxItems: MAX_BATCH }) });

/** POST /api/positions and /api/positions/batch → 200 once every fix is in Redis. */
export const PositionsAcceptedSchema = T.Object({
  accepted: T.Integer(),
  /** Whether the team's marker moved (false when every fix was older than its latest). */
  moved: T.Boolean(),
  /** Fixes older than the team's latest: kept in history, marker not moved. */
  older: T.Integer(),
  /** Fixes kept but flagged for poor accuracy (or marked invalid by the device). */
  flagged: T.Integer(),
  /** Automatic check-ins these fixes completed. */
  checkIns: T.Array(CheckInOut),
});
export type PositionsAccepted = Static<typeof PositionsAcceptedSchema>;

export const TrackPointSchema = T.Object({
  time: T.Number(),
  lon: T.Number(),
  lat: T.Number(),
  heading: Nullable(T.Number()),
  speed: Nullable(T.Number()),
  accuracy: Nullable(T.Number()),
  /** Poor accuracy or marked invalid by the device. */
  poor: T.Boolean(),
});
export type TrackPoint = Static<typeof TrackPointSchema>;

/** GET /api/teams/:id/track?from=&to=&limit= : fixes taken in [from, to], oldest first. */
export const TrackSchema = T.Object({ teamId: T.String(), from: T.Number(), to: T.Number(), positions: T.Array(TrackPointSchema), truncated: T.Boolean() });
export type TrackResponse = Static<typeof TrackSchema>;
/** The files a track downloads as (trackExport.ts). */
export const TRACK_FORMATS = ['gpx', 'kml', 'geojson'] as const;
export type TrackFormat = (typeof TRACK_FORMATS)[number];

export const TrackQuery = T.Object({
  from: T.Integer({ minimum: 0 }),
  to: T.Integer({ minimum: 0 }),
  limit: T.Integer({ minimum: 1, maximum: 50_000, default: 10_000 }),
  /** json (this shape, default), or a file to download: gpx (GPX 1.1), kml (KML 2.2), geojson. */
  format: T.Optional(StringEnum(['json', ...TRACK_FORMATS])),
});

export const NearbyTeamSchema = T.Object({
  id: T.String(),
  callSign: T.String(),
  status: TeamStatusSchema,
  /** Metres from the point. */
  distance: T.Number(),
  lon: T.Number(),
  lat: T.Number(),
  time: Nullable(T.Number()),
  /**
   * The team patrols the point now: the point's grid is among its assigned grids (its active
   * shift's, else its standing ones) or its shift names a key location there. Show these first.
   */
  assigned: T.Optional(T.Boolean()),
});
export type NearbyTeam = Static<typeof NearbyTeamSchema>;

/** GET /api/teams/near?lon=&lat=&radius=&limit= : nearest first. */
export const NearbyTeamsSchema = T.Object({ teams: T.Array(NearbyTeamSchema) });
export type NearbyTeamsResponse = Static<typeof NearbyTeamsSchema>;
export const NearbyQuery = T.Object({
  lon: T.Number({ minimum: -180, maximum: 180 }),
  lat: T.Number({ minimum: -MAX_LAT, maximum: MAX_LAT }),
  radius: T.Number({ minimum: 1, maximum: 100_000, default: 2000 }),
  limit: T.Integer({ minimum: 1, maximum: 200, default: 20 }),
  /** Comma-separated statuses to keep, e.g. `on_patrol,responding`. */
  status: T.Optional(T.String({ pattern: `^(${TEAM_STATUSES.join('|')})(,(${TEAM_STATUSES.join('|')}))*$` })),
});

/** GET /api/tracking/stats: ingest counters since the store was created. */
export const IngestStatsSchema = T.Object({
  /** `accepted:<source>`, `rejected:<source>:<status>`, `ignored:owntracks`. */
  counters: T.Record(T.String(), T.Number()),
});
export type IngestStatsResponse = Static<typeof IngestStatsSchema>;
