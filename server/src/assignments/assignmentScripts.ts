/** Typed calls of the assignment scripts (`lua/*.lua`: create, remove, update, bulk). */
import type { Assignment } from './schemas.ts';
import type { Keys } from '../keys.ts';
import { loadScript, type ScriptRunner } from '../redis/script.ts';

const CREATE = loadScript(new URL('./lua/createAssignment.lua', import.meta.url));
const REMOVE = loadScript(new URL('./lua/removeAssignment.lua', import.meta.url));
const UPDATE = loadScript(new URL('./lua/updateAssignment.lua', import.meta.url));
const BULK = loadScript(new URL('./lua/bulkAssignments.lua', import.meta.url));

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

export type UpdateOutcome = { status: 'ok'; before: Assignment } | { status: 'ended'; before: Assignment } | { status: 'overlap'; other: Assignment } | { status: 'missing' };

/**
 * Replaces the stored assignment `a.id` (of team `a.teamId`) with `a`, unless it has ended by
 * `now` or `a` overlaps another of the team's shifts.
 */
export async function runUpdateAssignment(redis: ScriptRunner, keys: Keys, a: Assignment, maxShiftMs: number, now: number): Promise<UpdateOutcome> {
  const [status, json] = (await UPDATE.run(redis, keysOf(keys, a.teamId), [a.id, JSON.stringify(a), a.from, a.to, maxShiftMs, now, a.teamId])) as [string, string];
  if (status === 'missing') return { status };
  if (status === 'overlap') return { status, other: JSON.parse(json) as Assignment };
  return { status: status as 'ok' | 'ended', before: JSON.parse(json) as Assignment };
}

export type BulkOutcome = { status: 'ok'; created: number; existing: string[] } | { status: 'conflicts'; conflicts: { index: number; other: Assignment }[] };

/** Writes all of `list` (ids already stored are left as they are) or, if any overlaps a stored shift of its team, none. */
export async function runBulkAssignments(redis: ScriptRunner, keys: Keys, list: Assignment[], maxShiftMs: number): Promise<BulkOutcome> {
  const teams = [...new Set(list.map((a) => a.teamId))];
  const slot = new Map(teams.map((t, i) => [t, i + 4]));
  const args: Array<string | number> = [maxShiftMs, list.length];
  for (const a of list) args.push(a.id, slot.get(a.teamId)!, a.from, a.to, JSON.stringify(a));
  const reply = (await BULK.run(redis, [keys.assignments, keys.assignmentStarts, keys.assignmentVersion, ...teams.map((t) => keys.teamAssignments(t))], args)) as [string, string | number, string?];
  // cjson encodes an empty table as {}, not [].
  const arrayOf = <X>(text: string | undefined): X[] => {
    const v = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(v) ? (v as X[]) : [];
  };
  if (reply[0] === 'conflicts') {
    return { status: 'conflicts', conflicts: arrayOf<[number, string]>(String(reply[1])).map(([i, json]) => ({ index: i - 1, other: JSON.parse(json) as Assignment })) };
  }
  return { status: 'ok', created: Number(reply[1]), existing: arrayOf<string>(reply[2]) };
}
