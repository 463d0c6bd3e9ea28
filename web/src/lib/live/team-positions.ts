/**
 * How the live team list changes: a snapshot and position batches folded into a map keyed by
 * team id, and the GeoJSON the teams layer draws. Plain functions, no Svelte, so unit tests can
 * call them directly.
 */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { Agency, TeamPosition } from '@lianfang/geo';
import type { TeamStatus, TeamStatusChange, TeamView } from '@lianfang/server/api';
import { pixelKey, type Drawn } from '../map/pixel-gate';

/** The team's status (巡逻状态) as the server derives it (`team:status` keeps it current). */
export function teamStatus(team: TeamView): TeamStatus {
  return team.status;
}

/** On patrol or responding: out there and reporting. */
export function isOnPatrol(team: TeamView): boolean {
  const status = teamStatus(team);
  return status === 'on_patrol' || status === 'responding';
}

/** Applies a `team:status` change; false for a team not held or nothing new. */
export function applyStatus(teams: Map<string, TeamView>, change: TeamStatusChange): boolean {
  const team = teams.get(change.teamId);
  if (!team || (team.status === change.status && team.statusSince === change.since)) return false;
  teams.set(team.id, { ...team, status: change.status, statusSince: change.since });
  return true;
}

/**
 * Replaces a team's position with `position` when it is newer than the one held: 'stale' when it
 * is not (late or duplicate delivery), 'unknown' for a team the snapshot didn't have.
 */
export function applyPosition(teams: Map<string, TeamView>, position: TeamPosition): 'applied' | 'stale' | 'unknown' {
  const team = teams.get(position.teamId);
  if (!team) return 'unknown';
  if (team.time !== null && position.time <= team.time) return 'stale';
  teams.set(team.id, {
    ...team,
    lon: position.lon,
    lat: position.lat,
    time: position.time,
    heading: position.heading ?? null,
    speed: position.speed ?? null,
    battery: position.battery ?? team.battery,
  });
  return 'applied';
}

/**
 * Takes the snapshot's team list (teams not in it are gone), keeping a position already held when
 * it is newer than the snapshot's: a batch can arrive while the snapshot is on its way.
 */
export function mergeSnapshot(current: Map<string, TeamView>, snapshot: TeamView[]): Map<string, TeamView> {
  const next = new Map<string, TeamView>();
  for (const team of snapshot) {
    const held = current.get(team.id);
    const keepHeld = held?.time != null && (team.time === null || held.time > team.time);
    next.set(
      team.id,
      keepHeld && held
        ? { ...team, lon: held.lon, lat: held.lat, time: held.time, heading: held.heading, speed: held.speed, battery: held.battery ?? team.battery }
        : team,
    );
  }
  return next;
}

export interface TeamFeatureProperties {
  id: string;
  callSign: string;
  agency: Agency;
  status: TeamStatus;
  /** Offline or off duty: its position is not a team out there now. */
  offline: boolean;
  time: number;
  /** Absent when the team's device reports none. */
  heading?: number;
}

/** The teams layer's data: every team with a position, with its status. */
export function teamsToFeatures(teams: Iterable<TeamView>): FeatureCollection<Point, TeamFeatureProperties> {
  const features: Feature<Point, TeamFeatureProperties>[] = [];
  for (const team of teams) {
    if (team.lon === null || team.lat === null || team.time === null) continue;
    const status = teamStatus(team);
    const properties: TeamFeatureProperties = {
      id: team.id,
      callSign: team.callSign,
      agency: team.agency,
      status,
      offline: status === 'offline' || status === 'off_duty',
      time: team.time,
    };
    if (team.heading !== null) properties.heading = team.heading;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [team.lon, team.lat] },
      properties,
    });
  }
  return { type: 'FeatureCollection', features };
}

/** What the teams layer draws of each team, for the pixel gate: where, and how (status, agency, label, heading to 10°). */
export function teamDrawings(collection: FeatureCollection<Point, TeamFeatureProperties>): Drawn[] {
  return collection.features.map(({ geometry, properties: p }) => ({
    id: p.id,
    lon: geometry.coordinates[0]!,
    lat: geometry.coordinates[1]!,
    look: `${p.status}|${p.agency}|${p.callSign}|${p.heading === undefined ? '' : Math.round(p.heading / 10) % 36}`,
  }));
}

/** Teams on patrol by agency, for the header. */
export function countOnPatrol(teams: Iterable<TeamView>): { total: number; onPatrol: number; byAgency: Record<Agency, number> } {
  const byAgency: Record<Agency, number> = { police: 0, security: 0, grid: 0, volunteer: 0, joint: 0 };
  let total = 0;
  let onPatrol = 0;
  for (const team of teams) {
    total++;
    if (isOnPatrol(team)) {
      onPatrol++;
      byAgency[team.agency]++;
    }
  }
  return { total, onPatrol, byAgency };
}

/* ---------- Trails: the last few positions behind each moving team ---------- */

export interface TrailPoint {
  lon: number;
  lat: number;
  time: number;
}

export interface TrailOptions {
  /** Positions kept per team. */
  maxPoints: number;
  /** Positions older than this (behind the newest) are dropped, ms. */
  maxAgeMs: number;
  /** A jump longer than this starts the trail afresh (a device back after a gap), metres. */
  maxJumpM: number;
}

export const TRAIL: TrailOptions = { maxPoints: 60, maxAgeMs: 5 * 60_000, maxJumpM: 1500 };

/** Rough metres between two nearby points (equirectangular): enough to spot a jump. */
function metresBetween(a: TrailPoint, b: TrailPoint): number {
  const k = Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  return Math.hypot((b.lon - a.lon) * k, b.lat - a.lat) * 111_320;
}

/** The trail with `point` added at its head (a new array; the one given is not changed). */
export function extendTrail(trail: readonly TrailPoint[] | undefined, point: TrailPoint, options: TrailOptions = TRAIL): TrailPoint[] {
  const last = trail?.at(-1);
  if (!trail || !last || metresBetween(last, point) > options.maxJumpM) return [point];
  const kept = trail.filter((p) => point.time - p.time <= options.maxAgeMs);
  kept.push(point);
  return kept.length > options.maxPoints ? kept.slice(kept.length - options.maxPoints) : kept;
}

export interface TrailSegmentProperties {
  agency: Agency;
  /** 0 for the oldest segment of the trail, 1 for the newest: the line fades out behind the team. */
  fade: number;
}

/**
 * One line layer draws every team's trail: each trail as segments, so the older ones can fade.
 * Teams offline or off duty get none.
 */
export function trailsToFeatures(
  trails: ReadonlyMap<string, readonly TrailPoint[]>,
  teams: ReadonlyMap<string, TeamView>,
): FeatureCollection<LineString, TrailSegmentProperties> {
  const features: Feature<LineString, TrailSegmentProperties>[] = [];
  for (const [id, trail] of trails) {
    const team = teams.get(id);
    if (!team || trail.length < 2 || !isOnPatrol(team)) continue;
    const last = trail.length - 1;
    for (let i = 1; i <= last; i++) {
      const a = trail[i - 1]!;
      const b = trail[i]!;
      if (a.lon === b.lon && a.lat === b.lat) continue;
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [[a.lon, a.lat], [b.lon, b.lat]] },
        properties: { agency: team.agency, fade: i / last },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

/**
 * What the trails layer draws of each trail, for the pixel gate: its head, and its tail's pixel
 * (a trail shortens by age while its team stands still).
 */
export function trailDrawings(trails: ReadonlyMap<string, readonly TrailPoint[]>, teams: ReadonlyMap<string, TeamView>, zoom: number): Drawn[] {
  const drawn: Drawn[] = [];
  for (const [id, trail] of trails) {
    const team = teams.get(id);
    const head = trail.at(-1);
    if (!team || !head || trail.length < 2 || !isOnPatrol(team)) continue;
    drawn.push({ id, lon: head.lon, lat: head.lat, look: `${team.agency}|${pixelKey(trail[0]!.lon, trail[0]!.lat, zoom)}` });
  }
  return drawn;
}
