/**
 * The coverage engine: turns key periods and rules into requirements (a full recompute, when
 * the plan, the geography or a period boundary changes), lets visits move deadlines, and
 * advances due locations on each scheduler tick. State lives in Redis only (see
 * lua/includes/classes.lua and keys.ts for the layout):
 *
 *   cov:last     each location's latest visit per agency (written by visits)
 *   cov:loc      each location's class: locations every period and rule treat alike
 *   cov:class    what each class needs now, and the instant its states were settled at
 *   cov:z:…      per class and k, the locations by their k-th latest distinct-agency visit
 *   cov:due      the classes by the next instant one of their locations changes state
 *
 * A period starting rewrites a few hundred class entries, not 5,000 locations; a tick reads
 * score ranges of the due classes; uncovered and due-soon alerts are one per township.
 * The clock is a dependency and every entry point takes the time, so tests drive it.
 */
import { chineseHolidayCalendar, coverageClassKey, enteredHolidayCalendar, planCoverage, type CoverageLocation, type CoveragePlan, type HolidayCalendar, type Requirement } from '@lianfang/geo';
import type { Redis } from '../plugins/redis.ts';
import type { Keys } from '../keys.ts';
import type { Clock } from '../clock.ts';
import type { AlertsService } from '../alerts/service.ts';
import type { GeographyReadModel, Places } from '../geography/readModel.ts';
import type { AssignedTeams } from '../teams/assigned.ts';
import type { CoverageSnapshot, CoverageState, LocationCoverageChange } from './schemas.ts';
import { createClassScripts, type ClassRequirement, type ClassStep } from './classScripts.ts';
import { INACTIVE, parseClass, requirementString, stateAt } from './classState.ts';
import { coverageSnapshot } from './snapshot.ts';
import { parseLastVisits, type CoverageConfig, type CoverageStore } from './store.ts';

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
  /** Places, from the one geography read model. */
  geography: Pick<GeographyReadModel, 'current' | 'cached'>;
  /** Teams as assigned now (shifts overlaid). */
  roster: Pick<AssignedTeams, 'assigned' | 'cachedAssigned'>;
  /** Runs the class scripts and announces the alerts they raise and resolve. */
  alerts: Pick<AlertsService, 'run'>;
  /** Announces the locations whose state changed (already in Redis); `reload` when requirements changed. */
  announce(changes: LocationCoverageChange[], reload: boolean): void;
  timeZone: string;
  dueSoonFraction: number;
  /** The built-in holidays under the years admins entered (default chinese-days). */
  calendar?: HolidayCalendar;
}

/** The coverage classes of one plan and geography version. */
interface Classes {
  /** "<coverage version>:<geography version>:<k>", as cov:meta holds it once built. */
  meta: string;
  /** The most distinct agencies any rule asks for: the sorted sets kept per class. */
  k: number;
  /** Location id → class id. */
  classOf: Map<string, string>;
  /** One location per class, with the class id as its id: what the planner needs. */
  representatives: CoverageLocation[];
  /** Class id → township id. */
  township: Map<string, string>;
}

interface CurrentPlan {
  /** "coverage version:geography version" it was computed for. */
  key: string;
  computedAt: number;
  /** Requirements keyed by class id. */
  plan: CoveragePlan;
  config: CoverageConfig;
  places: Places;
  classes: Classes;
  /** Entered holiday years over the built-in calendar, as this plan used them. */
  calendar: HolidayCalendar;
}

export interface TickResult {
  recomputed: boolean;
  /** Locations whose state changed (a requirement change counts as one: the maps reload). */
  changed: number;
  raised: number;
  resolved: number;
}

/** Visits per script call: bounded arguments, and other commands get a turn in between. */
const VISIT_CHUNK = 1000;
/** Classes settled per tick script call. */
const ADVANCE_LIMIT = 1000;
/** A full recompute at least this often, even when nothing says so. */
const REFRESH_MS = 5 * 60_000;

export function createCoverageEngine(deps: CoverageEngineDeps) {
  const { redis, keys, store, geography, roster } = deps;
  const scripts = createClassScripts(deps.alerts.run, keys, deps.timeZone);
  let current: CurrentPlan | undefined;
  let classCache: { key: string; classes: Classes } | undefined;
  // Recomputes and ticks of one process run one at a time (visits need not: their script is atomic).
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => {});
    return next;
  };

  /** Announces what a script changed and counts it into the caller's result. */
  const tally = (step: ClassStep, into: TickResult): ClassStep => {
    if (step.changes.length > 0 || step.reload) deps.announce(step.changes, step.reload);
    into.changed += step.changes.length;
    into.raised += step.raised;
    into.resolved += step.resolved;
    return step;
  };

  /** The classes of a plan and geography version (computed once per version in each process). */
  function classesFor(key: string, config: CoverageConfig, places: Places): Classes {
    if (classCache?.key === key) return classCache.classes;
    const keyOf = coverageClassKey(config.periods, config.rules, places.keyGridIds);
    const k = Math.max(1, ...config.rules.map((r) => r.minAgencies ?? 1));
    const classOf = new Map<string, string>();
    const township = new Map<string, string>();
    const representatives: CoverageLocation[] = [];
    for (const l of places.locations.values()) {
      const tw = l.townshipId ?? '-';
      const id = `${tw}|${keyOf(l)}`;
      classOf.set(l.id, id);
      if (!township.has(id)) {
        township.set(id, tw);
        representatives.push({ ...l, id });
      }
    }
    const classes = { meta: `${key}:${k}`, k, classOf, representatives, township };
    classCache = { key, classes };
    return classes;
  }

  /** Builds the classes in Redis for this version unless they are (another process may have). */
  async function rebuild(key: string, classes: Classes, now: number, result: TickResult): Promise<boolean> {
    await redis.del([...keys.covLegacy]);
    const step = tally(await scripts.rebuild(key, classes.k, classes.classOf, classes.township, now), result);
    return step.status === 'ok';
  }

  async function recomputeNow(now: number, result: TickResult): Promise<CurrentPlan> {
    const [versions, config, places] = await Promise.all([store.versions(), store.load(), geography.current()]);
    const key = `${versions.coverage}:${versions.geography}`;
    const classes = classesFor(key, config, places);
    const rebuilt = versions.built !== classes.meta && (await rebuild(key, classes, now, result));
    // Entering a holiday year bumps the plan's version: this recompute is how every process learns it.
    const calendar = enteredHolidayCalendar(config.calendars, deps.calendar ?? chineseHolidayCalendar);
    const plan = planCoverage(
      { locations: classes.representatives, keyGridIds: places.keyGridIds, periods: config.periods, rules: config.rules, now },
      { timeZone: deps.timeZone, dueSoonFraction: deps.dueSoonFraction, calendar },
    );
    // Only classes whose requirement changed are sent; the script settles them at now.
    const stored = await redis.hGetAll(keys.covClasses);
    const changed: ClassRequirement[] = [];
    for (const [id, townshipId] of classes.township) {
      const held = stored[id]?.split(',', 4).join(',');
      const r = plan.requirements.get(id);
      const want = r ? requirementString(r, held) : INACTIVE;
      if (want !== held) changed.push({ classId: id, requirement: want, townshipId });
    }
    if (changed.length > 0 || rebuilt) tally(await scripts.require(classes.meta, rebuilt, changed, now), result);
    result.recomputed = true;
    // Keyed by the versions read before loading: a change in between only causes one more recompute.
    current = { key, computedAt: now, plan, config, places, classes, calendar };
    return current;
  }

  async function planFor(now: number, result: TickResult): Promise<CurrentPlan> {
    const v = await store.versions();
    const key = `${v.coverage}:${v.geography}`;
    // Recompute on a new plan or geography (or classes not built for it: Redis lost them), at
    // the next period boundary, and when the clock went back (tests; a corrected system clock).
    // Every few minutes anyway: cheap when nothing changed, and it heals what a restore lost.
    const stale = !current || current.key !== key || v.built !== current.classes.meta || now >= current.plan.nextChange || now < current.computedAt || now - current.computedAt >= REFRESH_MS;
    return stale ? recomputeNow(now, result) : current!;
  }

  const newResult = (): TickResult => ({ recomputed: false, changed: 0, raised: 0, resolved: 0 });

  const pendingVisits: { visits: VisitInput[]; now: number; resolve(r: TickResult): void; reject(e: unknown): void }[] = [];
  async function flushVisits(): Promise<void> {
    const waiting = pendingVisits.splice(0);
    // Grouped by the time they were recorded at (one clock in production; tests move it).
    const byNow = new Map<number, typeof waiting>();
    for (const w of waiting) {
      const group = byNow.get(w.now);
      if (group) group.push(w);
      else byNow.set(w.now, [w]);
    }
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
    let teams = await roster.assigned();
    if (visits.some((v) => !teams.has(v.teamId))) teams = await roster.assigned(true);
    // ':' and ';' separate the stored fields.
    const safe = (s: string) => s.replace(/[:;]/g, '_');
    for (let i = 0; i < visits.length; i += VISIT_CHUNK) {
      const chunk = visits.slice(i, i + VISIT_CHUNK).map((v) => ({ locationId: v.locationId, agency: safe(teams.get(v.teamId)?.agency ?? 'unknown'), time: v.time, teamId: safe(v.teamId) }));
      tally(await scripts.recordVisits(chunk, now), result);
    }
    return result;
  }

  /** Settles every class with a location due to change (covered → due soon → uncovered). */
  async function advance(now: number, result: TickResult): Promise<void> {
    for (let round = 0; round < 100; round++) {
      if (tally(await scripts.advance(ADVANCE_LIMIT, now), result).status !== 'more') return;
    }
  }

  /** Every location's class state and latest visits, as Redis holds them now. */
  async function readStates(): Promise<{ classes: Record<string, string>; last: Record<string, string> }> {
    const [classes, last] = (await redis.multi().hGetAll(keys.covClasses).hGetAll(keys.covLastVisit).exec()) as unknown as [Record<string, string>, Record<string, string>];
    return { classes, last };
  }

  const engine = {
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
      const places = await geography.current();
      const ids = [...places.locations.keys()];
      const [known, teams] = await Promise.all([store.lastVisits(), roster.assigned()]);
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
      if (missed.length > 0) await engine.recordVisits(missed, now);
      return missed.length;
    },

    /** The plan in force (computing it if needed), for views. */
    async plan(now = deps.clock.now()): Promise<CurrentPlan> {
      if (current && now >= current.computedAt && now < current.plan.nextChange) {
        const v = await store.versions();
        if (current.key === `${v.coverage}:${v.geography}` && v.built === current.classes.meta) return current;
      }
      return serial(async () => planFor(now, newResult()));
    },

    /** One location's requirement now (since as stored), state, deadline and latest visits. */
    async location(id: string, now = deps.clock.now()): Promise<{ requirement: Requirement | null; state: CoverageState; deadline: number | null; dueAt: number | null; last: string | null } | undefined> {
      const { plan, places, classes } = await engine.plan(now);
      if (!places.locations.has(id)) return undefined;
      const classId = classes.classOf.get(id)!;
      const [held, last] = (await redis.multi().hGet(keys.covClasses, classId).hGet(keys.covLastVisit, id).exec()) as unknown as [string | null, string | null];
      const c = parseClass(held);
      const s = c ? stateAt(c, last, c.settledAt) : undefined;
      const r = plan.requirements.get(classId);
      return {
        requirement: r && c ? { ...r, since: c.since } : null,
        state: s?.state ?? 'inactive',
        deadline: s?.deadline ?? null,
        dueAt: s?.dueAt ?? null,
        last,
      };
    },

    /** GET /api/coverage: every location's state and deadline, counts per township and grid. */
    async snapshot(now = deps.clock.now()): Promise<CoverageSnapshot> {
      const [{ plan, config, places, classes }, raw] = await Promise.all([engine.plan(now), readStates()]);
      return coverageSnapshot({ plan, periods: config.periods, places, classOf: classes.classOf, classes: raw.classes, last: raw.last, now });
    },
  };
  return engine;
}

export type CoverageEngine = ReturnType<typeof createCoverageEngine>;
