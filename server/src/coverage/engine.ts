/**
 * The coverage engine: turns key periods and rules into per-location requirements (a full
 * recompute, when the plan, the geography or a period boundary changes), lets visits move
 * deadlines, and advances due locations on each scheduler tick. State lives in Redis only:
 *
 *   cov:req   what each location needs now (written by recompute)
 *   cov:last  each location's latest visit per agency (written by visits)
 *   cov:state its state and deadline, derived from both inside the scripts
 *   cov:next  a sorted set of the next transition times, so a tick reads only what is due
 *
 * The clock is a dependency and every entry point takes the time, so tests drive it.
 */
import { planCoverage, type CoveragePlan, type HolidayCalendar, type KeyPeriod, type PlanWarning } from '@lianfang/geo';
import type { Redis } from '../plugins/redis.ts';
import type { Keys } from '../keys.ts';
import type { Clock } from '../clock.ts';
import type { AlertsService } from '../alerts/service.ts';
import type { Directory, Places } from '../alerts/directory.ts';
import { makeResult, type ScriptResult } from '../alerts/lua.ts';
import type { ActivePeriod, CoverageCounts, CoverageSnapshot, CoverageState } from './api.ts';
import { COMMIT, RECORD_VISITS } from './scripts.ts';
import { requirementString, transition, type Transition } from './transitions.ts';
import { parseLastVisits, parseState, type CoverageConfig, type CoverageStore } from './store.ts';

export interface VisitInput {
  locationId: string;
  teamId: string;
  /** When the visit happened (the check-in's time), epoch ms. */
  time: number;
}

export interface CoverageEngineDeps {
  redis: Redis;
  keys: Keys;
  clock: Clock;
  store: CoverageStore;
  directory: Directory;
  alerts: AlertsService;
  timeZone: string;
  dueSoonFraction: number;
  calendar?: HolidayCalendar;
}

interface CurrentPlan {
  /** "coverage version:geography version" it was computed for. */
  key: string;
  computedAt: number;
  plan: CoveragePlan;
  config: CoverageConfig;
  places: Places;
}

export interface TickResult {
  recomputed: boolean;
  /** Locations whose state or deadline changed. */
  changed: number;
  raised: number;
  resolved: number;
}

/** Visits per script call: bounded arguments, and other commands get a turn in between. */
const VISIT_CHUNK = 1000;
/** Due locations read per round of a tick. */
const ADVANCE_LIMIT = 10_000;
/** Transitions per COMMIT call (9 arguments each). */
const COMMIT_CHUNK = 2_500;
/** A full recompute at least this often, even when nothing says so. */
const REFRESH_MS = 5 * 60_000;

export const emptyCounts = (): CoverageCounts => ({ covered: 0, due_soon: 0, uncovered: 0, inactive: 0 });

export function createCoverageEngine(deps: CoverageEngineDeps) {
  const { redis, keys, store, directory, alerts } = deps;
  let current: CurrentPlan | undefined;
  // Recomputes and ticks of one process run one at a time (visits need not: their script is atomic).
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => {});
    return next;
  };

  const tally = (r: ScriptResult, into: TickResult) => {
    into.changed += r.coverage.length;
    into.raised += r.raisedCount;
    into.resolved += r.resolvedCount;
  };

  /** Writes transitions with compare-and-set; answers the locations that changed meanwhile. */
  async function commit(transitions: Transition[], now: number, result: TickResult): Promise<string[]> {
    const skipped: string[] = [];
    for (let i = 0; i < transitions.length; i += COMMIT_CHUNK) {
      const chunk = transitions.slice(i, i + COMMIT_CHUNK);
      const args = [String(chunk.length)];
      for (const t of chunk) args.push(t.loc, t.expState, t.expReq, t.req, t.value, t.next, t.leave, t.raise, t.body);
      const r = await alerts.run(COMMIT, args, now, (reply) => {
        // The script echoes only the first alert id and what it skipped; the rest is what we sent.
        const bar = reply.payload.indexOf('|');
        let id = Number(reply.payload.slice(0, bar));
        const missed = new Set(reply.payload.slice(bar + 1).split('\t').filter(Boolean));
        skipped.push(...missed);
        const coverage: Array<[string, string]> = [];
        const raisedJson: string[] = [];
        for (const t of chunk) {
          if (missed.has(t.loc)) continue;
          if (t.value !== t.expState) coverage.push([t.loc, t.value || 'inactive']);
          if (t.raise) raisedJson.push(`{"id":"${id++}",${t.body}`);
        }
        return makeResult(reply.status, reply.payload, coverage, raisedJson, reply.updatedJson);
      });
      tally(r, result);
    }
    return skipped;
  }

  async function recomputeNow(now: number, result: TickResult): Promise<CurrentPlan> {
    const [versions, config, places] = await Promise.all([store.versions(), store.load(), directory.places()]);
    const plan = planCoverage(
      { locations: [...places.locations.values()], keyGridIds: places.keyGridIds, periods: config.periods, rules: config.rules, now },
      { timeZone: deps.timeZone, dueSoonFraction: deps.dueSoonFraction, ...(deps.calendar ? { calendar: deps.calendar } : {}) },
    );
    // Only locations whose requirement changed move; a few rounds for those a visit changed meanwhile.
    let stored: Record<string, string | null> = await redis.hGetAll(keys.covRequirement);
    let ids = [...new Set([...plan.requirements.keys(), ...Object.keys(stored)])];
    for (let round = 0; round < 3 && ids.length > 0; round++) {
      const wanted = new Map<string, string>();
      for (const id of ids) {
        const r = plan.requirements.get(id);
        const want = r ? requirementString(r, stored[id]) : '';
        if (want !== (stored[id] ?? '')) wanted.set(id, want);
      }
      const changed = [...wanted.keys()];
      if (changed.length === 0) break;
      const [lasts, states] = await Promise.all([redis.hmGet(keys.covLastVisit, changed), redis.hmGet(keys.covState, changed)]);
      const transitions = changed.map((id, i) => transition(id, wanted.get(id) || null, lasts[i], states[i], now, stored[id]));
      ids = await commit(transitions, now, result);
      if (ids.length > 0) {
        const again = await redis.hmGet(keys.covRequirement, ids);
        stored = Object.fromEntries(ids.map((id, i) => [id, again[i] ?? null]));
      }
    }
    result.recomputed = true;
    // Keyed by the versions read before loading: a change in between only causes one more recompute.
    current = { key: `${versions.coverage}:${versions.geography}`, computedAt: now, plan, config, places };
    return current;
  }

  async function planFor(now: number, result: TickResult): Promise<CurrentPlan> {
    const v = await store.versions();
    const key = `${v.coverage}:${v.geography}`;
    // Recompute on a new plan or geography, at the next period boundary, and when the clock
    // went back (tests; a corrected system clock).
    // Every few minutes anyway: cheap when nothing changed, and it heals a Redis that lost or
    // had its coverage keys removed.
    const stale = !current || current.key !== key || now >= current.plan.nextChange || now < current.computedAt || now - current.computedAt >= REFRESH_MS;
    return stale ? recomputeNow(now, result) : current!;
  }

  const newResult = (): TickResult => ({ recomputed: false, changed: 0, raised: 0, resolved: 0 });

  const pendingVisits: { visits: VisitInput[]; now: number; resolve(r: TickResult): void; reject(e: unknown): void }[] = [];
  async function flushVisits(): Promise<void> {
    const waiting = pendingVisits.splice(0);
    // Grouped by the time they were recorded at (one clock in production; tests move it).
    const byNow = new Map<number, typeof waiting>();
    for (const w of waiting) byNow.set(w.now, [...(byNow.get(w.now) ?? []), w]);
    for (const [now, group] of byNow) {
      try {
        const result = await writeVisits(group.flatMap((w) => w.visits), now);
        for (const w of group) w.resolve(result);
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
  }

  async function writeVisits(visits: VisitInput[], now: number): Promise<TickResult> {
    const result = newResult();
    let teams = await directory.teams();
    if (visits.some((v) => !teams.has(v.teamId))) teams = await directory.teams(true);
    // ':' and ';' separate the stored fields.
    const safe = (s: string) => s.replace(/[:;]/g, '_');
    for (let i = 0; i < visits.length; i += VISIT_CHUNK) {
      const chunk = visits.slice(i, i + VISIT_CHUNK);
      const args = [String(chunk.length)];
      for (const v of chunk) args.push(v.locationId, safe(teams.get(v.teamId)?.agency ?? 'unknown'), String(Math.round(v.time)), safe(v.teamId));
      tally(await alerts.run(RECORD_VISITS, args, now), result);
    }
    return result;
  }

  /** Moves every location whose next transition is due (covered → due soon → uncovered). */
  async function advance(now: number, result: TickResult): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const due = await redis.zRange(keys.covNext, '-inf', String(now), { BY: 'SCORE', LIMIT: { offset: 0, count: ADVANCE_LIMIT } });
      if (due.length === 0) return;
      const [reqs, lasts, states] = await Promise.all([redis.hmGet(keys.covRequirement, due), redis.hmGet(keys.covLastVisit, due), redis.hmGet(keys.covState, due)]);
      // Locations a visit or another process changed meanwhile are skipped: they are already right.
      await commit(due.map((loc, i) => transition(loc, reqs[i] ?? null, lasts[i], states[i], now)), now, result);
      if (due.length < ADVANCE_LIMIT) return;
    }
  }

  return {
    /** Forces a full recompute (after a plan change), then advances what is due. */
    recompute(now = deps.clock.now()): Promise<TickResult> {
      return serial(async () => {
        const result = newResult();
        await recomputeNow(now, result);
        await advance(now, result);
        return result;
      });
    },

    /**
     * The scheduler's step at `now`: recompute if the plan, the geography or a period boundary
     * says so, then move every due location on (raising due-soon and uncovered alerts once).
     * After downtime, the first tick catches up: deadlines that passed are raised with `at` = the deadline.
     */
    tick(now = deps.clock.now()): Promise<TickResult> {
      return serial(async () => {
        const result = newResult();
        await planFor(now, result);
        await advance(now, result);
        return result;
      });
    },

    /**
     * Visits (check-ins of any kind) move deadlines and resolve coverage alerts. Idempotent: a
     * visit only moves its agency's latest time forward, so repeats and replays are harmless.
     * Visits that arrive in the same turn of the event loop go to Redis in one script call.
     */
    recordVisits(visits: VisitInput[], now = deps.clock.now()): Promise<TickResult> {
      if (visits.length === 0) return Promise.resolve(newResult());
      return new Promise((resolve, reject) => {
        pendingVisits.push({ visits, now, resolve, reject });
        if (pendingVisits.length === 1) setImmediate(() => void flushVisits());
      });
    },

    /**
     * Re-reads each location's newest check-ins from the check-in streams and records any visit
     * the engine missed (a process that stopped between writing a check-in and telling the
     * engine). Run at start and every minute by one process; replays are harmless.
     */
    async reconcileVisits(now = deps.clock.now()): Promise<number> {
      const places = await directory.places();
      const ids = [...places.locations.keys()];
      const [known, teams] = await Promise.all([store.lastVisits(), directory.teams()]);
      const streams = await Promise.all(ids.map((id) => redis.xRevRange(keys.locationCheckins(id), '+', '-', { COUNT: 10 })));
      const missed: VisitInput[] = [];
      ids.forEach((id, i) => {
        const rows = streams[i];
        if (!rows?.length) return;
        const last = new Map(parseLastVisits(known[id]).map((v) => [v.agency, v.time]));
        for (const { message: m } of rows) {
          const time = Number(m.t);
          const teamId = m.team ?? '';
          const agency = teams.get(teamId)?.agency ?? 'unknown';
          if (Number.isFinite(time) && time > (last.get(agency) ?? -Infinity)) {
            missed.push({ locationId: id, teamId, time });
            last.set(agency, time);
          }
        }
      });
      if (missed.length > 0) await this.recordVisits(missed, now);
      return missed.length;
    },

    /** The plan in force (computing it if needed), for views. */
    async plan(now = deps.clock.now()): Promise<CurrentPlan> {
      if (current && now >= current.computedAt && now < current.plan.nextChange) {
        const v = await store.versions();
        if (current.key === `${v.coverage}:${v.geography}`) return current;
      }
      return serial(async () => planFor(now, newResult()));
    },

    /** GET /api/coverage: every location's state and deadline, counts per township and grid. */
    async snapshot(now = deps.clock.now()): Promise<CoverageSnapshot> {
      const [{ plan, config, places }, raw] = await Promise.all([this.plan(now), store.states()]);
      const states: Record<string, CoverageState> = {};
      const deadlines: Record<string, number> = {};
      const dueAt: Record<string, number> = {};
      const townships: Record<string, CoverageCounts> = {};
      const grids: Record<string, CoverageCounts> = {};
      const totals = emptyCounts();
      for (const [id, location] of places.locations) {
        const s = parseState(raw[id]);
        const state: CoverageState = s?.state ?? 'inactive';
        states[id] = state;
        if (s) {
          deadlines[id] = s.deadline;
          dueAt[id] = s.dueAt;
        }
        totals[state]++;
        if (location.townshipId) (townships[location.townshipId] ??= emptyCounts())[state]++;
        if (location.gridId) (grids[location.gridId] ??= emptyCounts())[state]++;
      }
      return { at: now, states, deadlines, dueAt, townships, grids, totals, activePeriods: activePeriods(config.periods, plan, now), warnings: plan.warnings, nextChange: Number.isFinite(plan.nextChange) ? plan.nextChange : null };
    },
  };
}

/** Periods on at `now` (among those rules use), with their current stretch. */
export function activePeriods(periods: KeyPeriod[], plan: CoveragePlan, now: number): ActivePeriod[] {
  const byId = new Map(periods.map((p) => [p.id, p]));
  const out: ActivePeriod[] = [];
  for (const i of plan.intervals) {
    const p = byId.get(i.periodId);
    if (p && i.start <= now && now < i.end) out.push({ id: p.id, name: p.name, kind: p.kind, start: i.start, end: i.end });
  }
  return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}

export type CoverageEngine = ReturnType<typeof createCoverageEngine>;
export type { PlanWarning };
