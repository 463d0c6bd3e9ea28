/**
 * The patrol simulator for the demo: each team walks (or rides) a loop along the outline of
 * its assigned grids, or, given the key locations, a loop through those in its grids, staying
 * at each long enough to check in automatically; it reports through the same tracking pipeline
 * as real devices. Its position is a function of the clock, so it needs no state of its own,
 * and only one process (the holder of a Redis lease) simulates at a time.
 */
import { distanceMetres, patrolRoute, patrolRouteThrough, pointAlongRoute, routeLength, type Agency, type Grid, type KeyLocation, type LonLat, type Team, type TeamPosition } from '@lianfang/geo';

/** Typical patrol speeds, m/s: volunteers and guards on foot, police and grid workers on e-bikes. */
export const AGENCY_SPEED: Record<Agency, number> = {
  police: 5,
  security: 1.4,
  grid: 4,
  volunteer: 1.2,
  joint: 1.4,
};

export interface Route {
  teamId: string;
  points: LonLat[];
  length: number;
  speed: number;
  /** Where on the loop the team started, metres: spreads teams apart. */
  offset: number;
  /** Metres along the loop where the team stays `dwellMs` (key locations), ascending. */
  stops?: number[];
  /** The key location of each stop, in the same order. */
  stopIds?: string[];
  dwellMs?: number;
}

export interface PlanOptions {
  /** Key locations: each team's loop goes through those in its grids (see `categories`, `maxStops`). */
  locations?: KeyLocation[];
  /** Only these categories are stops (default: all). */
  categories?: readonly string[];
  /** At most this many stops per team, highest priority first (default 12). */
  maxStops?: number;
  /** How long a team stays at a stop, ms: longer than CHECKIN_DWELL_S so it checks in (default 150 s). */
  dwellMs?: number;
}

const pointOf = (l: KeyLocation): LonLat => (l.geometry.type === 'Point' ? [l.geometry.coordinates[0]!, l.geometry.coordinates[1]!] : [l.geometry.coordinates[0]![0]![0]!, l.geometry.coordinates[0]![0]![1]!]);

/** A loop through a team's key locations (plus a few outline corners when there are fewer than two), and where on it the stops are. */
function routeThroughStops(stops: KeyLocation[], outline: LonLat[]): { points: LonLat[]; stopsAt: number[]; stopIds: string[] } {
  const extra = stops.length >= 2 ? [] : outline.filter((_, i) => i % Math.max(1, Math.floor(outline.length / 4)) === 0).slice(0, 4);
  const points = patrolRouteThrough([...stops.map(pointOf), ...extra]);
  const stopAt = new Map<string, string>();
  for (const l of stops) if (!stopAt.has(pointOf(l).join())) stopAt.set(pointOf(l).join(), l.id);
  const stopsAt: number[] = [];
  const stopIds: string[] = [];
  let along = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const id = stopAt.get(points[i]!.join());
    if (id !== undefined) {
      stopsAt.push(along);
      stopIds.push(id);
    }
    along += distanceMetres(points[i]![0], points[i]![1], points[i + 1]![0], points[i + 1]![1]);
  }
  return { points, stopsAt, stopIds };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** Builds each team's loop from its grids (through their key locations when given); teams without grids are left out. */
export function planRoutes(teams: Team[], grids: Grid[], options: PlanOptions = {}): Route[] {
  const byId = new Map(grids.map((g) => [g.id, g]));
  const inGrid = new Map<string, KeyLocation[]>();
  for (const l of options.locations ?? []) {
    if (!l.gridId || (options.categories && !options.categories.includes(l.category))) continue;
    const list = inGrid.get(l.gridId) ?? [];
    list.push(l);
    inGrid.set(l.gridId, list);
  }
  const routes: Route[] = [];
  for (const team of teams) {
    const own = team.gridIds.map((id) => byId.get(id)).filter((g): g is Grid => g !== undefined);
    if (own.length === 0) continue;
    const outline = patrolRoute(own);
    const stops = team.gridIds
      .flatMap((id) => inGrid.get(id) ?? [])
      .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))
      .slice(0, options.maxStops ?? 12);
    const { points, stopsAt, stopIds } = stops.length > 0 ? routeThroughStops(stops, outline) : { points: outline, stopsAt: [], stopIds: [] };
    const length = routeLength(points);
    if (!(length > 0)) continue;
    const route: Route = { teamId: team.id, points, length, speed: AGENCY_SPEED[team.agency], offset: hash(team.id) * length };
    if (stopsAt.length > 0) Object.assign(route, { stops: stopsAt, stopIds, dwellMs: options.dwellMs ?? 150_000 });
    routes.push(route);
  }
  return routes;
}

/**
 * Metres along the loop and whether the team is stopped, for a loop with stops: travel is sped
 * up, stops are not (the server's dwell clock, which makes the check-in, runs in real time).
 */
function alongWithStops(r: Route & { stops: number[]; dwellMs: number }, now: number, speedup: number): { metres: number; stopped: boolean } {
  const v = r.speed * speedup;
  const dwell = r.dwellMs / 1000;
  const cycle = r.length / v + r.stops.length * dwell;
  let t = (((now / 1000 + (r.offset / r.length) * cycle) % cycle) + cycle) % cycle;
  let from = 0;
  for (const at of r.stops) {
    const leg = (at - from) / v;
    if (t < leg) return { metres: from + t * v, stopped: false };
    t -= leg;
    if (t < dwell) return { metres: at, stopped: true };
    t -= dwell;
    from = at;
  }
  return { metres: Math.min(r.length, from + t * v), stopped: false };
}

/** How long a simulated team stays at a stop: the check-in dwell and half a minute (a few fixes) to spare. */
export const stopDwellMs = (checkinDwellS: number): number => (checkinDwellS + 30) * 1000;

/**
 * When the team next arrives at each stop of its loop: the first arrival at or after `from`
 * (epoch ms), and how long a lap takes. Pure clock math, as `simulatePositions` moves it: the
 * demo plans its past visits with this, so the locations it leaves overdue are ones a team is
 * about to reach.
 *
 * @example
 * stopArrivals(route, Date.now(), 1); // [{ locationId: 'L00042', at: … }, …], cycleMs
 */
export function stopArrivals(r: Route, from: number, speedup: number): { arrivals: { locationId: string; at: number }[]; cycleMs: number } {
  if (!r.stops || !r.stopIds || !r.dwellMs) return { arrivals: [], cycleMs: 0 };
  const v = r.speed * speedup;
  const dwell = r.dwellMs / 1000;
  const cycle = r.length / v + r.stops.length * dwell;
  const phase = (((from / 1000 + (r.offset / r.length) * cycle) % cycle) + cycle) % cycle;
  const arrivals = r.stops.map((at, i) => {
    const reachedAt = at / v + i * dwell;
    const wait = (((reachedAt - phase) % cycle) + cycle) % cycle;
    return { locationId: r.stopIds![i]!, at: Math.round(from + wait * 1000) };
  });
  return { arrivals, cycleMs: Math.round(cycle * 1000) };
}

/**
 * A phone's battery as the demo shows it: each team's drains 1 % every 6 minutes of real time and
 * is swapped for a charged one at 26 %, as a disciplined team does; one team in 25 lets it run
 * down to 11 %, so the demo has the odd low-battery alert rather than a panel full of them. Teams
 * are out of step with one another.
 */
export function simulatedBattery(r: Pick<Route, 'offset' | 'length'>, now: number): number {
  const phase = r.length > 0 ? r.offset / r.length : 0;
  const span = phase < 0.04 ? 90 : 75;
  return 100 - Math.floor((now / 360_000 + phase * span) % span);
}

/** Where every team is at `now` (epoch ms), moving `speedup` times faster than real life. */
export function simulatePositions(routes: Route[], now: number, speedup: number): TeamPosition[] {
  return routes.map((r) => {
    let travelled = r.offset + (r.speed * speedup * now) / 1000;
    let stopped = false;
    if (r.stops && r.dwellMs) ({ metres: travelled, stopped } = alongWithStops(r as Route & { stops: number[]; dwellMs: number }, now, speedup));
    const at = pointAlongRoute(r.points, travelled % r.length);
    return {
      teamId: r.teamId,
      lon: Math.round(at.lon * 1e6) / 1e6,
      lat: Math.round(at.lat * 1e6) / 1e6,
      time: now,
      heading: Math.round(at.heading),
      speed: stopped ? 0 : r.speed,
      accuracy: 5,
      battery: simulatedBattery(r, now),
    };
  });
}
