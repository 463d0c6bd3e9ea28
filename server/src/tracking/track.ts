/**
 * Reading history back: a team's track between two times, from its recent stream and its
 * compacted hourly blocks (history.ts) merged. Stream ids are receipt times, so the window read
 * is widened by the clock-skew tolerance and by LATE_AFTER_MS; fixes uploaded later than that
 * (a phone that was offline for hours) are found through `team:late:<team>`.
 *
 * The stream is read before the blocks: a compaction in between moves entries from the stream
 * into a block in one script, so they are then met twice (and counted once by their identity),
 * never missed. Every point is rounded as a block rounds it, so a track reads the same before
 * and after its hours are compacted.
 */
import type { HistoryPoint } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { TrackPoint } from './schemas.ts';
import { LATE_AFTER_MS } from './ingest.ts';
import { hourOf, mergeHistoryPoints, readBlockPoints, streamPoint } from './history.ts';

const PAGE = 5000;

export interface TrackQueryArgs {
  teamId: string;
  from: number;
  to: number;
  limit: number;
  futureToleranceMs: number;
  /** Told about a stored block that does not decode (skipped). */
  onBadBlock?: (hour: number, err: Error) => void;
}

/** The team's positions taken in [from, to], oldest first, each once: up to `limit`, and whether more were left out. */
export async function readHistory(redis: Redis, keys: Keys, query: TrackQueryArgs): Promise<{ points: HistoryPoint[]; truncated: boolean }> {
  const key = keys.teamTrack(query.teamId);
  const found = new Map<string, HistoryPoint>();
  // More than `limit` in the window means truncated; stop reading once we know.
  const enough = query.limit + 1;
  let start = String(Math.max(0, query.from - query.futureToleranceMs));
  const end = String(query.to + LATE_AFTER_MS);
  for (;;) {
    const page = await redis.xRange(key, start, end, { COUNT: PAGE });
    for (const { id, message } of page) {
      const p = streamPoint(message as Record<string, string>);
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
    for (const entries of replies) for (const e of entries ?? []) found.set(e.id, streamPoint(e.message));
  }
  const blocks = await readBlockPoints(redis, keys, query.teamId, hourOf(query.from), hourOf(query.to), query.onBadBlock);
  const inWindow = blocks.filter((p) => p.time >= query.from && p.time <= query.to);
  const points = mergeHistoryPoints([...found.values()], inWindow);
  return { points: points.slice(0, query.limit), truncated: points.length > query.limit };
}

/** A history point as the track API shows it (who reported it stays on the server). */
export function trackPoint(p: HistoryPoint): TrackPoint {
  return { time: p.time, lon: p.lon, lat: p.lat, heading: p.heading, speed: p.speed, accuracy: p.accuracy, poor: p.poor };
}

export async function readTrack(redis: Redis, keys: Keys, query: TrackQueryArgs): Promise<{ positions: TrackPoint[]; truncated: boolean }> {
  const { points, truncated } = await readHistory(redis, keys, query);
  return { positions: points.map(trackPoint), truncated };
}
