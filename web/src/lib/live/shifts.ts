/** Patrol shifts (排班) as plain functions, for the team popup and the assigned-grid outline. */
import type { Assignment } from '@lianfang/server/api';

/** The shifts of `teamId` in force at `now`, the one ending first first. */
export function activeShifts(assignments: Iterable<Assignment>, teamId: string, now: number): Assignment[] {
  const shifts: Assignment[] = [];
  for (const a of assignments) if (a.teamId === teamId && a.from <= now && now < a.to) shifts.push(a);
  return shifts.sort((a, b) => a.to - b.to || a.id.localeCompare(b.id));
}

/** A usual shift's length: the one the shift form offers. */
export const USUAL_SHIFT_MS = 8 * 3_600_000;
const QUARTER_MS = 15 * 60_000;

/** `time` rounded up to the next quarter hour (the county's offset is whole hours, so UTC quarters are its quarters). */
export const nextQuarter = (time: number): number => Math.ceil(time / QUARTER_MS) * QUARTER_MS;

/**
 * The earliest free slot of `length` for a team with these shifts, starting at or after `now` on a
 * quarter hour: after the shift in force, and after each shift it would overlap (a team's shifts
 * never overlap, so the form's default is never refused for that).
 * @example proposeShift([{ from: 8h, to: 16h }], 10h) → { from: 16h, to: 24h }
 */
export function proposeShift(shifts: Iterable<{ from: number; to: number }>, now: number, length = USUAL_SHIFT_MS): { from: number; to: number } {
  const sorted = [...shifts].filter((s) => s.to > now).sort((a, b) => a.from - b.from);
  let from = nextQuarter(now);
  for (const s of sorted) {
    if (s.from < from + length && s.to > from) from = nextQuarter(s.to);
  }
  return { from, to: from + length };
}
