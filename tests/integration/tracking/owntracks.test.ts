import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn } from '../../helpers/auth.ts';
import { fakeClock, postJson, registerDevice, storeDigest } from './helpers.ts';

describe('POST /api/owntracks', () => {
  const clock = fakeClock();
  let t: TestApp;
  let device: string;
  const tst = () => Math.floor(clock.now() / 1000);
  const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`zhangwei:${password}`).toString('base64')}` });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await seedCounty(t.app, smallCounty());
    device = (await registerDevice(t, 'team-1', '张伟')).identifier;
  });
  afterAll(async () => t?.stop());

  it('records a location identified by ?id=, answering the empty JSON list OwnTracks waits for', async () => {
    clock.advance(10_000);
    const res = await postJson(`${t.url}/api/owntracks?id=${device}`, { _type: 'location', lat: 33.852, lon: 118.621, tst: tst(), acc: 12, cog: 180, vel: 18, batt: 77, tid: 'ZW' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    const pos = await t.app.redis.hGetAll(t.app.keys.teamPosition('team-1'));
    expect(pos).toMatchObject({ lon: '118.621', lat: '33.852', time: String(tst() * 1000), heading: '180', speed: '5', accuracy: '12' });
  });

  it('identifies the device by the HTTP Basic password too', async () => {
    clock.advance(10_000);
    const res = await postJson(`${t.url}/api/owntracks`, { _type: 'location', lat: 33.853, lon: 118.622, tst: tst() }, basic(device));
    expect(res.status).toBe(200);
    expect(await t.app.redis.hGet(t.app.keys.teamPosition('team-1'), 'lon')).toBe('118.622');
  });

  it('answers other message types and zero-length posts with [] without recording a position', async () => {
    const before = await storeDigest(t);
    for (const body of [{ _type: 'status', android: {} }, { _type: 'lwt', tst: tst() }, { _type: 'transition', event: 'enter' }, '']) {
      const res = await postJson(`${t.url}/api/owntracks?id=${device}`, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    }
    expect(await storeDigest(t)).toEqual(before);
  });

  const bad: [string, number, string, unknown, (d: string) => Record<string, string>][] = [
    ['no identifier', 401, 'query.id', { _type: 'location', lat: 33.85, lon: 118.62, tst: 1 }, () => ({})],
    ['a wrong Basic password', 401, 'headers.authorization', { _type: 'location', lat: 33.85, lon: 118.62, tst: 1 }, () => basic('e'.repeat(26))],
    ['no _type', 400, 'body._type', { lat: 33.85, lon: 118.62, tst: 1 }, (d) => basic(d)],
    ['no tst', 400, 'body.tst', { _type: 'location', lat: 33.85, lon: 118.62 }, (d) => basic(d)],
    ['a latitude as a string', 400, 'body.lat', { _type: 'location', lat: '33.85', lon: 118.62, tst: 1 }, (d) => basic(d)],
    ['tst in milliseconds', 422, 'body.tst', { _type: 'location', lat: 33.85, lon: 118.62, tst: 1_802_779_200_000 }, (d) => basic(d)],
    ['an encrypted payload', 400, 'body._type', { _type: 'encrypted', data: 'abc' }, (d) => basic(d)],
    ['an array', 400, 'body', [{ _type: 'location' }], (d) => basic(d)],
    // The device is checked before the message: a guess learns nothing about what it sent.
    ['a malformed message from an unknown device', 401, 'headers.authorization', { lat: '33.85' }, () => basic('f'.repeat(26))],
  ];
  it.each(bad)('refuses %s (%i, %s) and writes nothing', async (_name, status, field, body, headers) => {
    const before = await storeDigest(t);
    const res = await postJson(`${t.url}/api/owntracks`, body, headers(device));
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ field });
    expect(await storeDigest(t)).toEqual(before);
  });

  it('counts ignored messages and refusals', async () => {
    const stats = (await (await as(await signIn(t, 'admin'))(`${t.url}/api/tracking/stats`)).json()) as { counters: Record<string, number> };
    expect(stats.counters).toMatchObject({ 'accepted:owntracks': 2, 'ignored:owntracks': 4, 'rejected:owntracks:401': 3, 'rejected:owntracks:400': 5, 'rejected:owntracks:422': 1 });
  });
});
