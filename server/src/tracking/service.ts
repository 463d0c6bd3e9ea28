/**
 * Tracking: the teams' latest state for the maps. Positions come in through the one ingest
 * pipeline (ingest.ts), are written to Redis before anyone hears they were accepted, and only
 * positions that moved a team's latest fix are broadcast, from here.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { TeamView } from '../teams/schemas.ts';
import type { TeamStore } from '../teams/store.ts';
import type { TrackingStore } from './store.ts';
import type { PositionBroadcaster } from './broadcaster.ts';

export function createTrackingService(deps: { store: TrackingStore; teams: Pick<TeamStore, 'list' | 'statuses'>; broadcaster: PositionBroadcaster }) {
  const { store, teams: registry, broadcaster } = deps;
  return {
    store,
    /** Queues positions that moved their team (already in Redis) for the maps' next batch. */
    publish(positions: TeamPosition[]): void {
      for (const p of positions) broadcaster.push(p);
    },

    /** Every team with its latest position, for the map's snapshot. */
    async teamViews(): Promise<TeamView[]> {
      const teams = await registry.list();
      const [latest, statuses] = await Promise.all([store.latestPositions(teams.map((t) => t.id)), registry.statuses()]);
      return teams.map((t, i) => {
        const p = latest[i];
        const status = statuses.get(t.id);
        return {
          id: t.id,
          callSign: t.callSign,
          agency: t.agency,
          organisationId: t.organisationId,
          townshipId: t.townshipId ?? null,
          lon: p?.lon ?? null,
          lat: p?.lat ?? null,
          time: p?.time ?? null,
          heading: p?.heading ?? null,
          speed: p?.speed ?? null,
          battery: p?.battery ?? null,
          status: status?.status ?? 'off_duty',
          statusSince: status?.since ?? null,
        };
      });
    },
  };
}

export type TrackingService = ReturnType<typeof createTrackingService>;
