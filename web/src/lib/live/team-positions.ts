/**
 * How the live team list changes: a snapshot and position batches folded into a map keyed by
 * team id, and the GeoJSON the teams layer draws. Plain functions, no Svelte, so unit tests can
 * call them directly.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Agency, TeamPosition } from '@lianfang/geo';
import type { TeamView } from '@lianfang/server/api';

/** A team whose latest fix is older than this is drawn grey: where it is can't be trusted. */
export const OFFLINE_AFTER_MS = 3 * 60_000;

export function isOnPatrol(team: TeamView, now: number): boolean {
  return team.time !== null && team.lon !== null && now - team.time <= OFFLINE_AFTER_MS;
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
        ? { ...team, lon: held.lon, lat: held.lat, time: held.time, heading: held.heading, speed: held.speed }
        : team,
    );
  }
  return next;
}

export interface TeamFeatureProperties {
  id: string;
  callSign: string;
  agency: Agency;
  offline: boolean;
  time: number;
  /** Absent when the team's device reports none. */
  heading?: number;
}

/** The teams layer's data: every team with a position, offline ones flagged. */
export function teamsToFeatures(
  teams: Iterable<TeamView>,
  now: number,
): FeatureCollection<Point, TeamFeatureProperties> {
  const features: Feature<Point, TeamFeatureProperties>[] = [];
  for (const team of teams) {
    if (team.lon === null || team.lat === null || team.time === null) continue;
    const properties: TeamFeatureProperties = {
      id: team.id,
      callSign: team.callSign,
      agency: team.agency,
      offline: !isOnPatrol(team, now),
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

/** Teams on patrol by agency, for the header. */
export function countOnPatrol(teams: Iterable<TeamView>, now: number): { total: number; onPatrol: number; byAgency: Record<Agency, number> } {
  const byAgency: Record<Agency, number> = { police: 0, security: 0, grid: 0, volunteer: 0, joint: 0 };
  let total = 0;
  let onPatrol = 0;
  for (const team of teams) {
    total++;
    if (isOnPatrol(team, now)) {
      onPatrol++;
      byAgency[team.agency]++;
    }
  }
  return { total, onPatrol, byAgency };
}
