/**
 * The roll-up: duty time, distance and check-ins per team and county day, counted from the
 * tracks and check-in streams by arrival window instead of in the position ingest (the hot path
 * pays nothing). Any process may run it; `lua/rollUp.lua` advances the cursor by compare-and-set,
 * so each window is counted once, and a process stopped halfway leaves it to the next run.
 */
import { distanceMetres } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { loadScript } from '../redis/script.ts';
import { FIGURES, Tally, teamSubject } from './tally.ts';

const ROLL_UP = loadScript(new URL('./lua/rollUp.lua', import.meta.url));

/** Two fixes further apart than this are not one stretch of duty: the gap counts neither time nor distance. */
export const DUTY_GAP_MS = 5 * 60_000;
/** A step implying more than this speed (m/s) is a jump of the fix, not distance patrolled. */
export const MAX_SPEED_MPS = 50;
/** Fixes and check-ins younger than this are left to the next window (another process may still be writing them). */
const SETTLE_MS = 5_000;
/** The most arrival time one run counts; a backlog is worked off window by window. */
const MAX_WINDOW_MS = 6 * 3_600_000;
/** With no cursor yet (first start), the roll-up begins this long before now. */
const FIRST_LOOK_BACK_MS = 86_400_000;
/**
 * The most stream entries one window reads, all teams together (about 20 MB of replies): a
 * backlog (a restart after hours down, a burst of uploads) is cut into windows of this size
 * instead of one read that holds Redis for seconds and the process for gigabytes.
 */
export const MAX_WINDOW_ENTRIES = 200_000;
/** Each team's share of a window is at least this many entries (a county of many thousand teams). */
const MIN_TEAM_ENTRIES = 10;

/** The arrival time (ms) of a stream entry id `ms-seq`. */
const arrivalOf = (id: string): number => Number(id.slice(0, id.indexOf('-')));

interface LastFix {
  t: number;
  lon: number;
  lat: number;
}

const parseLast = (v: string | undefined): LastFix | undefined => {
  if (!v) return undefined;
  const [t, lon, lat] = v.split(',').map(Number);
  return Number.isFinite(t) && Number.isFinite(lon) && Number.isFinite(lat) ? { t: t!, lon: lon!, lat: lat! } : undefined;
};

export interface RollUpDeps {
  redis: Redis;
  keys: Keys;
  timeZone: string;
  teamIds(): Promise<string[]>;
  /** Entries one window reads at most (tests make it small). */
  maxWindowEntries?: number;
}

/** One window's duty, distance and visits of one team's fixes (arrival order) and check-in times. */
export function countWindow(tally: Tally, teamId: string, last: LastFix | undefined, fixes: readonly LastFix[], checkInTimes: readonly number[]): LastFix | undefined {
  const subject = teamSubject(teamId);
  const sums = new Map<string, { duty: number; dist: number }>();
  let prev = last;
  for (const f of [...fixes].sort((a, b) => a.t - b.t)) {
    if (prev && f.t <= prev.t) continue;
    if (prev) {
      const dt = f.t - prev.t;
      if (dt <= DUTY_GAP_MS) {
        const day = tally.day(f.t);
        const s = sums.get(day) ?? { duty: 0, dist: 0 };
        s.duty += dt;
        const d = distanceMetres(prev.lon, prev.lat, f.lon, f.lat);
        if (d <= (MAX_SPEED_MPS * dt) / 1000) s.dist += d;
        sums.set(day, s);
      }
    }
    prev = f;
  }
  for (const [day, s] of sums) {
    if (s.duty > 0) tally.lines.push({ day, subject, figure: FIGURES.duty, op: '+', value: s.duty / 1000 });
    if (s.dist > 0) tally.lines.push({ day, subject, figure: FIGURES.distance, op: '+', value: s.dist });
  }
  for (const t of checkInTimes) tally.add(t, subject, FIGURES.visits);
  return prev;
}

export function createRollUp(deps: RollUpDeps) {
  const { redis, keys } = deps;

  /** Counts one window ending at most at `now - SETTLE_MS`; answers whether there may be more to count. */
  async function once(now: number): Promise<boolean> {
    const state = await redis.hGetAll(keys.reportRollUp);
    const cursor = state.at ?? '';
    const from = cursor === '' ? Math.max(0, now - FIRST_LOOK_BACK_MS) : Number(cursor);
    const end = now - SETTLE_MS;
    if (end <= from) return false;
    let to = Math.min(end, from + MAX_WINDOW_MS);
    const teamIds = await deps.teamIds();
    const range = { start: String(from), end: String(to - 1) };
    // Each team's track and check-ins are read up to a share of the window's entries. A read that
    // filled its share may have left entries behind: the window then ends before the earliest
    // entry such a read stopped at (entries of that millisecond may be partly unread), and what
    // the other reads got from there on is left to the next window.
    const count = Math.max(MIN_TEAM_ENTRIES, Math.floor((deps.maxWindowEntries ?? MAX_WINDOW_ENTRIES) / Math.max(1, 2 * teamIds.length)));
    const read = (key: string) => redis.xRange(key, range.start, range.end, { COUNT: count });
    let [tracks, checkIns] = await Promise.all([Promise.all(teamIds.map((id) => read(keys.teamTrack(id)))), Promise.all(teamIds.map((id) => read(keys.teamCheckins(id))))]);
    let cut = to;
    for (const entries of [...tracks, ...checkIns]) if (entries.length >= count) cut = Math.min(cut, arrivalOf(entries[entries.length - 1]!.id));
    // `count` entries all in the window's first millisecond: that millisecond is counted as read.
    if (cut <= from) cut = from + 1;
    if (cut < to) {
      to = cut;
      const before = (entries: typeof tracks[number]) => entries.filter((e) => arrivalOf(e.id) < cut);
      tracks = tracks.map(before);
      checkIns = checkIns.map(before);
    }
    const tally = new Tally(deps.timeZone);
    const lasts: string[] = [];
    teamIds.forEach((id, i) => {
      const fixes = (tracks[i] ?? []).map(({ message: m }) => ({ t: Number(m.t), lon: Number(m.lon), lat: Number(m.lat) })).filter((f) => Number.isFinite(f.t) && Number.isFinite(f.lon) && Number.isFinite(f.lat));
      const times = (checkIns[i] ?? []).map(({ message: m }) => Number(m.t)).filter(Number.isFinite);
      if (fixes.length === 0 && times.length === 0) return;
      const last = parseLast(state[`p:${id}`]);
      const next = countWindow(tally, id, last, fixes, times);
      if (next && next !== last) lasts.push(id, `${next.t},${next.lon},${next.lat}`);
    });
    const counted = await ROLL_UP.run(redis, [keys.reportRollUp], [keys.prefix, cursor, String(to), tally.spec(), ...lasts]);
    return Number(counted) === 1 && to < end;
  }

  return {
    /** Rolls up everything that arrived until shortly before `now`, window by window. */
    async run(now: number): Promise<void> {
      for (let i = 0; i < 100 && (await once(now)); i++);
    },
  };
}

export type RollUp = ReturnType<typeof createRollUp>;
