/**
 * Teams as they are assigned now, in memory, for alerts, coverage and incidents: the registry
 * re-read at most every few seconds, and a team on a shift (排班) assigned the shift's grids and
 * the grids of its key locations instead of its standing ones, from the moment the shift starts
 * to the moment it ends. The shifts come from `activeShifts`, which re-reads only when an
 * assignment changed; a key location's grid from the geography read model.
 */
import type { Team } from '@lianfang/geo';
import type { Places } from '../geography/readModel.ts';

const TEAMS_FRESH_MS = 5_000;

/** What the overlay needs of a shift. */
export interface ActiveShift {
  id: string;
  gridIds: string[];
  locationIds: string[];
}

export function createAssignedTeams(deps: {
  listTeams: () => Promise<Team[]>;
  places: () => Promise<Places>;
  /** Each team's shift active now (the same Map while nothing changed). */
  activeShifts: () => Promise<Map<string, ActiveShift>>;
}) {
  let teams = new Map<string, Team>();
  let overlaid: { base: Map<string, Team>; shifts: Map<string, ActiveShift>; places: Places; teams: Map<string, Team> } | undefined;
  let teamsAt = -Infinity;
  let teamsLoading: Promise<Map<string, Team>> | undefined;

  /** Teams with their standing grids. */
  async function standingTeams(fresh: boolean): Promise<Map<string, Team>> {
    if (!fresh && performance.now() - teamsAt < TEAMS_FRESH_MS) return teams;
    teamsLoading ??= deps
      .listTeams()
      .then((list) => {
        teams = new Map(list.map((t) => [t.id, t]));
        teamsAt = performance.now();
        return teams;
      })
      .finally(() => (teamsLoading = undefined));
    return teamsLoading;
  }

  return {
    /**
     * Teams, re-read when older than a few seconds (or `fresh`), each with the grids it is
     * assigned now: its active shift's, else its standing ones.
     */
    async assigned(fresh = false): Promise<Map<string, Team>> {
      const base = await standingTeams(fresh);
      const [shifts, where] = await Promise.all([deps.activeShifts(), deps.places()]);
      if (shifts.size === 0) {
        overlaid = undefined;
        return base;
      }
      if (overlaid?.base === base && overlaid.shifts === shifts && overlaid.places === where) return overlaid.teams;
      const out = new Map(base);
      for (const [teamId, shift] of shifts) {
        const team = base.get(teamId);
        if (!team) continue;
        const gridIds = new Set(shift.gridIds);
        for (const id of shift.locationIds) {
          const gridId = where.locations.get(id)?.gridId;
          if (gridId) gridIds.add(gridId);
        }
        out.set(teamId, { ...team, gridIds: [...gridIds] });
      }
      overlaid = { base, shifts, places: where, teams: out };
      return out;
    },
    /** The teams last loaded (with their shifts' grids), for synchronous lookups (alert views). */
    cachedAssigned(): Map<string, Team> {
      return overlaid?.base === teams ? overlaid.teams : teams;
    },
  };
}

export type AssignedTeams = ReturnType<typeof createAssignedTeams>;
