/**
 * Redis storage of teams and their positions: the latest position (hash + GEO set) and the
 * position history (a stream per team, trimmed by time). Key names come from keys.ts.
 */
import { createHash } from 'node:crypto';
import type { Team, TeamPosition } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { TeamStatus } from '../teams/schemas.ts';

/**
 * Appends the fix to the team's track; moves the latest position only when the fix is newer,
 * so a late (queued or out-of-order) fix goes to history without moving the marker.
 * KEYS: latest-position hash, GEO set, track stream. ARGV: teamId lon lat time heading speed accuracy minId
 */
const RECORD_POSITION = `
redis.call('XADD', KEYS[3], 'MINID', '~', ARGV[8], '*', 't', ARGV[4], 'lon', ARGV[2], 'lat', ARGV[3], 'hd', ARGV[5], 'sp', ARGV[6], 'acc', ARGV[7])
local last = tonumber(redis.call('HGET', KEYS[1], 'time'))
if last and last >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], 'lon', ARGV[2], 'lat', ARGV[3], 'time', ARGV[4], 'heading', ARGV[5], 'speed', ARGV[6], 'accuracy', ARGV[7])
redis.call('GEOADD', KEYS[2], ARGV[2], ARGV[3], ARGV[1])
return 1
`;
const RECORD_POSITION_SHA = createHash('sha1').update(RECORD_POSITION).digest('hex');

const opt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

export interface TrackingStoreOptions {
  /** Position history older than this is trimmed, ms. */
  retentionMs: number;
}

export function createTrackingStore(redis: Redis, keys: Keys, options: TrackingStoreOptions) {
  async function runRecord(p: TeamPosition, now: number): Promise<boolean> {
    const args = {
      keys: [keys.teamPosition(p.teamId), keys.teamGeo, keys.teamTrack(p.teamId)],
      arguments: [
        p.teamId,
        String(p.lon),
        String(p.lat),
        String(p.time),
        opt(p.heading),
        opt(p.speed),
        opt(p.accuracy),
        String(Math.max(0, now - options.retentionMs)),
      ],
    };
    try {
      return (await redis.evalSha(RECORD_POSITION_SHA, args)) === 1;
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return (await redis.eval(RECORD_POSITION, args)) === 1;
    }
  }

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

    /**
     * Records each fix (history always; latest only if newer). Resolves, in order, whether
     * each fix moved its team's latest position.
     */
    async recordPositions(positions: TeamPosition[], now: number): Promise<boolean[]> {
      // Sequential per team keeps order; node-redis pipelines concurrent calls on one connection.
      return Promise.all(positions.map((p) => runRecord(p, now)));
    },
  };
}

export type TrackingStore = ReturnType<typeof createTrackingStore>;
