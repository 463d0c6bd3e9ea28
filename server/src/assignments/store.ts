/**
 * Redis storage of patrol assignments (排班). A write is one script: the overlap check and the
 * write happen atomically, so two coordinators on two server processes can never give one team
 * overlapping shifts.
 */
import type { Assignment } from './schemas.ts';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { luaScript } from '../tracking/script.ts';

/** The longest shift, ms: also how far back a start-time range reaches to find shifts active now. */
export const MAX_SHIFT_MS = 24 * 3_600_000;

/**
 * KEYS: assignments hash, start zset, team zset, version. ARGV: id, json, from, to, max shift ms.
 * → { 'exists', stored } | { 'overlap', other } | { 'ok', json }
 */
const CREATE = luaScript(`
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then return { 'exists', stored } end
local from, to = tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. string.format('%d', from - tonumber(ARGV[5])), '(' .. ARGV[4])
for _, id in ipairs(ids) do
  local other = redis.call('HGET', KEYS[1], id)
  if other then
    local o = cjson.decode(other)
    if o.to > from and o.from < to then return { 'overlap', other } end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('INCR', KEYS[4])
return { 'ok', ARGV[2] }
`);

/** KEYS as CREATE. ARGV: id. → { 'missing', '' } | { 'ok', removed json } */
const REMOVE = luaScript(`
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return { 'missing', '' } end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return { 'ok', stored }
`);

export type CreateOutcome = { status: 'ok' | 'exists' | 'overlap'; assignment: Assignment };

export function createAssignmentStore(redis: Redis, keys: Keys) {
  async function run(script: typeof CREATE, teamId: string, args: string[]): Promise<[string, string]> {
    return (await script(redis, [keys.assignments, keys.assignmentStarts, keys.teamAssignments(teamId), keys.assignmentVersion], args)) as [string, string];
  }

  async function byIds(ids: string[]): Promise<Assignment[]> {
    if (ids.length === 0) return [];
    const rows = await redis.hmGet(keys.assignments, ids);
    return rows.filter((r): r is string => typeof r === 'string').map((r) => JSON.parse(r) as Assignment);
  }

  return {
    /** Writes the assignment unless its id exists (answers the stored one) or the team has an overlapping shift (answers that one). */
    async create(a: Assignment): Promise<CreateOutcome> {
      const [status, json] = await run(CREATE, a.teamId, [a.id, JSON.stringify(a), String(a.from), String(a.to), String(MAX_SHIFT_MS)]);
      return { status: status as CreateOutcome['status'], assignment: JSON.parse(json) as Assignment };
    },

    /** Removes it; undefined when there was none. */
    async remove(id: string, teamId: string): Promise<Assignment | undefined> {
      const [status, json] = await run(REMOVE, teamId, [id]);
      return status === 'ok' ? (JSON.parse(json) as Assignment) : undefined;
    },

    async get(id: string): Promise<Assignment | undefined> {
      return (await byIds([id]))[0];
    },

    /** Shifts that start before `until` and have not ended by `from`, earliest first. */
    async overlapping(from: number, until: number, teamId?: string): Promise<Assignment[]> {
      const key = teamId ? keys.teamAssignments(teamId) : keys.assignmentStarts;
      const ids = await redis.zRangeByScore(key, from - MAX_SHIFT_MS, `(${until}`);
      return (await byIds(ids)).filter((a) => a.to > from).sort((x, y) => x.from - y.from || x.id.localeCompare(y.id));
    },

    /** Shifts that ended before `before`, oldest first, at most `limit`. */
    async endedBefore(before: number, limit: number): Promise<Assignment[]> {
      const ids = await redis.zRangeByScore(keys.assignmentStarts, '-inf', `(${before - MAX_SHIFT_MS}`, { LIMIT: { offset: 0, count: limit } });
      return (await byIds(ids)).filter((a) => a.to < before);
    },

    /** Bumped by every write, so caches know when to re-read. */
    async version(): Promise<string> {
      return (await redis.get(keys.assignmentVersion)) ?? '0';
    },
  };
}

export type AssignmentStore = ReturnType<typeof createAssignmentStore>;
