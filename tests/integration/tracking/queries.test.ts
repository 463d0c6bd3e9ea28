import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NearbyTeamsResponse, TrackResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { fakeClock, postJson, registerDevice, T0 } from './helpers.ts';

describe('GET /api/teams/:id/track', () => {
  const clock = fakeClock(T0);
  let t: TestApp;
  let viewer: SignedIn;
  let device: string;
  const track = async (id: string, query: string) => as(viewer)(`${t.url}/api/teams/${id}/track?${query}`);

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await seedCounty(t.app, smallCounty());
    viewer = await signIn(t, 'leader');
    device = (await registerDevice(t, 'team-1', '张伟')).identifier;
  });
  afterAll(async () => t?.stop());

  it('returns the fixes taken between two times, oldest first, including ones uploaded hours late', async () => {
    const start = clock.now();
    for (let i = 0; i < 10; i++) {
      await postJson(`${t.url}/api/positions`, { deviceId: device, lon: 118.62 + i * 0.001, lat: 33.85, time: clock.now(), speed: 1.4 });
      clock.advance(60_000);
    }
    // A phone that was offline uploads a fix taken at start + 4.5 min, three hours later.
    clock.advance(3 * 3_600_000);
    const late = await postJson(`${t.url}/api/positions/batch`, { deviceId: device, positions: [{ lon: 118.6245, lat: 33.851, time: start + 270_000 }] });
    expect(await late.json()).toMatchObject({ moved: false, older: 1 });

    const res = await track('team-1', `from=${start + 120_000}&to=${start + 360_000}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TrackResponse;
    expect(body.positions.map((p) => p.time - start)).toEqual([120_000, 180_000, 240_000, 270_000, 300_000, 360_000]);
    expect(body.positions[0]).toEqual({ time: start + 120_000, lon: 118.622, lat: 33.85, heading: null, speed: 1.4, accuracy: null, poor: false });
    expect(body.truncated).toBe(false);

    const limited = (await (await track('team-1', `from=${start}&to=${start + 3_600_000}&limit=3`)).json()) as TrackResponse;
    expect(limited.positions.map((p) => p.time - start)).toEqual([0, 60_000, 120_000]);
    expect(limited.truncated).toBe(true);
  });

  it('refuses a reversed or over-long range with 400, and an unknown team with 404', async () => {
    expect((await track('team-1', `from=${T0 + 10}&to=${T0}`)).status).toBe(400);
    expect((await track('team-1', `from=${T0}&to=${T0 + 8 * 86_400_000}`)).status).toBe(400);
    expect((await track('team-1', 'from=abc&to=1')).status).toBe(400);
    expect((await track('no-team', `from=${T0}&to=${T0 + 1}`)).status).toBe(404);
    expect((await as(await signIn(t, 'patrol'))(`${t.url}/api/teams/team-1/track?from=${T0}&to=${T0 + 1}`)).status).toBe(403);
  });
});

describe('GET /api/teams/near', () => {
  const clock = fakeClock(T0);
  let t: TestApp;
  let viewer: SignedIn;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await seedCounty(t.app, smallCounty());
    viewer = await signIn(t, 'dispatcher');
    await report(t.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: clock.now() }]);
    await report(t.app, 'team-2', [{ lon: 118.64, lat: 33.85, time: clock.now() }]);
    await t.app.teams.status.sweep();
  });
  afterAll(async () => t?.stop());

  const near = async (query: string) => (await (await as(viewer)(`${t.url}/api/teams/near?${query}`)).json()) as NearbyTeamsResponse;

  it('lists the teams near a point, nearest first, with distance and status', async () => {
    const res = await near('lon=118.625&lat=33.85&radius=3000');
    expect(res.teams.map((x) => [x.id, x.callSign, x.status])).toEqual([
      ['team-1', '沭城巡01', 'on_patrol'],
      ['team-2', '金盾02', 'on_patrol'],
    ]);
    expect(res.teams[0]!.distance).toBeCloseTo(463, -1);
    expect((await near('lon=118.625&lat=33.85&radius=1000')).teams.map((x) => x.id)).toEqual(['team-1']);
  });

  it('filters by status: an offline team is not available', async () => {
    clock.advance(200_000);
    await report(t.app, 'team-2', [{ lon: 118.64, lat: 33.85, time: clock.now() }]);
    await t.app.teams.status.sweep();
    expect((await near('lon=118.625&lat=33.85&radius=3000&status=on_patrol,responding')).teams.map((x) => x.id)).toEqual(['team-2']);
    expect((await near('lon=118.625&lat=33.85&radius=3000&status=offline')).teams.map((x) => x.id)).toEqual(['team-1']);
  });

  it('refuses a point out of range and an unknown status with 400 naming the field', async () => {
    const bad = await as(viewer)(`${t.url}/api/teams/near?lon=200&lat=33.85`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'querystring.lon' });
    expect((await as(viewer)(`${t.url}/api/teams/near?lon=118&lat=33&status=asleep`)).status).toBe(400);
  });
});
