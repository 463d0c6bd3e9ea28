/**
 * Track history compaction (issue 19): positions older than the recent window move from each
 * team's stream into hourly blocks, once even when two server processes compact at the same
 * time, and the track (JSON and files alike) reads the same positions before and after, across
 * the boundary between blocks and stream, late uploads included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackResponse } from '@lianfang/server/api';
import type { Fix } from '../../../geo/src/index.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { patrolTrack } from '../../fixtures/patrolTrack.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { fakeClock, T0 } from './helpers.ts';

const HOUR = 3_600_000;
/** The default recent window (HISTORY_RECENT_MIN 120). */
const RECENT = 2 * HOUR;

/** A patrol reporting every 5 s from `start` for `count` fixes, each minute's fixes uploaded at the end of that minute. */
async function patrol(t: TestApp, clock: ReturnType<typeof fakeClock>, teamId: string, start: number, count: number, seed = 1) {
  const points = patrolTrack({ seed, start, count, lon: 118.7, lat: 33.85, device: 'test' });
  const fixes: Fix[] = points.map((p) => ({ time: p.time, lon: p.lon, lat: p.lat, heading: p.heading!, speed: p.speed!, accuracy: p.accuracy! }));
  for (let i = 0; i < fixes.length; i += 12) {
    const batch = fixes.slice(i, i + 12);
    clock.set(Math.max(clock.now(), batch[batch.length - 1]!.time));
    await report(t.app, teamId, batch);
  }
  return fixes;
}

async function blockHours(t: TestApp, teamId: string): Promise<number[]> {
  const names = await t.app.redis.keys(`${t.app.keys.prefix}team:hist:${teamId}:*`);
  return names.map((n) => Number(n.slice(n.lastIndexOf(':') + 1)) * HOUR - T0).sort((a, b) => a - b);
}

describe('track history compaction', () => {
  const clock = fakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let leader: SignedIn;
  const track = async (t: TestApp, teamId: string, from: number, to: number, format = 'json') => {
    const res = await as(leader)(`${t.url}/api/teams/${teamId}/track?from=${from}&to=${to}&limit=50000&format=${format}`);
    expect(res.status).toBe(200);
    return format === 'json' ? ((await res.json()) as TrackResponse) : await res.text();
  };

  beforeAll(async () => {
    redis = await startRedis();
    // Two server processes on one Redis; compaction only when a test asks (no tick).
    a = await startTestApp({ redis, clock, historyCompactTickMs: 0 });
    b = await startTestApp({ redis, clock, historyCompactTickMs: 0 });
    await seedCounty(a.app, smallCounty());
    leader = await signIn(a, 'leader');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('replays a day across the compaction boundary with the same positions as before compaction, and the file downloads alike', async () => {
    // Three hours of a patrol, then two more hours pass: the first hours are older than the recent window.
    const fixes = await patrol(a, clock, 'team-1', T0, 3 * 720);
    const from = T0;
    const to = T0 + 3 * HOUR;
    const before = (await track(a, 'team-1', from, to)) as TrackResponse;
    const gpxBefore = await track(a, 'team-1', from, to, 'gpx');
    expect(before.positions).toHaveLength(fixes.length);

    // 04:30: the recent window starts at 02:30, so entries received before 02:00 are compacted.
    clock.set(T0 + 4.5 * HOUR);
    const run = await a.app.history.compactAll();
    expect(run).toMatchObject({ ran: true, teams: 1, positions: 2 * 720, blocks: 2, stale: 0 });
    expect(await blockHours(a, 'team-1')).toEqual([0, HOUR]);
    expect(await a.app.redis.xLen(a.app.keys.teamTrack('team-1'))).toBe(720);

    const after = (await track(b, 'team-1', from, to)) as TrackResponse;
    expect(after).toEqual(before);
    expect(await track(b, 'team-1', from, to, 'gpx')).toBe(gpxBefore);
    // A window from inside a block into the stream: continuous, every 5 s, nothing twice.
    const seamFrom = T0 + 2 * HOUR - 10 * 60_000;
    const seam = (await track(b, 'team-1', seamFrom, seamFrom + 20 * 60_000 - 1)) as TrackResponse;
    expect(seam.positions.map((p) => p.time - seamFrom)).toEqual(Array.from({ length: 240 }, (_, i) => i * 5000));
  });

  it('keeps a fix uploaded late for an hour already compacted: read from the stream, then merged into that hour once', async () => {
    const from = T0;
    const to = T0 + 3 * HOUR;
    const before = (await track(a, 'team-1', from, to)) as TrackResponse;
    // A second phone of the team that was offline all day uploads a fix taken at 00:30.
    const lateFix = { time: T0 + 30 * 60_000 + 2500, lon: 118.7001, lat: 33.8501, accuracy: 9 };
    await report(a.app, 'team-1', [lateFix]);
    const withLate = (await track(a, 'team-1', from, to)) as TrackResponse;
    expect(withLate.positions).toHaveLength(before.positions.length + 1);
    expect(withLate.positions.find((p) => p.time === lateFix.time)).toMatchObject({ lon: 118.7001, lat: 33.8501, accuracy: 9 });

    // Later, its receive time is older than the recent window too: merged into the 00:00 block.
    clock.advance(RECENT + HOUR);
    const run = await a.app.history.compactAll();
    expect(run.stale).toBe(0);
    expect(await a.app.redis.zCard(a.app.keys.teamLate('team-1'))).toBe(0);
    expect(await track(b, 'team-1', from, to)).toEqual(withLate);
    // A second pass finds nothing to do.
    expect(await a.app.history.compactAll()).toMatchObject({ ran: true, teams: 0, positions: 0 });
  });

  it('compacts once when two processes compact at the same time: one block an hour, the stream trimmed once', async () => {
    const start = clock.now() - (clock.now() % HOUR) + HOUR;
    clock.set(start);
    const fixes = await patrol(a, clock, 'team-2', start, 2 * 720, 2);
    const before = (await track(a, 'team-2', start, start + 2 * HOUR)) as TrackResponse;
    const streamBefore = await a.app.redis.xLen(a.app.keys.teamTrack('team-2'));
    expect(streamBefore).toBe(fixes.length);
    clock.set(start + 2 * HOUR + RECENT + HOUR);

    // Both processes at once, past the lease (as when a lease ran out mid-pass).
    const runs = await Promise.all([a.app.history.compactAll({ force: true }), b.app.history.compactAll({ force: true })]);
    expect(runs[0]!.positions + runs[1]!.positions).toBe(fixes.length);
    expect(await a.app.redis.xLen(a.app.keys.teamTrack('team-2'))).toBe(0);
    expect((await blockHours(a, 'team-2')).map((h) => h - (start - T0))).toEqual([0, HOUR]);
    expect(await track(b, 'team-2', start, start + 2 * HOUR)).toEqual(before);

    // With the lease, of two passes at once one works and the other stands aside.
    await patrol(a, clock, 'team-2', clock.now() + 60_000, 12, 3);
    clock.advance(RECENT + HOUR);
    const leased = await Promise.all([a.app.history.compactAll(), b.app.history.compactAll()]);
    expect(leased.filter((r) => r.ran)).toHaveLength(1);
    expect(leased[0]!.positions + leased[1]!.positions).toBe(12);
  });

  it('writes nothing when another process compacted between its read and its write (stale), losing no position', async () => {
    const start = clock.now() - (clock.now() % HOUR) + HOUR;
    clock.set(start);
    await patrol(a, clock, 'team-1', start, 240, 4);
    clock.set(start + 20 * 60_000 + RECENT + HOUR);
    const everything = (await track(a, 'team-1', start, start + HOUR)) as TrackResponse;
    // Process b reads and merges the first 120 entries' hour; process a then compacts all 240.
    const slow = await b.app.history.prepare('team-1', start + 10 * 60_000 + 1);
    expect(slow?.positions).toBe(120);
    expect(await a.app.history.compactTeam('team-1', a.app.history.cutoff(clock.now()))).toMatchObject({ positions: 240, stale: false });
    // b's write would put back an hour of 120 positions over a's 240: refused.
    expect(await b.app.history.commit(slow!)).toEqual({ positions: 0, blocks: 0, stale: true });
    expect(await track(a, 'team-1', start, start + HOUR)).toEqual(everything);
    expect(((await track(a, 'team-1', start, start + HOUR)) as TrackResponse).positions).toHaveLength(240);
  });

  it('lets blocks expire with retention, as the stream is trimmed by age', async () => {
    // The 00:00 block was last written at 07:30 (the late fix merged in): it lives until its hour is RETENTION_DAYS old.
    const ttl = await a.app.redis.pTTL(a.app.keys.teamHistory('team-1', Math.floor(T0 / HOUR)));
    const expected = T0 + HOUR + a.config.retentionDays * 86_400_000 - (T0 + 7.5 * HOUR);
    expect(Math.abs(ttl - expected)).toBeLessThan(60_000);
  });
});
