/**
 * Attacks on position ingest: a leaked set-up link flooding Redis with fake history, one address
 * trying identifiers, and unknown devices making the server do per-fix work for nothing.
 * Limits are set low here (INGEST_*); the defaults are generous (docs/api.md).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn } from '../../helpers/auth.ts';
import { fakeClock, postJson, registerDevice, storeDigest } from '../tracking/helpers.ts';

describe('position ingest under attack', () => {
  const clock = fakeClock();
  let t: TestApp;
  const fix = (deviceId: string, dt = 0) => ({ deviceId, lon: 118.62, lat: 33.85, time: clock.now() - dt });
  /** A fix the pipeline refuses (an hour in the future): only the per-fix checks would notice. */
  const future = (deviceId: string) => ({ deviceId, lon: 118.62, lat: 33.85, time: clock.now() + 3_600_000 });
  /** A well-formed identifier nobody registered (digits spelled as letters: base32 has no 0, 1, 8, 9). */
  const unknown = (n: number) => `${'x'.repeat(26)}${[...String(n)].map((d) => 'abcdefghij'[Number(d)]).join('')}`.slice(-26);
  const one = (body: unknown) => postJson(`${t.url}/api/positions`, body);
  const batch = (deviceId: string, positions: unknown[]) => postJson(`${t.url}/api/positions/batch`, { deviceId, positions });

  beforeAll(async () => {
    t = await startTestApp({ clock, osmandPort: 0, ingestDevicePerMinute: 5, ingestDeviceBatchesPerHour: 2, ingestAddressPerMinute: 20 });
    await seedCounty(t.app, smallCounty());
  });
  afterAll(async () => t?.stop());
  // A new hour each test: every window (minute and hour) starts empty.
  beforeEach(() => clock.advance(3_600_000));

  it('refuses an unknown identifier 401 without checking its fixes or matching them to key locations', async () => {
    const perFix = vi.spyOn(t.app.geography.places, 'recent');
    try {
      const single = await one(future(unknown(1)));
      expect(single.status).toBe(401);
      expect((await single.json()).field).toBe('body.deviceId');
      const bad = await batch(unknown(2), [
        { lon: 118.62, lat: 33.85, time: clock.now() - 10_000 },
        { lon: 118.62, lat: 33.85, time: clock.now() + 3_600_000 },
      ]);
      expect(bad.status).toBe(401);
      const osmand = await fetch(`http://127.0.0.1:${t.app.osmand.port}/?id=${unknown(3)}&lat=10&lon=10&timestamp=${Math.floor(clock.now() / 1000)}`);
      expect(osmand.status).toBe(401);
      expect(perFix).not.toHaveBeenCalled();
    } finally {
      perFix.mockRestore();
    }
  });

  it('refuses a flood from a leaked identifier with 429 past the per-device limit, writing nothing more, until the next minute', async () => {
    const device = (await registerDevice(t, 'team-1', '张伟')).identifier;
    for (let i = 0; i < 5; i++) expect((await one(fix(device, 5 - i))).status).toBe(200);
    const before = await storeDigest(t);
    const refused = await one(fix(device));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // OsmAnd shares the device's count.
    const osmand = await fetch(`http://127.0.0.1:${t.app.osmand.port}/?id=${device}&lat=33.85&lon=118.62&timestamp=${Math.floor(clock.now() / 1000)}`);
    expect(osmand.status).toBe(429);
    expect(await storeDigest(t)).toEqual(before);
    clock.advance(60_000);
    expect((await one(fix(device))).status).toBe(200);
  });

  it('refuses a device’s batches past the per-device batch limit with 429', async () => {
    const device = (await registerDevice(t, 'team-1', '张伟')).identifier;
    const positions = (n: number) => Array.from({ length: 3 }, (_, i) => ({ lon: 118.62, lat: 33.85, time: clock.now() - (n * 10 + i) * 1000 }));
    expect((await batch(device, positions(3))).status).toBe(200);
    expect((await batch(device, positions(2))).status).toBe(200);
    const before = await storeDigest(t);
    expect((await batch(device, positions(1))).status).toBe(429);
    expect(await storeDigest(t)).toEqual(before);
    // Single fixes still go through: the batch limit counts batches only.
    expect((await one(fix(device))).status).toBe(200);
  });

  it('refuses one address trying identifiers with 429 past the per-address limit, whether or not the guess is right', async () => {
    const device = (await registerDevice(t, 'team-1', '张伟')).identifier;
    for (let i = 0; i < 20; i++) expect((await one(fix(unknown(100 + i)))).status).toBe(401);
    const before = await storeDigest(t);
    for (const guess of [unknown(200), device]) {
      const refused = await one(fix(guess));
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ message: expect.stringContaining('this address') });
    }
    expect(await storeDigest(t)).toEqual(before);
  });

  it('refuses a device revoked after it reported with 403, and from then on before its fixes are checked', async () => {
    const { identifier, device } = await registerDevice(t, 'team-2', '李强');
    expect((await one(fix(identifier))).status).toBe(200);
    const dispatcher = await signIn(t, 'dispatcher');
    expect((await as(dispatcher)(`${t.url}/api/teams/team-2/devices/${device.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await one(fix(identifier))).status).toBe(403);
    const perFix = vi.spyOn(t.app.geography.places, 'recent');
    try {
      expect((await one(future(identifier))).status).toBe(403);
      expect(perFix).not.toHaveBeenCalled();
    } finally {
      perFix.mockRestore();
    }
  });
});
