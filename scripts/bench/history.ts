/**
 * Track history benchmark (`npm run bench -- history`), on its own redis-server on loopback, in
 * about a minute. A county's 300 teams report every 5 s through the real ingest script (one fix
 * a call, as OsmAnd and Traccar Client send them); two thirds on whole-second clocks, a third
 * with millisecond jitter (the patrol page), four in five on foot, the rest by car.
 *
 *  1. bytes per position: Redis's MEMORY USAGE of the track streams after an hour of reports,
 *     and of the hourly blocks the same positions are compacted into     target ≤ 12 B after
 *  2. the cost of compacting an hour of 300 teams (three rounds, median)
 *  3. replay, from compacted blocks and from streams in the same run: one team's day (16 hours
 *     at 5 s) and 300 teams over an hour (readHistory, the track API's read)
 *
 * Memory per team per day follows from 1: 16 hours × 720 positions × bytes per position.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { HistoryPoint } from '../../geo/src/index.ts';
import { patrolTrack } from '../../tests/fixtures/patrolTrack.ts';
import { createKeys } from '../../server/src/keys.ts';
import { createRedisClient, type Redis } from '../../server/src/plugins/redis.ts';
import { runIngest } from '../../server/src/tracking/trackingScripts.ts';
import { createCompactor } from '../../server/src/tracking/compactor.ts';
import { readHistory } from '../../server/src/tracking/track.ts';

const HOUR = 3_600_000;
const TEAMS = 300;
const PER_HOUR = 720;
const ROUNDS = 3;
/** The bench's day: Spring Festival eve 2027, from 06:00 in Shuyang. */
const DAY = Date.UTC(2027, 1, 15, 22);
const RETENTION_MS = 90 * 86_400_000;

const teamId = (i: number) => `team-${String(i).padStart(3, '0')}`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 2 : 1)} ms`);

/** One team's positions of hour `hour` (0-based from DAY). */
function hourOf(team: number, hour: number): HistoryPoint[] {
  return patrolTrack({
    seed: team * 1000 + hour + 1,
    start: DAY + hour * HOUR,
    count: PER_HOUR,
    clock: team % 3 === 2 ? 'ms' : 'seconds',
    mode: team % 5 === 4 ? 'car' : 'foot',
    lon: 118.6 + (team % 20) * 0.02,
    lat: 33.7 + Math.floor(team / 20) * 0.02,
    device: `dev-${team}`,
  });
}

/** Reports `tracks[i]` for `teams[i]` one fix a call, the calls of each 5 s tick at once, the clock at the fix. */
async function report(redis: Redis, keys: ReturnType<typeof createKeys>, clock: { t: number }, teams: string[], tracks: HistoryPoint[][]) {
  const ticks = Math.max(...tracks.map((t) => t.length));
  for (let i = 0; i < ticks; i++) {
    const calls: Promise<unknown>[] = [];
    for (let k = 0; k < teams.length; k++) {
      const p = tracks[k]![i];
      if (!p) continue;
      clock.t = Math.max(clock.t, p.time);
      const fix = { time: p.time, lon: p.lon, lat: p.lat, heading: p.heading ?? undefined, speed: p.speed ?? undefined, accuracy: p.accuracy ?? undefined };
      calls.push(runIngest(redis, keys, { auth: { teamId: teams[k]!, by: p.device }, now: clock.t, retentionMs: RETENTION_MS, lateAfterMs: 600_000, dwellMs: 120_000, fixes: [{ fix: fix as never, poor: p.poor, near: null }] }));
    }
    await Promise.all(calls);
  }
}

async function memoryOf(redis: Redis, names: string[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < names.length; i += 500) {
    const multi = redis.multi();
    for (const n of names.slice(i, i + 500)) multi.memoryUsage(n, { SAMPLES: 0 });
    for (const v of (await multi.exec()) as unknown as Array<number | null>) total += v ?? 0;
  }
  return total;
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1] ?? 0);
}

async function timed(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function run(): Promise<void> {
  console.log(`history benchmark — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
  const { startRedis } = await import('../../tests/helpers/redis.ts');
  const server = await startRedis();
  const redis = createRedisClient(server.url, 'bench-history');
  await redis.connect();
  try {
    const keys = createKeys('bench:');
    const clock = { t: DAY };
    const teams = Array.from({ length: TEAMS }, (_, i) => teamId(i));
    const compactor = createCompactor({ redis, keys, now: () => clock.t, retentionMs: RETENTION_MS, recentMs: 2 * HOUR, teamIds: async () => teams, me: 'bench' });
    const streamBytes: number[] = [];
    const blockBytes: number[] = [];
    const compactMs: number[] = [];
    const usedStream: number[] = [];
    const usedBlocks: number[] = [];

    /* ---------- 1 and 2: an hour of 300 teams, then compact it; three rounds ---------- */
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const used0 = await usedMemory(redis);
      await report(redis, keys, clock, teams, teams.map((_, i) => hourOf(i, 4 * round)));
      const used1 = await usedMemory(redis);
      const positions = TEAMS * PER_HOUR;
      const inStreams = await memoryOf(redis, teams.map((id) => keys.teamTrack(id)));
      streamBytes.push(inStreams / positions);
      usedStream.push((used1 - used0) / positions);
      // Three hours on, the round's hour is older than the recent window (2 h) and the hour that starts in.
      clock.t = DAY + (4 * round + 3) * HOUR + 60_000;
      const before = await usedMemory(redis);
      const start = performance.now();
      const result = await compactor.compactAll({ force: true });
      compactMs.push(performance.now() - start);
      const after = await usedMemory(redis);
      if (result.positions !== positions || result.stale > 0) throw new Error(`round ${round}: compacted ${result.positions} of ${positions} (${result.stale} stale)`);
      const blocks = await memoryOf(redis, teams.map((id) => keys.teamHistory(id, Math.floor((DAY + 4 * round * HOUR) / HOUR))));
      blockBytes.push(blocks / positions);
      usedBlocks.push((before - after) / positions);
      console.log(`round ${round + 1}: ${positions.toLocaleString('en-US')} positions reported and compacted (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }

    /* ---------- 3: replay from blocks versus from streams ---------- */
    // One team's 16-hour day twice: compacted for one team, left in the stream for another.
    const day = Array.from({ length: 16 }, (_, h) => hourOf(7, 12 + h)).flat();
    const shifted = (points: HistoryPoint[], by: number) => points.map((p) => ({ ...p, time: p.time + by }));
    const dayStart = DAY + 12 * HOUR;
    const dayBlocks = 'day-blocks';
    const dayStream = 'day-stream';
    clock.t = dayStart;
    await report(redis, keys, clock, [dayBlocks, dayStream], [day, day]);
    // And the first round's hour of 300 teams again, left in their streams (round 1 compacted it into blocks).
    const streamHour = DAY + 29 * HOUR;
    clock.t = streamHour;
    await report(redis, keys, clock, teams, teams.map((_, i) => shifted(hourOf(i, 0), 29 * HOUR)));
    clock.t = dayStart + 16 * HOUR + 3 * HOUR;
    const dayCompactor = createCompactor({ redis, keys, now: () => clock.t, retentionMs: RETENTION_MS, recentMs: 2 * HOUR, teamIds: async () => [dayBlocks], me: 'bench' });
    await dayCompactor.compactAll({ force: true });
    const read = (team: string, from: number, to: number) => readHistory(redis, keys, { teamId: team, from, to, limit: 50_000, futureToleranceMs: 120_000 });
    const a = await read(dayBlocks, dayStart, dayStart + 16 * HOUR - 1);
    const b = await read(dayStream, dayStart, dayStart + 16 * HOUR - 1);
    if (a.points.length !== day.length || JSON.stringify(a.points.map((p) => [p.time, p.lon, p.lat])) !== JSON.stringify(b.points.map((p) => [p.time, p.lon, p.lat]))) {
      throw new Error(`a day read back differently from blocks (${a.points.length}) and from the stream (${b.points.length})`);
    }
    const dayFromBlocks = await timed(() => read(dayBlocks, dayStart, dayStart + 16 * HOUR - 1), 15);
    const dayFromStream = await timed(() => read(dayStream, dayStart, dayStart + 16 * HOUR - 1), 15);
    const countyHour = (from: number) => Promise.all(teams.map((id) => read(id, from, from + HOUR - 1)));
    const hourFromBlocks = await timed(() => countyHour(DAY), 5);
    const hourFromStream = await timed(() => countyHour(streamHour), 5);

    const perPosStream = median(streamBytes);
    const perPosBlock = median(blockBytes);
    const perDay = (b: number) => `${((16 * PER_HOUR * b) / 1024).toFixed(1)} KiB`;
    const rows: string[][] = [
      ['bytes per position, in the streams (MEMORY USAGE)', perPosStream.toFixed(1), '', ''],
      ['bytes per position, compacted blocks (MEMORY USAGE)', perPosBlock.toFixed(2), '≤ 12', perPosBlock <= 12 ? 'ok' : 'OVER'],
      ['used_memory per position: reported / freed by compaction', `${median(usedStream).toFixed(1)} / ${median(usedBlocks).toFixed(1)}`, '', ''],
      ['memory per team per day (16 h at 5 s): stream / blocks', `${perDay(perPosStream)} / ${perDay(perPosBlock)}`, '', ''],
      [`compact an hour of ${TEAMS} teams (${(TEAMS * PER_HOUR).toLocaleString('en-US')} positions)`, ms(median(compactMs)), '', ''],
      [`replay one team's day (${day.length.toLocaleString('en-US')} positions): blocks / stream`, `${ms(dayFromBlocks)} / ${ms(dayFromStream)}`, '', `${(dayFromStream / dayFromBlocks).toFixed(1)}× blocks vs stream`],
      [`replay ${TEAMS} teams over an hour: blocks / stream`, `${ms(hourFromBlocks)} / ${ms(hourFromStream)}`, '', `${(hourFromStream / hourFromBlocks).toFixed(1)}× blocks vs stream`],
    ];
    const header = ['measure (median of rounds)', 'value', 'target', ''];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
    console.log(`\nTrack history: ${TEAMS} teams, one fix each per 5 s; rounds: ${compactMs.map(ms).join(', ')} to compact; bytes in blocks per round ${blockBytes.map((b) => b.toFixed(2)).join(', ')}`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    const county = (b: number) => (TEAMS * 16 * PER_HOUR * b * 90) / 1024 ** 3;
    console.log(`\n${TEAMS} teams × 16 h a day × 90 days: ${county(perPosStream).toFixed(1)} GiB as streams, ${county(perPosBlock).toFixed(2)} GiB compacted (plus the recent window in the streams).`);
  } finally {
    await redis.quit().catch(() => {});
    await server.destroy();
  }
}
