/**
 * A replayed track as plain functions: where the team was at a moment (interpolated between the
 * fixes either side), the path up to then, and the playhead as a function of wall-clock time, so
 * playing never drifts however uneven the frames are.
 */
import type { TrackPoint } from '@lianfang/server/api';

export type LonLat = [number, number];

/** The index of the last fix taken at or before `time`; -1 before the first. */
export function indexAt(track: readonly TrackPoint[], time: number): number {
  let lo = 0;
  let hi = track.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (track[mid]!.time <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Degrees clockwise from north, from `a` to `b`. */
export function bearing(a: LonLat, b: LonLat): number {
  const k = Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  const degrees = (Math.atan2((b[0] - a[0]) * k, b[1] - a[1]) * 180) / Math.PI;
  return (degrees + 360) % 360;
}

export interface ReplayPosition {
  lon: number;
  lat: number;
  /** Degrees; the device's, else the direction of travel; null when standing still. */
  heading: number | null;
}

/** Where the team was at `time`: the first fix before the track starts, the last after it ends. */
export function positionAt(track: readonly TrackPoint[], time: number): ReplayPosition | null {
  if (track.length === 0) return null;
  const i = indexAt(track, time);
  if (i < 0) return { lon: track[0]!.lon, lat: track[0]!.lat, heading: track[0]!.heading };
  const a = track[i]!;
  const b = track[i + 1];
  if (!b || b.time === a.time) return { lon: a.lon, lat: a.lat, heading: a.heading };
  const f = (time - a.time) / (b.time - a.time);
  const moved = a.lon !== b.lon || a.lat !== b.lat;
  return {
    lon: a.lon + (b.lon - a.lon) * f,
    lat: a.lat + (b.lat - a.lat) * f,
    heading: a.heading ?? (moved ? bearing([a.lon, a.lat], [b.lon, b.lat]) : null),
  };
}

/** The path from the first fix to where the team was at `time`. */
export function travelledPath(track: readonly TrackPoint[], time: number): LonLat[] {
  const i = indexAt(track, time);
  if (i < 0) return [];
  const path: LonLat[] = track.slice(0, i + 1).map((p) => [p.lon, p.lat]);
  const here = positionAt(track, time);
  if (here && i < track.length - 1) path.push([here.lon, here.lat]);
  return path;
}

/** Where the playhead is: `speed` × the wall-clock time since it was anchored, held at `end`. */
export function playhead(anchor: { wall: number; time: number }, wallNow: number, speed: number, end: number): number {
  return Math.min(end, anchor.time + Math.max(0, wallNow - anchor.wall) * speed);
}
