/**
 * The demo's recent past on the coverage map: the key period began two hours before launch, so
 * the demo writes the visits teams made in those hours, such that a newcomer's first look shows
 * what the map is for: most key locations visited lately, a few townships with locations
 * overdue (未覆盖) and due soon (即将超时), and among the overdue ones those a simulated team is
 * about to reach, so the map turns them green within a few minutes.
 *
 * Seeding, not check-in trust: these visits are written as the demo's own record (check-ins of
 * device `demo-history`, then the coverage engine's visit API), never through the dwell logic,
 * which only counts what the server itself saw over time.
 */
import { createRandom, planCoverage, type CoverageRule, type KeyLocation, type KeyPeriod, type Team } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { Places } from '../geography/readModel.ts';
import type { CoverageEngine, VisitInput } from '../coverage/engine.ts';
import type { CoverageConfig } from '../coverage/store.ts';
import type { CheckIn } from '../checkins/schemas.ts';
import { runRecordCheckIn } from '../checkins/checkinScripts.ts';

const MIN = 60_000;

/** The demo's key period starts this long before launch: its deadlines are already running. */
export const HISTORY_MS = 2 * 60 * MIN;
/** Who the seeded check-ins are by (no device has this id). */
export const HISTORY_DEVICE = 'demo-history';
/** Overdue locations a team reaches within this long of launch are the ones that visibly turn green. */
const SOON_MS = 6 * MIN;
/** Townships left with overdue and due-soon locations. */
const TROUBLED_TOWNSHIPS = 3;

/** A simulated team's next check-in at a key location (its arrival plus the dwell). */
export interface UpcomingCheckIn {
  locationId: string;
  teamId: string;
  at: number;
}

/** A key location as the history needs it: where it is and how long it may go unvisited now. */
export interface HistoryLocation {
  id: string;
  townshipId: string;
  gridId: string | null;
  gapMs: number;
}

export interface PastVisitsInput {
  /** Locations with a requirement now (those of the demo's key period). */
  locations: readonly HistoryLocation[];
  /** Grid id → the teams that patrol it (who made a visit nobody is about to repeat). */
  teamsByGrid: ReadonlyMap<string, readonly string[]>;
  upcoming: readonly UpcomingCheckIn[];
  now: number;
  dueSoonFraction: number;
  seed?: number;
}

/**
 * Each location's latest visit before `now`, deterministic from the seed. In a few townships
 * (those where a team checks in within minutes, so something turns green early) about a fifth
 * of the locations are overdue and a fifth due soon, and every location a team reaches in the
 * first minutes is overdue; elsewhere each was visited within the last three quarters of its gap.
 *
 * @example
 * pastVisits({ locations, teamsByGrid, upcoming, now, dueSoonFraction: 0.2 }); // [{ locationId, teamId, time }, …]
 */
export function pastVisits(input: PastVisitsInput): VisitInput[] {
  const { now } = input;
  const random = createRandom(input.seed ?? 20_260_315);
  const next = new Map<string, UpcomingCheckIn>();
  for (const u of input.upcoming) if (u.at >= now && (next.get(u.locationId)?.at ?? Infinity) > u.at) next.set(u.locationId, u);
  const soon = (id: string) => (next.get(id)?.at ?? Infinity) <= now + SOON_MS;

  // The troubled townships: those with the most locations reached soon (ties by id, so it is stable).
  const reachedSoon = new Map<string, number>();
  for (const l of input.locations) if (soon(l.id)) reachedSoon.set(l.townshipId, (reachedSoon.get(l.townshipId) ?? 0) + 1);
  const troubled = new Set(
    [...reachedSoon]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TROUBLED_TOWNSHIPS)
      .map(([id]) => id),
  );
  if (troubled.size === 0) {
    // No simulator (or no stops): still a few townships in trouble, picked by the seed.
    const ids = [...new Set(input.locations.map((l) => l.townshipId))].sort();
    while (troubled.size < Math.min(TROUBLED_TOWNSHIPS, ids.length)) troubled.add(random.pick(ids));
  }

  const out: VisitInput[] = [];
  for (const l of [...input.locations].sort((a, b) => a.id.localeCompare(b.id))) {
    const teamId = next.get(l.id)?.teamId ?? (l.gridId ? input.teamsByGrid.get(l.gridId)?.[0] : undefined);
    if (!teamId) continue;
    const gap = l.gapMs;
    const lead = gap * input.dueSoonFraction;
    const draw = random.next();
    let time: number;
    if (troubled.has(l.townshipId) && (soon(l.id) || draw < 0.2)) {
      // Overdue by a few minutes to most of an hour.
      time = now - gap - random.between(2, soon(l.id) ? 15 : 45) * MIN;
    } else if (troubled.has(l.townshipId) && draw < 0.4 && lead > MIN) {
      // Due soon: its deadline a little ahead.
      time = now - gap + random.between(MIN / 2, lead - MIN / 2);
    } else {
      time = now - random.between(0.05, 0.75) * gap;
    }
    out.push({ locationId: l.id, teamId, time: Math.round(time) });
  }
  return out;
}

/** The locations with a requirement at `now` under the plan, with their gap (geo's planner, as the engine runs it). */
export function requiredLocations(input: {
  locations: Iterable<Pick<KeyLocation, 'id' | 'category' | 'priority' | 'gridId' | 'townshipId'>>;
  keyGridIds: ReadonlySet<string>;
  periods: readonly KeyPeriod[];
  rules: readonly CoverageRule[];
  now: number;
  timeZone: string;
}): HistoryLocation[] {
  const locations = [...input.locations];
  const plan = planCoverage({ locations, keyGridIds: input.keyGridIds, periods: input.periods, rules: input.rules, now: input.now }, { timeZone: input.timeZone });
  return locations.flatMap((l) => {
    const r = plan.requirements.get(l.id);
    return r ? [{ id: l.id, townshipId: l.townshipId ?? '-', gridId: l.gridId ?? null, gapMs: r.gapMs }] : [];
  });
}

/**
 * Writes the history of the demo period that starts at `periodStart`, once (the flag holds the
 * period's start: a restart within the period finds it and writes nothing; the next week's
 * period gets its own). Check-ins first, as check-in code does, then the visits to the engine,
 * before the coverage scheduler's first pass, so no alert is raised for a location the history
 * covers. Answers how many visits it wrote.
 */
export async function seedVisitHistory(deps: {
  redis: Redis;
  keys: Keys;
  flagKey: string;
  periodStart: string;
  places: Pick<Places, 'locations' | 'keyGridIds'>;
  config: Pick<CoverageConfig, 'periods' | 'rules'>;
  teams: readonly Pick<Team, 'id' | 'gridIds'>[];
  upcoming: readonly UpcomingCheckIn[];
  engine: Pick<CoverageEngine, 'recordVisits'>;
  now: number;
  timeZone: string;
  dueSoonFraction: number;
  retentionMs: number;
}): Promise<number> {
  const { redis, keys, now } = deps;
  if ((await redis.get(deps.flagKey)) === deps.periodStart) return 0;
  const locations = requiredLocations({ locations: deps.places.locations.values(), keyGridIds: deps.places.keyGridIds, periods: deps.config.periods, rules: deps.config.rules, now, timeZone: deps.timeZone });
  const teamsByGrid = new Map<string, string[]>();
  for (const t of [...deps.teams].sort((a, b) => a.id.localeCompare(b.id))) for (const g of t.gridIds) teamsByGrid.set(g, [...(teamsByGrid.get(g) ?? []), t.id]);
  const visits = pastVisits({ locations, teamsByGrid, upcoming: deps.upcoming, now, dueSoonFraction: deps.dueSoonFraction }).sort((a, b) => a.time - b.time);
  // A hundred at a time: node-redis pipelines concurrent calls.
  for (let i = 0; i < visits.length; i += 100) {
    await Promise.all(
      visits.slice(i, i + 100).map((v) => {
        const place = deps.places.locations.get(v.locationId);
        const checkIn: CheckIn = { id: `${HISTORY_DEVICE}-${deps.periodStart}-${v.locationId}`, teamId: v.teamId, locationId: v.locationId, kind: 'auto', time: v.time, lon: place?.lon ?? null, lat: place?.lat ?? null, accuracy: 5, distance: 0, by: HISTORY_DEVICE, at: v.time };
        return runRecordCheckIn(redis, keys, checkIn, { now: v.time, retentionMs: deps.retentionMs });
      }),
    );
  }
  await deps.engine.recordVisits(visits, now);
  await redis.set(deps.flagKey, deps.periodStart);
  return visits.length;
}
