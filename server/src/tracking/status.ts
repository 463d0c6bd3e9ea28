/**
 * Team status derived from data, in one place: a Lua sweep compares every team's latest fix
 * time, explicit end of shift and dispatch flag with its stored status and writes (and
 * returns) only the changes. Being atomic, it can run in every server process at once and
 * each change is still announced once.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { TeamStatus, TeamStatusChange } from '../teams/schemas.ts';
import { luaScript } from './script.ts';

/*
 * KEYS: teams hash, status hash, off-duty hash, responding set.
 * ARGV: now, offlineAfterMs, offDutyAfterMs, team:pos: prefix, [team id to sweep alone]
 * Returns a flat list: teamId status since …
 */
const SWEEP = `
local now, offline, offDuty, posPrefix = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local ids = ARGV[5] and {ARGV[5]} or redis.call('HKEYS', KEYS[1])
local out = {}
for _, id in ipairs(ids) do
  local last = tonumber(redis.call('HGET', posPrefix .. id, 'time'))
  local ended = tonumber(redis.call('HGET', KEYS[3], id))
  if ended and last and last > ended then
    redis.call('HDEL', KEYS[3], id)
    ended = nil
  end
  local want, since
  if ended then want, since = 'off_duty', ended
  elseif not last then want, since = 'off_duty', ''
  elseif now - last > offDuty then want, since = 'off_duty', last + offDuty
  elseif now - last > offline then want, since = 'offline', last + offline
  elseif redis.call('SISMEMBER', KEYS[4], id) == 1 then want = 'responding'
  else want = 'on_patrol' end
  local cur = redis.call('HGET', KEYS[2], id)
  local curStatus = cur and string.match(cur, '^[^\\t]+')
  if curStatus ~= want then
    if since == nil then
      -- Back on patrol from silence: since the fix that ended it; otherwise since now.
      if (curStatus == 'on_patrol' or curStatus == 'responding') then since = now else since = math.min(last, now) end
    end
    since = tostring(since)
    if since ~= '' then since = string.format('%d', tonumber(since)) end
    redis.call('HSET', KEYS[2], id, want .. '\\t' .. since)
    out[#out + 1] = id
    out[#out + 1] = want
    out[#out + 1] = since
  end
end
return out
`;
const runSweep = luaScript(SWEEP);

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
  const posPrefix = keys.teamPosition('');

  async function sweep(teamId?: string): Promise<TeamStatusChange[]> {
    const args = [String(deps.now()), String(deps.offlineAfterMs), String(deps.offDutyAfterMs), posPrefix];
    if (teamId !== undefined) args.push(teamId);
    const flat = (await runSweep(redis, [keys.teams, keys.teamStatus, keys.teamOffDuty, keys.teamsResponding], args)) as string[];
    const changes: TeamStatusChange[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      changes.push({ teamId: flat[i]!, status: flat[i + 1] as TeamStatus, since: flat[i + 2] ? Number(flat[i + 2]) : null });
    }
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
