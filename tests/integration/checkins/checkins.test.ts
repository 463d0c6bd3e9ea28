import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CheckInCodeResponse, CheckInResponse, CheckInsResponse, CheckInTooFar, PositionsAccepted } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import type { TestRedis } from '../../helpers/redis.ts';
import { STORES, startStore } from '../../helpers/stores.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { dashboard, fakeClock, postJson, registerDevice, storeDigest, T0, type Dashboard } from '../tracking/helpers.ts';

/** L-1 沭阳汽车站 at (118.62, 33.85), radius 150 m; 0.001° of latitude ≈ 111 m. */
const NEAR_L1 = { lon: 118.62, lat: 33.8505 }; // ~56 m north
const FAR_FROM_L1 = { lon: 118.62, lat: 33.853 }; // ~333 m north
const NEAR_L2 = { lon: 118.67, lat: 33.8603 };
const NEAR_L3 = { lon: 118.76, lat: 33.8401 };

describe.each(STORES)('check-ins (%s Redis)', (store) => {
  const clock = fakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let dispatcher: SignedIn;
  let device: string;
  let otherDevice: string;
  let map: Dashboard;
  let n = 0;
  const newId = () => `c-${process.pid}-${++n}-abcdefgh`;
  const fix = (app: TestApp, where: { lon: number; lat: number }, extra: Record<string, unknown> = {}) =>
    postJson(`${app.url}/api/positions`, { deviceId: device, ...where, time: clock.now(), accuracy: 10, ...extra });
  const checkIn = (body: Record<string, unknown>, app: TestApp = a) => postJson(`${app.url}/api/checkins`, { deviceId: device, time: clock.now(), ...body });
  /**
   * The team's phone reports where it is, as it does all along on duty: a check-in counts only on
   * such a server-received position. It comes from away first, so no visit is under way there.
   */
  const seen = async (where: { lon: number; lat: number }, deviceId = device) => {
    const res = await postJson(`${a.url}/api/positions/batch`, { deviceId, positions: [{ ...FAR_FROM_L1, time: clock.now() - 2000, accuracy: 10 }, { ...where, time: clock.now() - 1000, accuracy: 10 }] });
    if (res.status !== 200) throw new Error(`positions refused: ${res.status} ${await res.text()}`);
  };
  const list = async (query: string) => (await (await as(dispatcher)(`${a.url}/api/checkins?${query}`)).json()) as CheckInsResponse;

  beforeAll(async () => {
    redis = await startStore(store);
    a = await startTestApp({ redis, clock, broadcastTickMs: 20 });
    b = await startTestApp({ redis, clock, broadcastTickMs: 20 });
    await seedCounty(a.app, smallCounty());
    dispatcher = await signIn(a, 'dispatcher');
    device = (await registerDevice(a, 'team-1', '张伟', dispatcher)).identifier;
    otherDevice = (await registerDevice(a, 'team-2', '李强', dispatcher)).identifier;
    map = await dashboard(a.url, dispatcher);
  });
  afterAll(async () => {
    map?.close();
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });
  beforeEach(() => clock.advance(3_600_000));

  describe('automatic', () => {
    it('checks a team in once it has stayed two minutes within the radius, even across two server processes', async () => {
      const since = clock.now();
      expect(((await (await fix(a, NEAR_L1)).json()) as PositionsAccepted).checkIns).toEqual([]);
      clock.advance(60_000);
      expect(((await (await fix(b, NEAR_L1)).json()) as PositionsAccepted).checkIns).toEqual([]);
      clock.advance(60_000);
      const done = (await (await fix(b, { lon: 118.6201, lat: 33.8504 })).json()) as PositionsAccepted;
      expect(done.checkIns).toHaveLength(1);
      expect(done.checkIns[0]).toMatchObject({ teamId: 'team-1', locationId: 'L-1', kind: 'auto', time: clock.now(), id: `auto-L-1-${since}` });
      expect(done.checkIns[0]!.distance).toBeGreaterThan(30);
      await waitFor(() => map.checkIns.some((x) => x.checkIns.some((c) => c.id === `auto-L-1-${since}`)));
      // Staying on does not check in again; the visit counts once.
      clock.advance(60_000);
      expect(((await (await fix(a, NEAR_L1)).json()) as PositionsAccepted).checkIns).toEqual([]);
      expect((await list(`locationId=L-1&from=${since}&to=${clock.now()}`)).checkIns.map((c) => c.id)).toEqual([`auto-L-1-${since}`]);
    });

    it('does not check in a team that only passes through, nor count a poor-accuracy fix', async () => {
      await fix(a, FAR_FROM_L1); // leave the previous visit
      clock.advance(10_000);
      const from = clock.now();
      await fix(a, NEAR_L1);
      clock.advance(60_000);
      await fix(a, FAR_FROM_L1);
      clock.advance(70_000);
      expect(((await (await fix(a, NEAR_L1)).json()) as PositionsAccepted).checkIns).toEqual([]);
      clock.advance(130_000);
      // 130 s after re-entering, but this fix is 300 m uncertain: it neither ends nor completes the visit.
      expect(((await (await fix(a, NEAR_L1, { accuracy: 300 })).json()) as PositionsAccepted).checkIns).toEqual([]);
      clock.advance(1000);
      expect(((await (await fix(a, NEAR_L1)).json()) as PositionsAccepted).checkIns).toHaveLength(1);
      expect((await list(`locationId=L-1&from=${from}&to=${clock.now()}`)).checkIns).toHaveLength(1);
    });
  });

  describe('POST /api/checkins', () => {
    it('accepts a check-in within the radius plus the fix accuracy, and tells the maps', async () => {
      const id = newId();
      await seen(NEAR_L2);
      // 56 m from L-2 (radius 50 m) with a 10 m fix: allowed 60 m.
      const res = await checkIn({ id, locationId: 'L-2', lon: 118.67, lat: 33.8605, accuracy: 10 });
      expect(res.status).toBe(201);
      const body = (await res.json()) as CheckInResponse;
      expect(body).toMatchObject({ duplicate: false, checkIn: { id, teamId: 'team-1', locationId: 'L-2', kind: 'explicit', time: clock.now(), accuracy: 10 } });
      expect(body.checkIn.distance).toBeCloseTo(55.6, 0);
      await waitFor(() => map.checkIns.some((x) => x.checkIns.some((c) => c.id === id)));
    });

    it('rejects a check-in beyond the radius plus accuracy with 422 and the distance, writing nothing', async () => {
      const before = await storeDigest(a);
      const res = await checkIn({ id: newId(), locationId: 'L-2', lon: 118.67, lat: 33.862, accuracy: 20 });
      expect(res.status).toBe(422);
      const body = (await res.json()) as CheckInTooFar;
      expect(body.field).toBe('body.lon');
      expect(body.distance).toBeCloseTo(222.4, 0);
      expect(body.allowed).toBe(70);
      expect(body.message).toMatch(/222 m from 城东宾馆/);
      expect(await storeDigest(a)).toEqual(before);
    });

    it('counts a retried check-in once, on either process, and refuses its id for another location', async () => {
      const id = newId();
      const body = { id, locationId: 'L-1', ...NEAR_L1, accuracy: 5 };
      await seen(NEAR_L1);
      expect((await checkIn(body)).status).toBe(201);
      const streamLength = await a.app.redis.xLen(a.app.keys.locationCheckins('L-1'));
      const retry = await checkIn(body, b);
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ duplicate: true, checkIn: { id, locationId: 'L-1' } });
      // Even a day later, when the time itself would be too old.
      clock.advance(25 * 3_600_000);
      expect((await checkIn({ ...body, time: clock.now() - 25 * 3_600_000 })).status).toBe(200);
      expect(await a.app.redis.xLen(a.app.keys.locationCheckins('L-1'))).toBe(streamLength);
      const reused = await checkIn({ id, locationId: 'L-2', lon: 118.67, lat: 33.86 });
      expect(reused.status).toBe(409);
      expect(await reused.json()).toMatchObject({ field: 'body.id' });
    });

    it('records two different check-ins sent at the same moment, both', async () => {
      await seen(NEAR_L1);
      const [x, y] = await Promise.all([checkIn({ id: newId(), locationId: 'L-1', ...NEAR_L1 }), checkIn({ id: newId(), locationId: 'L-1', ...NEAR_L1 }, b)]);
      expect([x.status, y.status]).toEqual([201, 201]);
    });

    const bad: [string, number, string, () => Record<string, unknown>][] = [
      ['no id', 400, 'body.id', () => ({ locationId: 'L-1', ...NEAR_L1 })],
      ['a short id', 400, 'body.id', () => ({ id: 'abc', locationId: 'L-1', ...NEAR_L1 })],
      ['no location', 400, 'body.locationId', () => ({ id: newId(), ...NEAR_L1 })],
      ['an unknown location', 404, 'body.locationId', () => ({ id: newId(), locationId: 'L-404', ...NEAR_L1 })],
      ['no position and no code', 400, 'body.lon', () => ({ id: newId(), locationId: 'L-1' })],
      ['a latitude as a string', 400, 'body.lat', () => ({ id: newId(), locationId: 'L-1', lon: 118.62, lat: '33.85' })],
      ['a time 10 minutes ahead (clock skew)', 422, 'body.time', () => ({ id: newId(), locationId: 'L-1', ...NEAR_L1, time: clock.now() + 600_000 })],
      ['a time two days ago', 422, 'body.time', () => ({ id: newId(), locationId: 'L-1', ...NEAR_L1, time: clock.now() - 2 * 86_400_000 })],
      ['an unknown device', 401, 'body.deviceId', () => ({ deviceId: 'f'.repeat(26), id: newId(), locationId: 'L-1', ...NEAR_L1 })],
    ];
    it.each(bad)('refuses %s (%i, %s) and writes nothing', async (_name, status, field, body) => {
      const before = await storeDigest(a);
      const res = await checkIn(body());
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ field });
      expect(await storeDigest(a)).toEqual(before);
    });

    it('lets a signed-in patrol account check in for its own team, and refuses a dispatcher', async () => {
      const patrol = await signIn(a, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' });
      await seen(NEAR_L3, otherDevice);
      const res = await as(patrol)(`${a.url}/api/checkins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: newId(), locationId: 'L-3', lon: 118.76, lat: 33.8401, time: clock.now() }) });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ checkIn: { teamId: 'team-2', by: expect.stringMatching(/^user:/) } });
      const refused = await as(dispatcher)(`${a.url}/api/checkins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: newId(), locationId: 'L-3', lon: 118.76, lat: 33.84, time: clock.now() }) });
      expect(refused.status).toBe(403);
    });
  });

  describe('QR codes', () => {
    const codeOf = async (locationId: string) => (await (await as(dispatcher)(`${a.url}/api/checkins/codes/${locationId}`)).json()) as CheckInCodeResponse;

    it('checks in by the code posted at the location, without a position', async () => {
      const { code, url } = await codeOf('L-3');
      await seen(NEAR_L3, otherDevice);
      expect(url).toBe(`${a.url}/patrol#checkin=${encodeURIComponent(code)}`);
      const res = await postJson(`${a.url}/api/checkins`, { deviceId: otherDevice, id: newId(), code, time: clock.now() });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ checkIn: { locationId: 'L-3', kind: 'qr', teamId: 'team-2', distance: null } });
    });

    it('refuses a forged code, a code of another location, and an old code after rotation', async () => {
      const { code } = await codeOf('L-3');
      await seen(NEAR_L3, otherDevice);
      const forged = code.slice(0, -3) + (code.endsWith('AAA') ? 'BBB' : 'AAA');
      expect((await postJson(`${a.url}/api/checkins`, { deviceId: otherDevice, id: newId(), code: forged, time: clock.now() })).status).toBe(403);
      const mismatch = await postJson(`${a.url}/api/checkins`, { deviceId: otherDevice, id: newId(), code, locationId: 'L-1', time: clock.now() });
      expect(mismatch.status).toBe(400);
      expect(await mismatch.json()).toMatchObject({ field: 'body.code' });
      const rotated = await as(dispatcher)(`${a.url}/api/checkins/codes/L-3/rotate`, { method: 'POST' });
      expect(rotated.status).toBe(200);
      const fresh = (await rotated.json()) as CheckInCodeResponse;
      expect(fresh.code).not.toBe(code);
      expect((await postJson(`${a.url}/api/checkins`, { deviceId: otherDevice, id: newId(), code, time: clock.now() })).status).toBe(403);
      expect((await postJson(`${a.url}/api/checkins`, { deviceId: otherDevice, id: newId(), code: fresh.code, time: clock.now() })).status).toBe(201);
      const [audit] = await a.app.audit.list({ action: 'config_change', limit: 1 });
      expect(audit).toMatchObject({ target: 'checkin-code:L-3' });
    });
  });

  describe('GET /api/checkins', () => {
    it('lists who checked in at a location within a range, by the time they checked in', async () => {
      const from = clock.now();
      const ids = [newId(), newId(), newId()];
      await seen(NEAR_L1);
      await checkIn({ id: ids[0], locationId: 'L-1', ...NEAR_L1 });
      clock.advance(60_000);
      // Sent late (queued offline): it happened before the first one.
      await checkIn({ id: ids[1], locationId: 'L-1', ...NEAR_L1, time: from - 30_000 });
      clock.advance(60_000);
      await checkIn({ id: ids[2], locationId: 'L-1', ...NEAR_L1 });
      const all = await list(`locationId=L-1&from=${from - 60_000}&to=${clock.now()}`);
      expect(all.checkIns.map((c) => c.id)).toEqual([ids[1], ids[0], ids[2]]);
      const window = await list(`locationId=L-1&from=${from}&to=${from + 60_000}`);
      expect(window.checkIns.map((c) => c.id)).toEqual([ids[0]]);
      const byTeam = await list(`teamId=team-1&from=${from - 60_000}&to=${clock.now()}&limit=2`);
      expect(byTeam).toMatchObject({ truncated: true });
      expect(byTeam.checkIns).toHaveLength(2);
    });

    it('needs a location or a team, and a sane range', async () => {
      expect((await as(dispatcher)(`${a.url}/api/checkins`)).status).toBe(400);
      expect((await as(dispatcher)(`${a.url}/api/checkins?locationId=L-1&from=10&to=5`)).status).toBe(400);
      expect((await as(await signIn(a, 'patrol'))(`${a.url}/api/checkins?locationId=L-1`)).status).toBe(403);
    });
  });
});
