import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { dashboard, fakeClock, registerDevice, storeDigest, T0, type Dashboard } from './helpers.ts';

describe('OsmAnd protocol (Traccar Client, OsmAnd)', () => {
  const clock = fakeClock();
  let t: TestApp;
  let dispatcher: SignedIn;
  let device: string;
  let map: Dashboard;
  let osmand: string;
  const seconds = () => Math.floor(clock.now() / 1000);
  const movedTo = (lon: number, time: number) => waitFor(() => map.positions.some((b) => b.positions.some((p) => p.teamId === 'team-2' && p.lon === lon && p.time === time)));

  beforeAll(async () => {
    t = await startTestApp({ clock, osmandPort: 0, broadcastTickMs: 20 });
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher');
    device = (await registerDevice(t, 'team-2', '李强', dispatcher)).identifier;
    map = await dashboard(t.url, dispatcher);
    osmand = `http://127.0.0.1:${t.app.osmand.port}`;
  });
  afterAll(async () => {
    map?.close();
    await t?.stop();
  });
  beforeEach(() => clock.advance(10_000));

  it('listens on its own port (OSMAND_PORT=0 picks a free one)', () => {
    expect(t.app.osmand.port).toBeGreaterThan(0);
    expect(t.app.osmand.port).not.toBe(new URL(t.url).port);
  });

  it('moves the team on a connected map when OsmAnd sends a query to the OsmAnd port, speed in knots', async () => {
    const time = seconds() * 1000;
    const res = await fetch(`${osmand}/?id=${device}&lat=33.851&lon=118.721&timestamp=${seconds()}&speed=10&bearing=45&altitude=12&accuracy=6&batt=88`);
    expect(res.status).toBe(200);
    await movedTo(118.721, time);
    const p = map.positions.flatMap((b) => b.positions).find((x) => x.time === time)!;
    expect(p.speed).toBeCloseTo(5.144, 3); // 10 knots
    expect(p).toMatchObject({ heading: 45, accuracy: 6, lat: 33.851 });
  });

  it('moves the team when Traccar Client 9 posts its JSON body to the OsmAnd port', async () => {
    const time = clock.now() - 1500;
    const body = {
      location: {
        timestamp: new Date(time).toISOString(),
        coords: { latitude: 33.852, longitude: 118.722, accuracy: 9, speed: 1.5, heading: 270, altitude: 20 },
        is_moving: true,
        odometer: 1234,
        event: 'motionchange',
        battery: { level: 0.62, is_charging: false },
        activity: { type: 'walking' },
        extras: {},
      },
      device_id: device,
    };
    const res = await fetch(`${osmand}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    await movedTo(118.722, time);
    expect(map.positions.flatMap((b) => b.positions).find((x) => x.time === time)).toMatchObject({ speed: 1.5, heading: 270, accuracy: 9 });
  });

  it('reads a form-encoded POST with deviceid, an ISO timestamp, and location=lat,lon', async () => {
    const time = clock.now() - 3000;
    const form = new URLSearchParams({ deviceid: device, location: '33.853,118.723', timestamp: new Date(time).toISOString(), heading: '10' });
    const res = await fetch(`${osmand}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(res.status).toBe(200);
    await movedTo(118.723, time);
  });

  it('answers at /osmand on the main port too, with a POST that has only a query (old Traccar Client)', async () => {
    const res = await fetch(`${t.url}/osmand?id=${device}&lat=33.854&lon=118.724&timestamp=${clock.now()}`, { method: 'POST' });
    expect(res.status).toBe(200);
    await movedTo(118.724, clock.now());
  });

  const bad: [string, number, string, (id: string, s: number) => string][] = [
    ['no device id', 400, 'query.id', (_id, s) => `lat=33.85&lon=118.72&timestamp=${s}`],
    ['no latitude', 400, 'query.lat', (id, s) => `id=${id}&lon=118.72&timestamp=${s}`],
    ['a latitude that is not a number', 400, 'query.lat', (id, s) => `id=${id}&lat=abc&lon=118.72&timestamp=${s}`],
    ['NaN', 400, 'query.lon', (id, s) => `id=${id}&lat=33.85&lon=NaN&timestamp=${s}`],
    ['swapped coordinates', 400, 'query.lat', (id, s) => `id=${id}&lat=118.72&lon=33.85&timestamp=${s}`],
    ['a garbled timestamp', 400, 'query.timestamp', (id) => `id=${id}&lat=33.85&lon=118.72&timestamp=yesterday`],
    ['a timestamp an hour ahead', 422, 'query.timestamp', (id, s) => `id=${id}&lat=33.85&lon=118.72&timestamp=${s + 3600}`],
    ['a bearing of 400°', 400, 'query.bearing', (id, s) => `id=${id}&lat=33.85&lon=118.72&timestamp=${s}&bearing=400`],
    ['the id twice', 400, 'query.id', (id, s) => `id=${id}&id=${id}&lat=33.85&lon=118.72&timestamp=${s}`],
    ['an unknown device', 401, 'query.id', (_id, s) => `id=${'b'.repeat(26)}&lat=33.85&lon=118.72&timestamp=${s}`],
    ['an IMEI that was never registered', 401, 'query.id', (_id, s) => `id=861234567890123&lat=33.85&lon=118.72&timestamp=${s}`],
  ];
  it.each(bad)('refuses a query with %s (%i, %s) and writes nothing', async (_name, status, field, query) => {
    const before = await storeDigest(t);
    const res = await fetch(`${osmand}/?${query(device, seconds())}`);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ field });
    expect(await storeDigest(t)).toEqual(before);
  });

  const badJson: [string, number, string, (id: string, iso: string) => unknown][] = [
    ['no device_id', 400, 'body.device_id', (_id, iso) => ({ location: { timestamp: iso, coords: { latitude: 33.85, longitude: 118.72 } } })],
    ['no coords', 400, 'body.location.coords', (id, iso) => ({ device_id: id, location: { timestamp: iso } })],
    ['a latitude as a string', 400, 'body.location.coords.latitude', (id, iso) => ({ device_id: id, location: { timestamp: iso, coords: { latitude: '33.85', longitude: 118.72 } } })],
    ['no timestamp', 400, 'body.location.timestamp', (id) => ({ device_id: id, location: { coords: { latitude: 33.85, longitude: 118.72 } } })],
    ['an unknown device', 401, 'body.device_id', (_id, iso) => ({ device_id: 'c'.repeat(26), location: { timestamp: iso, coords: { latitude: 33.85, longitude: 118.72 } } })],
  ];
  it.each(badJson)('refuses a Traccar JSON body with %s (%i, %s) and writes nothing', async (_name, status, field, body) => {
    const before = await storeDigest(t);
    const res = await fetch(`${osmand}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(device, new Date(clock.now()).toISOString())) });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ field });
    expect(await storeDigest(t)).toEqual(before);
  });

  it('refuses a body that is not JSON at all with 400, never a 5xx', async () => {
    const res = await fetch(`${osmand}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"device_id":' });
    expect(res.status).toBe(400);
    const empty = await fetch(`${osmand}/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(empty.status).toBe(400);
  });

  it('logs and counts refused devices', async () => {
    await fetch(`${osmand}/?id=${'d'.repeat(26)}&lat=33.85&lon=118.72`);
    const stats = (await (await as(dispatcher)(`${t.url}/api/tracking/stats`)).json()) as { counters: Record<string, number> };
    expect(stats.counters['rejected:osmand:401']).toBeGreaterThanOrEqual(3);
    expect(stats.counters['accepted:osmand']).toBeGreaterThanOrEqual(4);
  });
});

describe('OsmAnd without OSMAND_PORT=0', () => {
  it('does not stop the server when the OsmAnd port is taken: /osmand still answers', async () => {
    const first = await startTestApp({ osmandPort: 0 });
    const second = await startTestApp({ osmandPort: first.app.osmand.port!, logLevel: 'silent' });
    try {
      expect(second.app.osmand.port).toBeNull();
      expect((await fetch(`${second.url}/osmand?lat=1`)).status).toBe(400);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});

void T0;
