/**
 * Attack: read a device's identifier (its credential) out of the server's log. Fastify's request
 * log writes every URL at info level, and OsmAnd and OwnTracks put the identifier in the URL or in
 * the Basic password. Every line the app writes is captured here and searched for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { fakeClock, postJson, registerDevice } from '../tracking/helpers.ts';

describe('device identifiers in the request log', () => {
  const clock = fakeClock();
  const lines: string[] = [];
  let t: TestApp;
  let device: string;
  /** Well-formed, never registered: an attacker's guess is not logged either. */
  const unknown = 'abcdefghijklmnopqrstuvwxyz'.slice(0, 26);
  const seconds = () => Math.floor(clock.now() / 1000);

  beforeAll(async () => {
    t = await startTestApp({ clock, osmandPort: 0, logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    await seedCounty(t.app, smallCounty());
    device = (await registerDevice(t, 'team-2', '李强')).identifier;
  });
  afterAll(async () => t?.stop());

  it('leaves no identifier in the captured log after OsmAnd and OwnTracks reports', async () => {
    const osmand = `http://127.0.0.1:${t.app.osmand.port}`;
    const query = (id: string) => `id=${id}&lat=33.851&lon=118.721&timestamp=${seconds()}`;
    const basic = (id: string) => `Basic ${Buffer.from(`lijiang:${id}`).toString('base64')}`;
    const location = () => ({ _type: 'location', lat: 33.852, lon: 118.722, tst: seconds() });
    const ownTracksHeaders = (id: string) => ({ authorization: basic(id), 'x-limit-u': 'lijiang', 'x-limit-d': id });
    clock.advance(10_000);
    expect((await fetch(`${osmand}/?${query(device)}`)).status).toBe(200);
    clock.advance(10_000);
    expect((await fetch(`${t.url}/osmand?${query(device)}`, { method: 'POST' })).status).toBe(200);
    clock.advance(10_000);
    expect((await postJson(`${t.url}/api/owntracks?id=${device}`, location())).status).toBe(200);
    clock.advance(10_000);
    expect((await postJson(`${t.url}/api/owntracks`, location(), ownTracksHeaders(device))).status).toBe(200);
    // Refused ones are logged (a warning each) and must not carry the identifier either.
    expect((await fetch(`${osmand}/?${query(unknown)}`)).status).toBe(401);
    expect((await postJson(`${t.url}/api/owntracks?id=${unknown}`, location())).status).toBe(401);
    expect((await postJson(`${t.url}/api/owntracks`, location(), ownTracksHeaders(unknown))).status).toBe(401);
    // A wrong path on the OsmAnd port (a mistyped set-up) is still a device's request.
    expect((await fetch(`${osmand}/osmand/?${query(device)}`)).status).toBe(404);
    // So is a mistyped path on the main port, which is no device route.
    expect((await fetch(`${t.url}/osmnd?${query(device)}`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${t.url}/api/owntrack?id=${device}`, { method: 'POST' })).status).toBe(404);
    await t.app.close();

    const log = lines.join('').toLowerCase();
    // The requests were logged (method, path, address), only without what identifies the device.
    expect(log).toContain('"url":"/?…"');
    expect(log).toContain('"url":"/osmand?…"');
    expect(log).toContain('"url":"/api/owntracks?…"');
    expect(log).toContain('"url":"/osmnd?id=…&lat=33.851');
    expect(log).toContain('position from an unknown device refused');
    for (const id of [device, unknown]) {
      expect(log).not.toContain(id.toLowerCase());
      expect(log).not.toContain(basic(id).slice('Basic '.length).toLowerCase());
    }
  });
});
