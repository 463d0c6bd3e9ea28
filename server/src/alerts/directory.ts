/**
 * What alerts and coverage need to know about places and teams, in memory: key locations,
 * grids (with a point → grid index), organisations by geography version; teams re-read at
 * most every few seconds. Alert views are built from it without a Redis round trip.
 *
 * A team on a shift (排班) is assigned the shift's grids and the grids of its key locations
 * instead of its standing ones, from the moment the shift starts to the moment it ends: the
 * shifts come from `activeShifts`, which re-reads only when an assignment changed.
 */
import { createGridIndex, type Grid, type GridIndex, type KeyLocation, type Organisation, type Team } from '@lianfang/geo';
import type { GeographySnapshot } from '../geography/service.ts';
import { locationPoint } from '../geography/shapes.ts';

export interface Places {
  version: number;
  locations: Map<string, KeyLocation & { lon: number; lat: number }>;
  grids: Map<string, Grid>;
  /** Township id → name (coverage alerts are per township). */
  townships: Map<string, { id: string; name: string }>;
  keyGridIds: Set<string>;
  organisations: Map<string, Organisation>;
  gridIndex: GridIndex;
}

const TEAMS_FRESH_MS = 5_000;

/** What the directory needs of a shift. */
export interface ActiveShift {
  id: string;
  gridIds: string[];
  locationIds: string[];
}

export function createDirectory(deps: {
  snapshot: () => Promise<GeographySnapshot>;
  listTeams: () => Promise<Team[]>;
  /** Each team's shift active now (the same Map while nothing changed). */
  activeShifts?: () => Promise<Map<string, ActiveShift>>;
}) {
  let places: Places | undefined;
  let teams = new Map<string, Team>();
  let overlaid: { base: Map<string, Team>; shifts: Map<string, ActiveShift>; places: Places; teams: Map<string, Team> } | undefined;
  let teamsAt = -Infinity;
  let teamsLoading: Promise<Map<string, Team>> | undefined;

  function build(snap: GeographySnapshot): Places {
    const { raw } = snap;
    const locations = new Map<string, KeyLocation & { lon: number; lat: number }>();
    for (const l of raw.locations) {
      const [lon, lat] = locationPoint(l);
      locations.set(l.id, { ...l, lon, lat });
    }
    return {
      version: snap.version,
      locations,
      grids: new Map(raw.grids.map((g) => [g.id, g])),
      townships: new Map(raw.townships.map((t) => [t.id, { id: t.id, name: t.name }])),
      keyGridIds: new Set(raw.grids.filter((g) => g.key).map((g) => g.id)),
      organisations: new Map(raw.organisations.map((o) => [o.id, o])),
      gridIndex: createGridIndex(raw.grids),
    };
  }

  /** Places for the current geography version (rebuilt when it changed). */
  async function currentPlaces(): Promise<Places> {
    const snap = await deps.snapshot();
    if (!places || places.version !== snap.version) places = build(snap);
    return places;
  }

  /** Teams with their standing grids. */
  async function standingTeams(fresh: boolean): Promise<Map<string, Team>> {
    if (!fresh && performance.now() - teamsAt < TEAMS_FRESH_MS) return teams;
    teamsLoading ??= deps
      .listTeams()
      .then((list) => {
        teams = new Map(list.map((t) => [t.id, t]));
        teamsAt = performance.now();
        return teams;
      })
      .finally(() => (teamsLoading = undefined));
    return teamsLoading;
  }

  return {
    places: currentPlaces,
    /** The places last loaded, for synchronous lookups (alert views); undefined before the first load. */
    cachedPlaces(): Places | undefined {
      return places;
    },
    /**
     * Teams, re-read when older than a few seconds (or `fresh`), each with the grids it is
     * assigned now: its active shift's, else its standing ones.
     */
    async teams(fresh = false): Promise<Map<string, Team>> {
      const base = await standingTeams(fresh);
      if (!deps.activeShifts) return base;
      const [shifts, where] = await Promise.all([deps.activeShifts(), currentPlaces()]);
      if (shifts.size === 0) {
        overlaid = undefined;
        return base;
      }
      if (overlaid?.base === base && overlaid.shifts === shifts && overlaid.places === where) return overlaid.teams;
      const out = new Map(base);
      for (const [teamId, shift] of shifts) {
        const team = base.get(teamId);
        if (!team) continue;
        const gridIds = new Set(shift.gridIds);
        for (const id of shift.locationIds) {
          const gridId = where.locations.get(id)?.gridId;
          if (gridId) gridIds.add(gridId);
        }
        out.set(teamId, { ...team, gridIds: [...gridIds] });
      }
      overlaid = { base, shifts, places: where, teams: out };
      return out;
    },
    /** The teams last loaded (with their shifts' grids), for synchronous lookups. */
    cachedTeams(): Map<string, Team> {
      return overlaid?.base === teams ? overlaid.teams : teams;
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
