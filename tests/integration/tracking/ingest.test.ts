import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PositionsAccepted, TeamsResponse, TrackResponse } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { dashboard, fakeClock, postJson, registerDevice, storeDigest, T0 } from './helpers.ts';

describe('POST /api/positions', () => {
  const clock = fakeClock();
  let t: TestApp;
  let dispatcher: SignedIn;
  let device: string;
  const post = (body: unknown) => postJson(`${t.url}/api/positions`, body);
  const teamView = async (id: string) => ((await (await as(dispatcher)(`${t.url}/api/teams`)).json()) as TeamsResponse).teams.find((x) => x.id === id)!;

  beforeAll(async () => {
    t = await startTestApp({ clock, broadcastTickMs: 20 });
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher');
    device = (await registerDevice(t, 'team-1', '张伟', dispatcher)).identifier;
  });
  afterAll(async () => t?.stop());
  beforeEach(() => clock.set(T0 + 3_600_000));

  it('moves the team on a connected map, and the fix is in Redis when the 200 arrives', async () => {
    const map = await dashboard(t.url, dispatcher);
    try {
      const time = clock.now() - 2000;
      const res = await post({ deviceId: device, lon: 118.62, lat: 33.85, time, heading: 90, speed: 1.4, accuracy: 8 });
      expect(res.status).toBe(200);
      expect((await res.json()) as PositionsAccepted).toEqual({ accepted: 1, moved: true, older: 0, flagged: 0, checkIns: [] });
      // No waiting: acknowledged means written.
      expect(await t.app.redis.hGet(t.app.keys.teamPosition('team-1'), 'time')).toBe(String(time));
      await waitFor(() => map.positions.some((b) => b.positions.some((p) => p.teamId === 'team-1' && p.time === time)));
      expect(await teamView('team-1')).toMatchObject({ lon: 118.62, lat: 33.85, time, heading: 90 });
    } finally {
      map.close();
    }
  });

  it('keeps a fix older than the team’s latest in history without moving the marker', async () => {
    const latest = clock.now() - 1000;
    await post({ deviceId: device, lon: 118.63, lat: 33.85, time: latest });
    const before = await t.app.redis.xLen(t.app.keys.teamTrack('team-1'));
    const res = await post({ deviceId: device, lon: 118.61, lat: 33.84, time: latest - 60_000 });
    expect(await res.json()).toMatchObject({ accepted: 1, moved: false, older: 1 });
    expect(await teamView('team-1')).toMatchObject({ lon: 118.63, time: latest });
    expect(await t.app.redis.xLen(t.app.keys.teamTrack('team-1'))).toBe(before + 1);
  });

  it('stores a fix sent again (its answer lost on the way back) only once in the track', async () => {
    const fix = { deviceId: device, lon: 118.632, lat: 33.852, time: clock.now() - 500 };
    const before = await t.app.redis.xLen(t.app.keys.teamTrack('team-1'));
    expect(await (await post(fix)).json()).toMatchObject({ accepted: 1, moved: true, older: 0 });
    clock.set(clock.now() + 30_000);
    expect(await (await post(fix)).json()).toMatchObject({ accepted: 1, moved: false, older: 1 });
    expect(await t.app.redis.xLen(t.app.keys.teamTrack('team-1'))).toBe(before + 1);
  });

  it('keeps a poor-accuracy fix but flags it, in the answer and in the track', async () => {
    const time = clock.now();
    const res = await post({ deviceId: device, lon: 118.625, lat: 33.851, time, accuracy: 450 });
    expect(await res.json()).toMatchObject({ accepted: 1, moved: true, flagged: 1 });
    const track = (await (await as(dispatcher)(`${t.url}/api/teams/team-1/track?from=${time}&to=${time}`)).json()) as TrackResponse;
    expect(track.positions).toEqual([{ time, lon: 118.625, lat: 33.851, heading: null, speed: null, accuracy: 450, poor: true }]);
  });

  const cases: [string, number, string | undefined, (id: string, now: number) => unknown][] = [
    ['a string for a number', 400, 'body.lat', (id, now) => ({ deviceId: id, lon: 118.62, lat: '33.85', time: now })],
    ['a string for the time', 400, 'body.time', (id, now) => ({ deviceId: id, lon: 118.62, lat: 33.85, time: new Date(now).toISOString() })],
    ['a latitude out of range', 400, 'body.lat', (id, now) => ({ deviceId: id, lon: 118.62, lat: 95, time: now })],
    ['a longitude out of range', 400, 'body.lon', (id, now) => ({ deviceId: id, lon: 218.62, lat: 33.85, time: now })],
    ['swapped coordinates', 400, 'body.lat', (id, now) => ({ deviceId: id, lon: 33.85, lat: 118.62, time: now })],
    ['a point far outside the county', 422, 'body.lat', (id, now) => ({ deviceId: id, lon: 116.4, lat: 39.9, time: now })],
    ['(0, 0): no GPS fix', 422, 'body.lat', (id, now) => ({ deviceId: id, lon: 0, lat: 0, time: now })],
    ['a negative speed', 400, 'body.speed', (id, now) => ({ deviceId: id, lon: 118.62, lat: 33.85, time: now, speed: -3 })],
    ['a missing device id', 400, 'body.deviceId', (_id, now) => ({ lon: 118.62, lat: 33.85, time: now })],
    ['a missing latitude', 400, 'body.lat', (id, now) => ({ deviceId: id, lon: 118.62, time: now })],
    ['a time 10 minutes ahead of the server (clock skew)', 422, 'body.time', (id, now) => ({ deviceId: id, lon: 118.62, lat: 33.85, time: now + 600_000 })],
    ['a time in seconds instead of milliseconds', 422, 'body.time', (id, now) => ({ deviceId: id, lon: 118.62, lat: 33.85, time: Math.floor(now / 1000) })],
    ['an unknown device', 401, 'body.deviceId', (_id, now) => ({ deviceId: 'a'.repeat(26), lon: 118.62, lat: 33.85, time: now })],
    ['a malformed device id', 401, 'body.deviceId', (_id, now) => ({ deviceId: 'team-1', lon: 118.62, lat: 33.85, time: now })],
    ['NaN (not JSON)', 400, undefined, (id, now) => `{"deviceId":"${id}","lon":NaN,"lat":33.85,"time":${now}}`],
  ];
  it.each(cases)('rejects %s with %i naming the field, and writes nothing', async (_name, status, field, body) => {
    const before = await storeDigest(t);
    const res = await post(body(device, clock.now()));
    expect(res.status).toBe(status);
    const error = (await res.json()) as { field?: string; message: string };
    if (field) expect(error.field).toBe(field);
    expect(error.message.length).toBeGreaterThan(0);
    expect(await storeDigest(t)).toEqual(before);
  });
});

describe('POST /api/positions/batch', () => {
  const clock = fakeClock();
  let t: TestApp;
  let device: string;
  const post = (body: unknown) => postJson(`${t.url}/api/positions/batch`, body);
  const fixes = (n: number, start: number) => Array.from({ length: n }, (_, i) => ({ lon: 118.7 + i * 1e-5, lat: 33.85, time: start + i * 1000, speed: 1.4 }));

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await seedCounty(t.app, smallCounty());
    device = (await registerDevice(t, 'team-2', '李强')).identifier;
  });
  afterAll(async () => t?.stop());

  it('records a queued batch of 1,000 in one request, newest as the marker, in time order', async () => {
    const start = clock.now() - 1_000_000;
    const shuffled = fixes(1000, start).reverse();
    const res = await post({ deviceId: device, positions: shuffled });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1000, moved: true, older: 0 });
    expect(await t.app.redis.hGet(t.app.keys.teamPosition('team-2'), 'time')).toBe(String(start + 999_000));
    const entries = await t.app.redis.xRange(t.app.keys.teamTrack('team-2'), '-', '+');
    expect(entries.map((e) => Number(e.message.t))).toEqual(fixes(1000, start).map((f) => f.time));
  });

  it('rejects a batch of 1,001 with 413 naming body.positions, and writes nothing', async () => {
    const before = await storeDigest(t);
    const res = await post({ deviceId: device, positions: fixes(1001, clock.now() - 2_000_000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ field: 'body.positions' });
    expect(await storeDigest(t)).toEqual(before);
  });

  it('writes none of a batch with one bad fix, naming it (body.positions.3.lat)', async () => {
    const before = await storeDigest(t);
    const batch = fixes(5, clock.now() - 10_000);
    (batch[3] as { lat: unknown }).lat = '33.85';
    const res = await post({ deviceId: device, positions: batch });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'body.positions.3.lat' });
    const future = fixes(5, clock.now() - 2000);
    future[4]!.time = clock.now() + 3_600_000;
    const res2 = await post({ deviceId: device, positions: future });
    expect(res2.status).toBe(422);
    expect(await res2.json()).toMatchObject({ field: 'body.positions.4.time' });
    expect(await storeDigest(t)).toEqual(before);
  });

  it('rejects an empty batch and a missing device id with 400', async () => {
    expect((await post({ deviceId: device, positions: [] })).status).toBe(400);
    const res = await post({ positions: fixes(2, clock.now() - 5000) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'body.deviceId' });
  });
});
