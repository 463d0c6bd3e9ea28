/** Typed calls of the assignment scripts (`lua/createAssignment.lua`, `lua/removeAssignment.lua`). */
import type { Assignment } from './schemas.ts';
import type { Keys } from '../keys.ts';
import { loadScript, type ScriptRunner } from '../redis/script.ts';

const CREATE = loadScript(new URL('./lua/createAssignment.lua', import.meta.url));
const REMOVE = loadScript(new URL('./lua/removeAssignment.lua', import.meta.url));

export type CreateOutcome = { status: 'ok' | 'exists' | 'overlap'; assignment: Assignment };

/** The keys both scripts take, in their headers' order. */
const keysOf = (keys: Keys, teamId: string) => [keys.assignments, keys.assignmentStarts, keys.teamAssignments(teamId), keys.assignmentVersion];

/**
 * Writes the assignment unless its id exists (answers the stored one) or its team has a shift
 * overlapping it (answers that one). `maxShiftMs`: the longest shift.
 */
export async function runCreateAssignment(redis: ScriptRunner, keys: Keys, a: Assignment, maxShiftMs: number): Promise<CreateOutcome> {
  const [status, json] = (await CREATE.run(redis, keysOf(keys, a.teamId), [a.id, JSON.stringify(a), a.from, a.to, maxShiftMs])) as [string, string];
  return { status: status as CreateOutcome['status'], assignment: JSON.parse(json) as Assignment };
}

/** Removes the assignment; resolves what was removed, undefined when there was none. */
export async function runRemoveAssignment(redis: ScriptRunner, keys: Keys, id: string, teamId: string): Promise<Assignment | undefined> {
  const [status, json] = (await REMOVE.run(redis, keysOf(keys, teamId), [id])) as [string, string];
  return status === 'ok' ? (JSON.parse(json) as Assignment) : undefined;
}
