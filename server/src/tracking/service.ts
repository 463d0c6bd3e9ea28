/**
 * Tracking: positions in, latest state and history to Redis, then out to the maps. A position
 * is written to Redis before anyone hears it was accepted, and only positions that moved a
 * team's latest fix are broadcast.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { TeamView } from '../teams/schemas.ts';
import type { TrackingStore } from './store.ts';
import type { PositionBroadcaster } from './broadcaster.ts';
import type { Clock } from '../clock.ts';

export function createTrackingService(deps: { store: TrackingStore; broadcaster: PositionBroadcaster; clock: Clock }) {
  const { store, broadcaster, clock } = deps;
  return {
    store,
    /** Records positions; resolves with how many moved a team's latest position. */
    async ingest(positions: TeamPosition[]): Promise<{ moved: number; history: number }> {
      const moved = await store.recordPositions(positions, clock.now());
      let count = 0;
      positions.forEach((p, i) => {
        if (moved[i]) {
          count++;
          broadcaster.push(p);
        }
      });
      return { moved: count, history: positions.length - count };
    },

    /** Queues positions that moved their team (already in Redis) for the maps' next batch. */
    publish(positions: TeamPosition[]): void {
      for (const p of positions) broadcaster.push(p);
    },

    /** Every team with its latest position, for the map's snapshot. */
    async teamViews(): Promise<TeamView[]> {
      const teams = await store.listTeams();
      const [latest, statuses] = await Promise.all([store.latestPositions(teams.map((t) => t.id)), store.teamStatuses()]);
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
          status: status?.status ?? 'off_duty',
          statusSince: status?.since ?? null,
        };
      });
    },
  };
}

export type TrackingService = ReturnType<typeof createTrackingService>;
