/**
 * The demo's patrol assignments (排班): every third team works a day shift (08:00–20:00) and a
 * night shift (20:00–08:00) on part of its grids, guarding their most important key
 * locations, so the map shows assignments and the coverage engine checks teams against them.
 * Written through the assignment service with ids made from team and date, so running it again
 * (every start, every hour) only adds the shifts still missing.
 */
import { addDays, localDate, localToEpoch, type KeyLocation, type Team } from '@lianfang/geo';
import type { AssignmentsService } from '../assignments/service.ts';
import type { SessionUser } from '../access/roles.ts';

const SHIFTS = [
  { name: 'day', start: 8 * 60, hours: 12 },
  { name: 'night', start: 20 * 60, hours: 12 },
] as const;

/** Who the demo's shifts are written by. */
export const DEMO_PLANNER: SessionUser = { id: 'demo', username: 'demo', name: '排班（演示）', role: 'admin', organisationId: null, teamId: null };

export function demoShiftTeams(teams: readonly Team[]): Team[] {
  return [...teams].sort((a, b) => a.id.localeCompare(b.id)).filter((t, i) => i % 3 === 0 && t.gridIds.length > 0);
}

/** Writes the shifts of yesterday (still running at night), today and tomorrow that are missing; answers how many it wrote. */
export async function ensureDemoShifts(deps: { assignments: AssignmentsService; teams: Team[]; locations: KeyLocation[]; timeZone: string; now: number }): Promise<number> {
  const { assignments, timeZone, now } = deps;
  const byGrid = new Map<string, KeyLocation[]>();
  for (const l of deps.locations) if (l.gridId) byGrid.set(l.gridId, [...(byGrid.get(l.gridId) ?? []), l]);
  const today = localDate(now, timeZone);
  let written = 0;
  for (const team of demoShiftTeams(deps.teams)) {
    // Teams with several grids patrol two of them on a shift; the rest their one.
    const gridIds = team.gridIds.slice(0, 2);
    const locationIds = gridIds
      .flatMap((g) => byGrid.get(g) ?? [])
      .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))
      .slice(0, 3)
      .map((l) => l.id);
    for (const date of [addDays(today, -1), today, addDays(today, 1)]) {
      for (const shift of SHIFTS) {
        const from = localToEpoch(date, shift.start, timeZone);
        const to = from + shift.hours * 3_600_000;
        if (to <= now) continue;
        const id = `demo-${team.id}-${date}-${shift.name}`.slice(0, 64);
        try {
          const { created } = await assignments.create({ id, teamId: team.id, gridIds, locationIds, from, to }, DEMO_PLANNER);
          if (created) written++;
        } catch {
          // Someone planned this team differently (an overlapping shift): theirs stands.
        }
      }
    }
  }
  return written;
}
