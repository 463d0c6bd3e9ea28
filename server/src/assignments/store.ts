/**
 * Redis storage of patrol assignments (排班). A write is one script (`lua/createAssignment.lua`,
 * `lua/removeAssignment.lua`, `lua/updateAssignment.lua`, `lua/bulkAssignments.lua`): the overlap check and the write happen atomically, so two
 * coordinators on two server processes can never give one team overlapping shifts.
 */
import type { Assignment } from './schemas.ts';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { runBulkAssignments, runCreateAssignment, runRemoveAssignment, runUpdateAssignment, type BulkOutcome, type CreateOutcome, type UpdateOutcome } from './assignmentScripts.ts';

/** The longest shift, ms: also how far back a start-time range reaches to find shifts active now. */
export const MAX_SHIFT_MS = 24 * 3_600_000;

export function createAssignmentStore(redis: Redis, keys: Keys) {
  async function byIds(ids: string[]): Promise<Assignment[]> {
    if (ids.length === 0) return [];
    const rows = await redis.hmGet(keys.assignments, ids);
    return rows.filter((r): r is string => typeof r === 'string').map((r) => JSON.parse(r) as Assignment);
  }

  return {
    /** Writes the assignment unless its id exists (answers the stored one) or the team has an overlapping shift (answers that one). */
    async create(a: Assignment): Promise<CreateOutcome> {
      return runCreateAssignment(redis, keys, a, MAX_SHIFT_MS);
    },

    /** Replaces the stored shift `a.id` with `a` unless it has ended by `now` or `a` overlaps another of the team's shifts. */
    async update(a: Assignment, now: number): Promise<UpdateOutcome> {
      return runUpdateAssignment(redis, keys, a, MAX_SHIFT_MS, now);
    },

    /** Writes every shift of a batch or, when any overlaps a stored one, none (ids already stored are kept). */
    async bulk(list: Assignment[]): Promise<BulkOutcome> {
      return runBulkAssignments(redis, keys, list, MAX_SHIFT_MS);
    },

    async getMany(ids: string[]): Promise<Assignment[]> {
      return byIds(ids);
    },

    /** Removes it; undefined when there was none. */
    async remove(id: string, teamId: string): Promise<Assignment | undefined> {
      return runRemoveAssignment(redis, keys, id, teamId);
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
