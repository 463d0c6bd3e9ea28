/**
 * Patrol assignments (排班): a coordinator puts its own teams (dispatchers and admins any team)
 * on grids and key locations for a shift. Checked here, written by one script (store.ts),
 * announced only after Redis answered. The coverage engine reads the shifts active now through
 * `activeByTeam`, cached until an assignment changes or a shift starts or ends.
 */
import type { Team } from '@lianfang/geo';
import type { Assignment } from './schemas.ts';
import { canManageOrganisation, type SessionUser } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import type { AssignmentStore } from './store.ts';
import { MAX_SHIFT_MS } from './store.ts';

/** What a planner sends; who and when are stamped here. */
export type AssignmentInput = Omit<Assignment, 'by' | 'createdAt'>;

export interface AssignmentsDeps {
  store: AssignmentStore;
  now: () => number;
  getTeam: (id: string) => Promise<Team | undefined>;
  /** Which of these grid and key location ids exist. */
  places: () => Promise<{ grids: { has(id: string): boolean }; locations: { has(id: string): boolean } }>;
  /** Tells the maps and the team (after the write). */
  announce: (change: { assignment?: Assignment; removed?: Assignment }) => void;
}

/** How far ahead the cache of active shifts reaches before it re-reads. */
const CACHE_SPAN_MS = 6 * 3_600_000;

const iso = (t: number) => new Date(t).toISOString();

export function createAssignmentsService(deps: AssignmentsDeps) {
  const { store } = deps;
  let cache: { version: string; from: number; until: number; list: Assignment[] } | undefined;
  let active: { key: string; byTeam: Map<string, Assignment> } = { key: '', byTeam: new Map() };

  async function teamFor(user: SessionUser, teamId: string, field: string): Promise<Team> {
    const team = await deps.getTeam(teamId);
    if (!team) throw new HttpError(400, `no team with id ${teamId}`, field);
    if (!canManageOrganisation(user, team.organisationId)) throw new HttpError(403, `team ${teamId} belongs to another organisation`, field);
    return team;
  }

  return {
    store,

    /** 201 created / 200 a retry of the same id; 400 naming the field, 403 another organisation's team, 409 an overlap or the id reused. */
    async create(input: AssignmentInput, user: SessionUser): Promise<{ assignment: Assignment; created: boolean }> {
      await teamFor(user, input.teamId, 'body.teamId');
      const places = await deps.places();
      const badGrid = input.gridIds.find((id) => !places.grids.has(id));
      if (badGrid !== undefined) throw new HttpError(400, `no grid with id ${badGrid}`, 'body.gridIds');
      const badLocation = input.locationIds.find((id) => !places.locations.has(id));
      if (badLocation !== undefined) throw new HttpError(400, `no key location with id ${badLocation}`, 'body.locationIds');
      if (input.gridIds.length === 0 && input.locationIds.length === 0) throw new HttpError(400, 'give at least one grid or key location', 'body.gridIds', { code: 'needs_grid_or_location' });
      if (!(input.from < input.to)) throw new HttpError(400, 'the shift must end after it starts', 'body.to', { code: 'ends_before_start' });
      if (input.to - input.from > MAX_SHIFT_MS) throw new HttpError(400, 'a shift may last at most 24 hours', 'body.to', { code: 'shift_too_long', params: { hours: 24 } });
      const now = deps.now();
      const assignment: Assignment = {
        id: input.id,
        teamId: input.teamId,
        gridIds: [...new Set(input.gridIds)],
        locationIds: [...new Set(input.locationIds)],
        from: input.from,
        to: input.to,
        by: user.username,
        createdAt: now,
      };
      const existing = await store.get(input.id);
      if (existing) return { assignment: sameAs(existing, assignment, input.id), created: false };
      if (input.to <= now) throw new HttpError(400, 'the shift has already ended', 'body.to', { code: 'shift_ended' });
      const outcome = await store.create(assignment);
      if (outcome.status === 'exists') return { assignment: sameAs(outcome.assignment, assignment, input.id), created: false };
      if (outcome.status === 'overlap') {
        const o = outcome.assignment;
        throw new HttpError(409, `team ${input.teamId} already has shift ${o.id} from ${iso(o.from)} to ${iso(o.to)}, which overlaps this one`, 'body.from', { code: 'shift_overlap', params: { from: o.from, to: o.to } });
      }
      deps.announce({ assignment: outcome.assignment });
      return { assignment: outcome.assignment, created: true };
    },

    /** 404 when there is none; 403 for another organisation's team. */
    async remove(id: string, user: SessionUser): Promise<Assignment> {
      const existing = await store.get(id);
      if (!existing) throw new HttpError(404, `no assignment with id ${id}`, 'params.id');
      const team = await deps.getTeam(existing.teamId);
      if (team && !canManageOrganisation(user, team.organisationId)) throw new HttpError(403, `team ${existing.teamId} belongs to another organisation`, 'params.id');
      if (!team && user.role === 'coordinator') throw new HttpError(403, `team ${existing.teamId} no longer exists`, 'params.id');
      const removed = await store.remove(id, existing.teamId);
      if (!removed) throw new HttpError(404, `no assignment with id ${id}`, 'params.id');
      deps.announce({ removed });
      return removed;
    },

    /** Shifts active at `at`; with a team, that team's shifts not ended by `at` (the current one and those ahead). */
    async list(at: number, teamId?: string): Promise<Assignment[]> {
      if (teamId) return store.overlapping(at, Number.MAX_SAFE_INTEGER, teamId);
      return (await store.overlapping(at, at + 1)).filter((a) => a.from <= at);
    },

    /**
     * Each team's shift active at `now` (at most one: a team's shifts never overlap). One GET of
     * the version per call; the shifts are re-read when one changed anywhere, or `now` left the
     * span last read. Answers the same Map while the active set is unchanged.
     */
    async activeByTeam(now = deps.now()): Promise<Map<string, Assignment>> {
      const version = await store.version();
      if (!cache || cache.version !== version || now < cache.from || now >= cache.until) {
        cache = { version, from: now, until: now + CACHE_SPAN_MS, list: await store.overlapping(now, now + CACHE_SPAN_MS) };
      }
      const current = cache.list.filter((a) => a.from <= now && now < a.to);
      const key = `${version}|${current.map((a) => a.id).join(',')}`;
      if (key !== active.key) active = { key, byTeam: new Map(current.map((a) => [a.teamId, a])) };
      return active.byTeam;
    },

    /** Forgets shifts that ended before `before` (the retention), a batch at a time. */
    async forget(before: number): Promise<number> {
      const old = await store.endedBefore(before, 200);
      for (const a of old) await store.remove(a.id, a.teamId);
      return old.length;
    },
  };
}

/** A retry must repeat the same assignment; a different one under a used id is refused. */
function sameAs(stored: Assignment, wanted: Assignment, id: string): Assignment {
  const same =
    stored.teamId === wanted.teamId &&
    stored.from === wanted.from &&
    stored.to === wanted.to &&
    stored.gridIds.join() === wanted.gridIds.join() &&
    stored.locationIds.join() === wanted.locationIds.join();
  if (!same) throw new HttpError(409, `assignment id ${id} is already used for a different shift`, 'body.id');
  return stored;
}

export type AssignmentsService = ReturnType<typeof createAssignmentsService>;
