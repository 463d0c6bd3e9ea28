/** Patrol shifts (排班) as plain functions, for the team popup and the assigned-grid outline. */
import type { Assignment } from '@lianfang/server/api';

/** The shifts of `teamId` in force at `now`, the one ending first first. */
export function activeShifts(assignments: Iterable<Assignment>, teamId: string, now: number): Assignment[] {
  const shifts: Assignment[] = [];
  for (const a of assignments) if (a.teamId === teamId && a.from <= now && now < a.to) shifts.push(a);
  return shifts.sort((a, b) => a.to - b.to || a.id.localeCompare(b.id));
}
