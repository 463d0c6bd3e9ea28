/**
 * The one stored form of a check-in, shared by the automatic ones (written by the ingest
 * script, tracking/lua/ingest.lua) and the explicit and QR ones (lua/recordCheckIn.lua): the
 * same fields in the streams, and the same tab-separated record under the client-generated id.
 */
import type { CheckIn, CheckInKind } from './schemas.ts';

/**
 * A fix is live when it reaches the server within this long of being taken: only live fixes
 * start or complete an automatic check-in, so a late upload never makes one in the past (and
 * an automatic check-in is recorded at most this long after it happened). The tracking
 * domain's LATE_AFTER_MS, which indexes late uploads by fix time, is this.
 */
export const LIVE_FIX_MAX_AGE_MS = 10 * 60_000;

/** Field order of the tab-separated record; the stream entries use these names. */
export const CHECKIN_FIELDS = ['id', 't', 'team', 'loc', 'kind', 'lon', 'lat', 'acc', 'dist', 'by', 'at'] as const;

const numOrNull = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

export function fromFields(f: Record<string, string | undefined>): CheckIn {
  return {
    id: f.id ?? '',
    teamId: f.team ?? '',
    locationId: f.loc ?? '',
    kind: (f.kind ?? 'explicit') as CheckInKind,
    time: Number(f.t),
    lon: numOrNull(f.lon),
    lat: numOrNull(f.lat),
    accuracy: numOrNull(f.acc),
    distance: numOrNull(f.dist),
    by: f.by ?? '',
    at: Number(f.at),
  };
}

export function parseRecord(record: string): CheckIn {
  const parts = record.split('\t');
  return fromFields(Object.fromEntries(CHECKIN_FIELDS.map((name, i) => [name, parts[i]])));
}

/** A check-in as the record and the stream fields (in {@link CHECKIN_FIELDS} order). */
export function toRecord(c: CheckIn): { record: string; fields: string[] } {
  const s = (v: number | null) => (v === null ? '' : String(v));
  const values = [c.id, String(c.time), c.teamId, c.locationId, c.kind, s(c.lon), s(c.lat), s(c.accuracy), s(c.distance), c.by, String(c.at)];
  return { record: values.join('\t'), fields: CHECKIN_FIELDS.flatMap((name, i) => [name, values[i]!]) };
}
