/**
 * Redis reads of the teams' latest positions (hash + GEO set), written by the ingest script
 * only (ingest.ts). The teams themselves are the teams domain's. Key names come from keys.ts.
 */
import type { TeamPosition } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

export function createTrackingStore(redis: Redis, keys: Keys) {
  return {
    /** Latest position of each team, in the order given; null where it never reported. */
    async latestPositions(teamIds: string[]): Promise<(TeamPosition | null)[]> {
      if (teamIds.length === 0) return [];
      const multi = redis.multi();
      for (const id of teamIds) multi.hGetAll(keys.teamPosition(id));
      const rows = (await multi.exec()) as unknown as Record<string, string>[];
      return rows.map((h, i) => {
        if (!h || h.time === undefined) return null;
        const p: TeamPosition = { teamId: teamIds[i]!, lon: Number(h.lon), lat: Number(h.lat), time: Number(h.time) };
        const heading = num(h.heading);
        const speed = num(h.speed);
        const accuracy = num(h.accuracy);
        if (heading !== null) p.heading = heading;
        if (speed !== null) p.speed = speed;
        if (accuracy !== null) p.accuracy = accuracy;
        const battery = num(h.batt);
        if (battery !== null) p.battery = battery;
        return p;
      });
    },
  };
}

export type TrackingStore = ReturnType<typeof createTrackingStore>;
