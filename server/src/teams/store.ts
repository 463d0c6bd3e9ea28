/**
 * The team registry in Redis (one hash of JSON teams) and the teams' derived statuses (written
 * by the status sweep, status.ts). Key names come from keys.ts.
 */
import type { Team } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { TeamStatus } from './schemas.ts';
import { runSaveTeam, type SaveTeamResult } from './teamScripts.ts';

export function createTeamStore(redis: Redis, keys: Keys) {
  return {
    /** Writes (replaces) teams in one command. */
    async save(teams: Team[]): Promise<void> {
      if (teams.length === 0) return;
      await redis.hSet(keys.teams, Object.fromEntries(teams.map((t) => [t.id, JSON.stringify(t)])));
    },

    /**
     * Adds one team unless its id or call sign is taken; the same team sent again answers `same`.
     * Without an id it gets the next free TMnnn.
     */
    async create(team: Omit<Team, 'id'> & { id?: string }): Promise<SaveTeamResult> {
      return runSaveTeam(redis, keys, 'create', team);
    },

    /** Replaces one team unless another team has its call sign. */
    async replace(team: Team): Promise<SaveTeamResult> {
      return runSaveTeam(redis, keys, 'replace', team);
    },

    /** Every team, by id. */
    async list(): Promise<Team[]> {
      const all = await redis.hGetAll(keys.teams);
      return Object.values(all)
        .map((json) => JSON.parse(json) as Team)
        .sort((a, b) => a.id.localeCompare(b.id));
    },

    async get(id: string): Promise<Team | undefined> {
      const json = await redis.hGet(keys.teams, id);
      return json ? (JSON.parse(json) as Team) : undefined;
    },

    async count(): Promise<number> {
      return redis.hLen(keys.teams);
    },

    /** Every team's derived status (written by the status sweep): team id → { status, since }. */
    async statuses(): Promise<Map<string, { status: TeamStatus; since: number | null }>> {
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

export type TeamStore = ReturnType<typeof createTeamStore>;
