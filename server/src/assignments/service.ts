/**
 * Patrol assignments (排班): a coordinator puts its own teams (dispatchers and admins any team)
 * on grids and key locations for a shift. Checked here, written by one script (store.ts),
 * announced only after Redis answered. The coverage engine reads the shifts active now through
 * `activeByTeam`, cached until an assignment changes or a shift starts or ends.
 */
import { createHash } from 'node:crypto';
import { addDays, localToEpoch, parseClock, parseDate, type Team } from '@lianfang/geo';
import { BULK_LIMITS, type Assignment, type BulkAssignmentsRequest, type BulkConflict, type UpdateAssignmentRequest } from './schemas.ts';
import { canManageOrganisation, type SessionUser } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import type { AssignmentStore } from './store.ts';
import { MAX_SHIFT_MS } from './store.ts';

/** What a planner sends; who and when are stamped here. */
export type AssignmentInput = Omit<Assignment, 'by' | 'createdAt' | 'batch' | 'editedBy' | 'editedAt'>;

/** A bulk request refused because shifts would overlap stored ones: nothing was written. */
export class BulkConflictError extends Error {
  constructor(readonly conflicts: BulkConflict[]) {
    super(`${conflicts.length} of the shifts overlap shifts the teams already have; nothing was written`);
    this.name = 'BulkConflictError';
  }
}

/** Ids of a batch's shifts: derived from the batch id, so a retry makes the same ones. */
export const bulkShiftId = (batch: string, teamId: string, from: number, to: number): string =>
  `b-${createHash('sha256').update(`${batch}|${teamId}|${from}|${to}`).digest('base64url').slice(0, 30)}`;

export interface AssignmentsDeps {
  store: AssignmentStore;
  now: () => number;
  getTeam: (id: string) => Promise<Team | undefined>;
  /** Every team (bulk requests name many). */
  listTeams: () => Promise<Team[]>;
  /** The county's IANA time zone (TIMEZONE): bulk shifts are given in its local time. */
  timeZone: string;
  /** Which of these grid and key location ids exist. */
  places: () => Promise<{ grids: { has(id: string): boolean }; locations: { has(id: string): boolean } }>;
  /** Tells the maps and the team (after the write). */
  announce: (change: { assignment?: Assignment; removed?: Assignment; many?: Assignment[] }) => void;
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
      checkPlaces(await deps.places(), input.gridIds, input.locationIds);
      checkTimes(input.from, input.to);
      const now = deps.now();
      const assignment: Assignment = {
        id: input.id,
        teamId: input.teamId,
        gridIds: [...new Set(input.gridIds)],
        locationIds: [...new Set(input.locationIds)],
        from: input.from,
        to: input.to,
        ...(input.note?.trim() ? { note: input.note.trim() } : {}),
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

    /**
     * Changes a shift's times, places and note (its team stays). 404 none, 403 another
     * organisation's team, 400 as create, 409 `shift_ended` once it has ended and
     * `shift_overlap` naming the other shift. Answers the shift before and after.
     */
    async update(id: string, input: UpdateAssignmentRequest, user: SessionUser): Promise<{ before: Assignment; after: Assignment }> {
      const existing = await store.get(id);
      if (!existing) throw new HttpError(404, `no assignment with id ${id}`, 'params.id');
      const team = await deps.getTeam(existing.teamId);
      if (team ? !canManageOrganisation(user, team.organisationId) : user.role === 'coordinator') throw new HttpError(403, `team ${existing.teamId} belongs to another organisation`, 'params.id', { code: 'forbidden' });
      checkPlaces(await deps.places(), input.gridIds, input.locationIds);
      checkTimes(input.from, input.to);
      const now = deps.now();
      if (existing.to <= now) throw new HttpError(409, 'the shift has ended and can no longer be changed', 'params.id', { code: 'shift_ended' });
      if (input.to <= now) throw new HttpError(400, 'the shift would already have ended', 'body.to', { code: 'shift_ended' });
      const { note: _old, ...rest } = existing;
      const after: Assignment = {
        ...rest,
        gridIds: [...new Set(input.gridIds)],
        locationIds: [...new Set(input.locationIds)],
        from: input.from,
        to: input.to,
        ...(input.note?.trim() ? { note: input.note.trim() } : {}),
        editedBy: user.username,
        editedAt: now,
      };
      const outcome = await store.update(after, now);
      if (outcome.status === 'missing') throw new HttpError(404, `no assignment with id ${id}`, 'params.id');
      if (outcome.status === 'ended') throw new HttpError(409, 'the shift has ended and can no longer be changed', 'params.id', { code: 'shift_ended' });
      if (outcome.status === 'overlap') {
        const o = outcome.other;
        throw new HttpError(409, `team ${existing.teamId} already has shift ${o.id} from ${iso(o.from)} to ${iso(o.to)}, which overlaps this one`, 'body.from', { code: 'shift_overlap', params: { from: o.from, to: o.to, id: o.id } });
      }
      deps.announce({ assignment: after });
      return { before: outcome.before, after };
    },

    /**
     * The same shifts each local day for each team, all or nothing: 400 naming the field (limits,
     * days, a pattern that overlaps itself), 403 naming a team of another organisation, a
     * {@link BulkConflictError} naming every conflict. A retry of the batch (same id, same
     * request) makes nothing new and answers the shifts made before.
     */
    async bulk(input: BulkAssignmentsRequest, user: SessionUser): Promise<{ assignments: Assignment[]; created: number; existing: number; days: string[] }> {
      const teams: Team[] = [];
      const all = new Map((await deps.listTeams()).map((t) => [t.id, t]));
      for (const [i, teamId] of [...new Set(input.teamIds)].entries()) {
        const team = all.get(teamId) ?? (await deps.getTeam(teamId));
        if (!team) throw new HttpError(400, `no team with id ${teamId}`, `body.teamIds.${i}`, { code: 'unknown_team', params: { id: teamId } });
        if (!canManageOrganisation(user, team.organisationId)) {
          throw new HttpError(403, `team ${team.callSign} (${teamId}) belongs to another organisation`, `body.teamIds.${i}`, { code: 'team_not_yours', params: { team: team.callSign } });
        }
        teams.push(team);
      }
      const days = bulkDays(input);
      const pattern = input.shifts.map((s, i) => {
        const start = parseClock(s.start);
        let end = parseClock(s.end);
        if (start >= 24 * 60) throw new HttpError(400, 'a shift starts before 24:00', `body.shifts.${i}.start`, { code: 'bad_format' });
        if (end <= start) end += 24 * 60;
        return { start, end };
      });
      // The pattern repeats daily: it must not overlap itself, nor a day's shifts the next day's.
      const minutes = pattern.flatMap((p) => [p, { start: p.start + 1440, end: p.end + 1440 }]).sort((a, b) => a.start - b.start);
      for (let i = 1; i < minutes.length; i++) {
        if (minutes[i]!.start < minutes[i - 1]!.end) throw new HttpError(400, 'the shifts of the pattern overlap one another', 'body.shifts', { code: 'pattern_overlap' });
      }
      const places = await deps.places();
      checkPlaces(places, input.gridIds ?? [], input.locationIds ?? [], false);
      const now = deps.now();
      const list: Assignment[] = [];
      for (const team of teams) {
        const gridIds = [...new Set(input.gridIds?.length ? input.gridIds : team.gridIds.filter((g) => places.grids.has(g)))];
        const locationIds = [...new Set(input.locationIds ?? [])];
        if (gridIds.length === 0 && locationIds.length === 0) {
          throw new HttpError(400, `team ${team.callSign} has no grids of its own: give grids or key locations`, 'body.gridIds', { code: 'needs_grid_or_location', params: { team: team.callSign } });
        }
        for (const day of days) {
          for (const p of pattern) {
            const from = localToEpoch(day, p.start, deps.timeZone);
            const to = localToEpoch(day, p.end, deps.timeZone);
            list.push({
              id: bulkShiftId(input.id, team.id, from, to),
              teamId: team.id,
              gridIds,
              locationIds,
              from,
              to,
              ...(input.note?.trim() ? { note: input.note.trim() } : {}),
              batch: input.id,
              by: user.username,
              createdAt: now,
            });
          }
        }
      }
      const ended = list.find((a) => a.to <= now);
      if (ended) throw new HttpError(400, 'some of these shifts have already ended: start the days later', 'body.fromDay', { code: 'shift_ended' });
      const outcome = await store.bulk(list);
      if (outcome.status === 'conflicts') {
        const byId = new Map(teams.map((t) => [t.id, t]));
        throw new BulkConflictError(
          outcome.conflicts.map(({ index, other }) => {
            const a = list[index]!;
            return { teamId: a.teamId, callSign: byId.get(a.teamId)?.callSign ?? a.teamId, from: a.from, to: a.to, other: { id: other.id, from: other.from, to: other.to } };
          }),
        );
      }
      const existing = new Set(outcome.existing);
      const stored = existing.size > 0 ? new Map((await store.getMany([...existing])).map((a) => [a.id, a])) : new Map<string, Assignment>();
      const assignments = list.map((a) => stored.get(a.id) ?? a);
      const made = list.filter((a) => !existing.has(a.id));
      if (made.length > 0) deps.announce({ many: made });
      return { assignments, created: outcome.created, existing: existing.size, days };
    },

    /**
     * Every shift overlapping [from, to), earliest first, of the teams `keep` admits (the
     * caller's area and filters).
     */
    async range(from: number, to: number, keep: (teamId: string) => boolean): Promise<Assignment[]> {
      return (await store.overlapping(from, to)).filter((a) => keep(a.teamId));
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

type Places = Awaited<ReturnType<AssignmentsDeps['places']>>;

/** 400 naming the field: an unknown grid or key location, or neither given. */
function checkPlaces(places: Places, gridIds: readonly string[], locationIds: readonly string[], needsOne = true): void {
  const badGrid = gridIds.find((id) => !places.grids.has(id));
  if (badGrid !== undefined) throw new HttpError(400, `no grid with id ${badGrid}`, 'body.gridIds');
  const badLocation = locationIds.find((id) => !places.locations.has(id));
  if (badLocation !== undefined) throw new HttpError(400, `no key location with id ${badLocation}`, 'body.locationIds');
  if (needsOne && gridIds.length === 0 && locationIds.length === 0) throw new HttpError(400, 'give at least one grid or key location', 'body.gridIds', { code: 'needs_grid_or_location' });
}

/** 400 naming body.to: a shift that does not end after it starts, or lasts over 24 hours. */
function checkTimes(from: number, to: number): void {
  if (!(from < to)) throw new HttpError(400, 'the shift must end after it starts', 'body.to', { code: 'ends_before_start' });
  if (to - from > MAX_SHIFT_MS) throw new HttpError(400, 'a shift may last at most 24 hours', 'body.to', { code: 'shift_too_long', params: { hours: 24 } });
}

/** The local days of a bulk request: `dates` (sorted, once each) or `fromDay`…`toDay`; 400 naming the field. */
function bulkDays(input: BulkAssignmentsRequest): string[] {
  const valid = (d: string, field: string) => {
    const [y, m, day] = parseDate(d);
    const back = new Date(Date.UTC(y, m - 1, day));
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== day) throw new HttpError(400, `${d} is not a date`, field, { code: 'bad_format' });
  };
  if (input.dates) {
    input.dates.forEach((d, i) => valid(d, `body.dates.${i}`));
    return [...new Set(input.dates)].sort();
  }
  if (!input.fromDay || !input.toDay) throw new HttpError(400, 'give dates, or fromDay and toDay', input.fromDay ? 'body.toDay' : 'body.fromDay', { code: 'required' });
  valid(input.fromDay, 'body.fromDay');
  valid(input.toDay, 'body.toDay');
  if (input.toDay < input.fromDay) throw new HttpError(400, 'toDay is before fromDay', 'body.toDay', { code: 'ends_before_start' });
  const days: string[] = [];
  for (let d = input.fromDay; d <= input.toDay; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > BULK_LIMITS.days) throw new HttpError(400, `at most ${BULK_LIMITS.days} days at a time`, 'body.toDay', { code: 'too_many', params: { limit: BULK_LIMITS.days } });
  }
  return days;
}

/** A retry must repeat the same assignment; a different one under a used id is refused. */
function sameAs(stored: Assignment, wanted: Assignment, id: string): Assignment {
  const same =
    stored.teamId === wanted.teamId &&
    stored.from === wanted.from &&
    stored.to === wanted.to &&
    stored.gridIds.join() === wanted.gridIds.join() &&
    stored.locationIds.join() === wanted.locationIds.join() &&
    (stored.note ?? '') === (wanted.note ?? '');
  if (!same) throw new HttpError(409, `assignment id ${id} is already used for a different shift`, 'body.id');
  return stored;
}

export type AssignmentsService = ReturnType<typeof createAssignmentsService>;
