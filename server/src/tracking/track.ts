/**
 * Reading history back: a team's track between two times. Stream ids are receipt times, so
 * the window read is widened by the clock-skew tolerance and by LATE_AFTER_MS; fixes uploaded
 * later than that (a phone that was offline for hours) are found through `team:late:<team>`.
 */
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { TrackPoint } from './schemas.ts';
import { LATE_AFTER_MS } from './ingest.ts';

const PAGE = 5000;
const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

function point(m: Record<string, string>): TrackPoint {
  return {
    time: Number(m.t),
    lon: Number(m.lon),
    lat: Number(m.lat),
    heading: num(m.hd),
    speed: num(m.sp),
    accuracy: num(m.acc),
    poor: m.q === 'p',
  };
}

export async function readTrack(
  redis: Redis,
  keys: Keys,
  query: { teamId: string; from: number; to: number; limit: number; futureToleranceMs: number },
): Promise<{ positions: TrackPoint[]; truncated: boolean }> {
  const key = keys.teamTrack(query.teamId);
  const found = new Map<string, TrackPoint>();
  // More than `limit` in the window means truncated; stop reading once we know.
  const enough = query.limit + 1;
  let start = String(Math.max(0, query.from - query.futureToleranceMs));
  const end = String(query.to + LATE_AFTER_MS);
  for (;;) {
    const page = await redis.xRange(key, start, end, { COUNT: PAGE });
    for (const { id, message } of page) {
      const p = point(message as Record<string, string>);
      if (p.time >= query.from && p.time <= query.to) found.set(id, p);
    }
    if (page.length < PAGE || found.size >= enough) break;
    start = `(${page[page.length - 1]!.id}`;
  }
  const lateIds = await redis.zRangeByScore(keys.teamLate(query.teamId), query.from, query.to);
  const missing = lateIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const multi = redis.multi();
    for (const id of missing) multi.xRange(key, id, id);
    const replies = (await multi.exec()) as unknown as { id: string; message: Record<string, string> }[][];
    for (const entries of replies) for (const e of entries ?? []) found.set(e.id, point(e.message));
  }
  const positions = [...found.values()].sort((a, b) => a.time - b.time);
  return { positions: positions.slice(0, query.limit), truncated: positions.length > query.limit };
}
