/**
 * A team's position history in its two forms: the recent stream (`team:track:<team>`, an entry
 * per position, written by the ingest script) and the hourly blocks older positions are
 * compacted into (`team:hist:<team>:<hour>`, a deflated geo track block each). Readers go
 * through `readHistory`, which merges both in time order, each position once.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { RESP_TYPES } from 'redis';
import { decodeTrackBlock, encodeTrackBlock, mergeHistoryPoints, type HistoryPoint } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

export const HOUR_MS = 3_600_000;

/** The hour a fix time falls in (the block it is compacted into). */
export const hourOf = (time: number) => Math.floor(time / HOUR_MS);

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

/** A track stream entry's fields (see lua/ingest.lua) as a history point. */
export function streamPoint(m: Record<string, string>): HistoryPoint {
  return { time: Number(m.t), lon: Number(m.lon), lat: Number(m.lat), heading: num(m.hd), speed: num(m.sp), accuracy: num(m.acc), poor: m.q === 'p', device: m.dev ?? '' };
}

/** A block's bytes as stored: the geo encoding, deflated. */
export function packBlock(points: readonly HistoryPoint[]): Buffer {
  return deflateRawSync(encodeTrackBlock(points), { level: 9 });
}

export function unpackBlock(stored: Buffer): HistoryPoint[] {
  return decodeTrackBlock(inflateRawSync(stored));
}

/** The same client answering bulk strings as Buffers (blocks are binary). */
export function binary(redis: Redis) {
  return redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
}

/** The stored blocks of hours `fromHour`…`toHour` (null where none), in that order. */
export async function readBlocks(redis: Redis, keys: Keys, teamId: string, fromHour: number, toHour: number): Promise<Array<Buffer | null>> {
  if (toHour < fromHour) return [];
  const names: string[] = [];
  for (let h = fromHour; h <= toHour; h++) names.push(keys.teamHistory(teamId, h));
  return (await binary(redis).mGet(names)) as Array<Buffer | null>;
}

/**
 * The points of the blocks of hours `fromHour`…`toHour`. A block that cannot be decoded is
 * skipped (logged by the caller's `onBadBlock`) rather than failing the whole track.
 */
export async function readBlockPoints(redis: Redis, keys: Keys, teamId: string, fromHour: number, toHour: number, onBadBlock?: (hour: number, err: Error) => void): Promise<HistoryPoint[]> {
  const blocks = await readBlocks(redis, keys, teamId, fromHour, toHour);
  const out: HistoryPoint[] = [];
  blocks.forEach((b, i) => {
    if (!b) return;
    try {
      for (const p of unpackBlock(b)) out.push(p);
    } catch (err) {
      onBadBlock?.(fromHour + i, err as Error);
    }
  });
  return out;
}

export { mergeHistoryPoints };
