/**
 * What alerts and coverage need to know about places and teams, in memory: key locations,
 * grids (with a point → grid index), organisations by geography version; teams re-read at
 * most every few seconds. Alert views are built from it without a Redis round trip.
 */
import { createGridIndex, type Grid, type GridIndex, type KeyLocation, type Organisation, type Team } from '@lianfang/geo';
import type { GeographySnapshot } from '../geography/service.ts';
import { locationPoint } from '../geography/shapes.ts';

export interface Places {
  version: number;
  locations: Map<string, KeyLocation & { lon: number; lat: number }>;
  grids: Map<string, Grid>;
  keyGridIds: Set<string>;
  organisations: Map<string, Organisation>;
  gridIndex: GridIndex;
}

const TEAMS_FRESH_MS = 5_000;

export function createDirectory(deps: { snapshot: () => Promise<GeographySnapshot>; listTeams: () => Promise<Team[]> }) {
  let places: Places | undefined;
  let teams = new Map<string, Team>();
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
      keyGridIds: new Set(raw.grids.filter((g) => g.key).map((g) => g.id)),
      organisations: new Map(raw.organisations.map((o) => [o.id, o])),
      gridIndex: createGridIndex(raw.grids),
    };
  }

  return {
    /** Places for the current geography version (rebuilt when it changed). */
    async places(): Promise<Places> {
      const snap = await deps.snapshot();
      if (!places || places.version !== snap.version) places = build(snap);
      return places;
    },
    /** The places last loaded, for synchronous lookups (alert views); undefined before the first load. */
    cachedPlaces(): Places | undefined {
      return places;
    },
    /** Teams, re-read when older than a few seconds (or `fresh`). */
    async teams(fresh = false): Promise<Map<string, Team>> {
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
    },
    cachedTeams(): Map<string, Team> {
      return teams;
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
