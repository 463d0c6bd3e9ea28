/**
 * Track history compaction (轨迹压缩): positions received longer ago than the recent window move
 * from each team's stream (~76 bytes a position in Redis) into per-team, per-hour blocks
 * (~5 bytes a position, history.ts). Runs in every process every HISTORY_COMPACT_TICK_MS; a
 * lease lets one process do the work at a time, and each team's step is a compare-and-set
 * script (lua/compact.lua), so two processes compacting at once still write each position once.
 *
 * A position that arrives late for an hour already compacted stays in the stream (where track
 * reads find it) until it too is older than the recent window, then is merged into that hour's
 * block. Blocks expire RETENTION_DAYS after their hour ends, as the stream is trimmed by age.
 */
import { createHash } from 'node:crypto';
import type { HistoryPoint } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { loadScript } from '../redis/script.ts';
import { LATE_AFTER_MS } from './ingest.ts';
import { binary, HOUR_MS, hourOf, mergeHistoryPoints, packBlock, streamPoint, unpackBlock } from './history.ts';

const COMPACT = loadScript(new URL('./lua/compact.lua', import.meta.url));

/** How long a pass holds `hist:lease` without renewing it. */
const LEASE_MS = 5 * 60_000;

/** Stream entries compacted per team per step: about a day of a phone at one fix every 5 s. */
const MAX_ENTRIES = 20_000;

export interface CompactorDeps {
  redis: Redis;
  keys: Keys;
  now: () => number;
  retentionMs: number;
  /** Positions received within this long stay in the stream. */
  recentMs: number;
  teamIds: () => Promise<string[]>;
  /** Process id written into the lease. */
  me: string;
  onError?: (err: unknown) => void;
}

export interface TeamCompaction {
  /** Stream entries moved into blocks (or dropped as past retention). */
  positions: number;
  /** Blocks written. */
  blocks: number;
  /** Another process compacted the same entries first: nothing written here. */
  stale: boolean;
}

export interface CompactionRun {
  /** false: another process holds the lease; nothing was done. */
  ran: boolean;
  teams: number;
  positions: number;
  blocks: number;
  stale: number;
}

/** A compaction read and merged, not yet written (see `prepare`). */
export interface PreparedCompaction {
  keys: string[];
  args: Array<string | Buffer>;
  positions: number;
  blocks: number;
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

export function createCompactor(deps: CompactorDeps) {
  const { redis, keys } = deps;

  /** Entries received before this are compacted: the start of the hour the recent window begins in. */
  const cutoff = (now: number) => Math.floor((now - deps.recentMs) / HOUR_MS) * HOUR_MS;

  /**
   * Reads the team's stream entries received before `before` (at most MAX_ENTRIES, oldest
   * first) and the blocks of the hours they were taken in, and merges them: what `commit`
   * writes if nothing changed meanwhile. Null when there is nothing to move.
   */
  async function prepare(teamId: string, before: number): Promise<PreparedCompaction | null> {
    const now = deps.now();
    const stream = keys.teamTrack(teamId);
    const entries = await redis.xRange(stream, '-', String(before - 1), { COUNT: MAX_ENTRIES });
    if (entries.length === 0) return null;
    const byHour = new Map<number, HistoryPoint[]>();
    const late: string[] = [];
    for (const { id, message } of entries) {
      const p = streamPoint(message as Record<string, string>);
      const hour = hourOf(p.time);
      let list = byHour.get(hour);
      if (!list) byHour.set(hour, (list = []));
      list.push(p);
      if (Number(id.slice(0, id.indexOf('-'))) - p.time > LATE_AFTER_MS) late.push(id);
    }
    // Hours past retention are dropped with their entries, as the stream's own trimming would.
    const hours = [...byHour.keys()].filter((h) => (h + 1) * HOUR_MS + deps.retentionMs - now > 0).sort((a, b) => a - b);
    const names = hours.map((h) => keys.teamHistory(teamId, h));
    const old = hours.length > 0 ? ((await binary(redis).mGet(names)) as Array<Buffer | null>) : [];
    const args: Array<string | Buffer> = [entries[0]!.id, entries[entries.length - 1]!.id, String(hours.length)];
    hours.forEach((h, i) => {
      const stored = old[i];
      let earlier: HistoryPoint[] = [];
      if (stored) {
        try {
          earlier = unpackBlock(stored);
        } catch (err) {
          // Never written over: the team's entries stay in the stream, and the error is told.
          throw new Error(`history block ${names[i]} does not decode: ${(err as Error).message}`);
        }
      }
      const ttl = (h + 1) * HOUR_MS + deps.retentionMs - now;
      args.push(stored ? sha1(stored) : '', packBlock(mergeHistoryPoints(earlier, byHour.get(h)!)), String(ttl));
    });
    args.push(...late);
    return { keys: [stream, keys.teamLate(teamId), ...names], args, positions: entries.length, blocks: hours.length };
  }

  /** Writes what `prepare` merged, unless the stream or a block changed since (then `stale`). */
  async function commit(prepared: PreparedCompaction): Promise<TeamCompaction> {
    const reply = await COMPACT.run(redis, prepared.keys, prepared.args);
    if (reply === 'stale') return { positions: 0, blocks: 0, stale: true };
    return { positions: prepared.positions, blocks: prepared.blocks, stale: false };
  }

  /** Moves the team's stream entries received before `before` into its hourly blocks, once: null when there are none. */
  async function compactTeam(teamId: string, before: number): Promise<TeamCompaction | null> {
    const prepared = await prepare(teamId, before);
    return prepared ? commit(prepared) : null;
  }

  /**
   * One compaction pass over every team, when this process gets the lease (or `force`: tests
   * and the bench race two passes on purpose). A team with more than MAX_ENTRIES to move takes
   * several steps in the same pass.
   */
  async function compactAll(options: { force?: boolean } = {}): Promise<CompactionRun> {
    const run: CompactionRun = { ran: false, teams: 0, positions: 0, blocks: 0, stale: 0 };
    const now = deps.now();
    if (!options.force) {
      const got = await redis.set(keys.historyLease, deps.me, { NX: true, PX: LEASE_MS });
      if (got !== 'OK') return run;
    }
    run.ran = true;
    try {
      const before = cutoff(now);
      const teamIds = await deps.teamIds();
      if (teamIds.length === 0) return run;
      // Which teams have anything to move: one pipelined round trip.
      const multi = redis.multi();
      for (const id of teamIds) multi.xRange(keys.teamTrack(id), '-', String(before - 1), { COUNT: 1 });
      const heads = (await multi.exec()) as unknown as unknown[][];
      let renewedAt = performance.now();
      for (let i = 0; i < teamIds.length; i++) {
        if (!heads[i] || heads[i]!.length === 0) continue;
        // A long pass (the backlog after an upgrade) keeps its lease while it is still ours.
        if (!options.force && performance.now() - renewedAt > LEASE_MS / 3) {
          renewedAt = performance.now();
          if ((await redis.get(keys.historyLease)) === deps.me) await redis.pExpire(keys.historyLease, LEASE_MS);
        }
        let counted = false;
        for (;;) {
          let step: TeamCompaction | null;
          try {
            step = await compactTeam(teamIds[i]!, before);
          } catch (err) {
            // One team's trouble (a block that does not decode) leaves the others to go on.
            deps.onError?.(err);
            break;
          }
          if (!step) break;
          if (!counted) run.teams++;
          counted = true;
          run.positions += step.positions;
          run.blocks += step.blocks;
          if (step.stale) {
            run.stale++;
            break;
          }
          if (step.positions < MAX_ENTRIES) break;
        }
      }
      return run;
    } finally {
      // Released only while still ours (a pass that outlived its lease leaves the next holder's alone).
      if (!options.force && (await redis.get(keys.historyLease).catch(() => null)) === deps.me) await redis.del(keys.historyLease).catch(() => {});
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    cutoff,
    prepare,
    commit,
    compactTeam,
    compactAll,
    /** Compacts every `everyMs` (0: never). */
    start(everyMs: number) {
      if (everyMs <= 0 || timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = compactAll()
          .catch((err) => deps.onError?.(err))
          .finally(() => (running = undefined));
      }, everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type Compactor = ReturnType<typeof createCompactor>;
