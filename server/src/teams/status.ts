/**
 * Team status derived from data, in one place: a Lua sweep (`lua/sweepStatus.lua`) compares
 * every team's latest fix time, explicit end of shift and dispatch flag with its stored status
 * and writes (and returns) only the changes. Being atomic, it can run in every server process
 * at once and each change is still announced once.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { TeamStatus, TeamStatusChange } from './schemas.ts';
import { runSweepStatus } from './teamScripts.ts';

export interface StatusDeps {
  redis: Redis;
  keys: Keys;
  now: () => number;
  offlineAfterMs: number;
  offDutyAfterMs: number;
  /** Called with the changes a sweep wrote (already in Redis). */
  announce(changes: TeamStatusChange[]): void;
}

export function createTeamStatus(deps: StatusDeps) {
  const { redis, keys } = deps;

  async function sweep(teamId?: string): Promise<TeamStatusChange[]> {
    const changes = await runSweepStatus(redis, keys, { now: deps.now(), offlineAfterMs: deps.offlineAfterMs, offDutyAfterMs: deps.offDutyAfterMs, teamId });
    if (changes.length > 0) deps.announce(changes);
    return changes;
  }

  /** The team's status as last derived ('off_duty' before the first sweep). */
  async function get(teamId: string): Promise<TeamStatus> {
    const value = await redis.hGet(keys.teamStatus, teamId);
    return (value?.split('\t')[0] as TeamStatus | undefined) ?? 'off_duty';
  }

  return {
    /** Re-derives every team's status (or one team's); announces and resolves the changes. */
    sweep,
    get,

    /** The patrol ended its shift: off duty now, until a fix taken later arrives. */
    async endShift(teamId: string): Promise<TeamStatus> {
      await redis.hSet(keys.teamOffDuty, teamId, String(deps.now()));
      await sweep(teamId);
      return get(teamId);
    },

    /** The patrol started its shift: the explicit end is forgotten, the status follows its fixes. */
    async startShift(teamId: string): Promise<TeamStatus> {
      await redis.hDel(keys.teamOffDuty, teamId);
      await sweep(teamId);
      return get(teamId);
    },

    /** For dispatch: the team is (or no longer is) responding to an incident. */
    async setResponding(teamId: string, responding: boolean): Promise<TeamStatus> {
      if (responding) await redis.sAdd(keys.teamsResponding, teamId);
      else await redis.sRem(keys.teamsResponding, teamId);
      await sweep(teamId);
      return get(teamId);
    },
  };
}

export type TeamStatusService = ReturnType<typeof createTeamStatus>;
