/**
 * Redis reads of teams and their positions: the latest position (hash + GEO set) and the
 * derived status. Positions are written by the ingest script only (ingest.ts), and the team
 * registry by saveTeams. Key names come from keys.ts.
 */
import type { Team, TeamPosition } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { TeamStatus } from '../teams/schemas.ts';

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

export function createTrackingStore(redis: Redis, keys: Keys) {
  return {
    /** Writes (replaces) teams in one transaction. */
    async saveTeams(teams: Team[]): Promise<void> {
      if (teams.length === 0) return;
      await redis.hSet(keys.teams, Object.fromEntries(teams.map((t) => [t.id, JSON.stringify(t)])));
    },

    async listTeams(): Promise<Team[]> {
      const all = await redis.hGetAll(keys.teams);
      return Object.values(all)
        .map((json) => JSON.parse(json) as Team)
        .sort((a, b) => a.id.localeCompare(b.id));
    },

    async getTeam(id: string): Promise<Team | undefined> {
      const json = await redis.hGet(keys.teams, id);
      return json ? (JSON.parse(json) as Team) : undefined;
    },

    async countTeams(): Promise<number> {
      return redis.hLen(keys.teams);
    },

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
        return p;
      });
    },

    /** Every team's derived status (written by the status sweep): team id → { status, since }. */
    async teamStatuses(): Promise<Map<string, { status: TeamStatus; since: number | null }>> {
      const all = await redis.hGetAll(keys.teamStatus);
      return new Map(
        Object.entries(all).map(([id, value]) => {
          const [status, since] = value.split('\t');
          return [id, { status: status as TeamStatus, since: since ? Number(since) : null }];
        }),
      );
    },
  };
}

export type TrackingStore = ReturnType<typeof createTrackingStore>;
