/**
 * Attack (or just a long season): fill Redis. With `maxmemory` and the `noeviction` policy the
 * start script and compose set, a full Redis refuses writes instead of silently dropping history
 * or sessions; positions are answered 503 (trackers keep them and retry), nothing already stored
 * is lost, and /api/health reports the pressure from 90 % on so monitoring warns before that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { fakeClock, postJson, registerDevice } from '../tracking/helpers.ts';

type Health = { status: string; redis: string; memory?: { usedBytes: number; maxBytes: number | null; ratio: number | null; policy: string; degraded: boolean } };

describe('Redis at its maxmemory', () => {
  const clock = fakeClock();
  let t: TestApp;
  let device: string;
  const health = async () => {
    const res = await fetch(`${t.url}/api/health`);
    return { status: res.status, body: (await res.json()) as Health };
  };
  const report = () => postJson(`${t.url}/api/positions`, { deviceId: device, lon: 118.62, lat: 33.85, time: clock.now() });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await seedCounty(t.app, smallCounty());
    device = (await registerDevice(t, 'team-1', '张伟')).identifier;
    await t.app.redis.configSet({ maxmemory: '0', 'maxmemory-policy': 'noeviction' });
  });
  afterAll(async () => {
    await t?.app.redis.configSet('maxmemory', '0').catch(() => {});
    await t?.stop();
  });

  it('reports memory use, no limit and the policy on /api/health while there is room', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', redis: 'up', memory: { maxBytes: null, ratio: null, policy: 'noeviction', degraded: false } });
    expect(body.memory!.usedBytes).toBeGreaterThan(0);
  });

  it('says degraded (still 200) from 90 % of maxmemory, and ok again once there is room', async () => {
    const used = (await health()).body.memory!.usedBytes;
    await t.app.redis.configSet('maxmemory', String(Math.floor(used / 0.95)));
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.memory).toMatchObject({ degraded: true });
    expect(body.memory!.ratio).toBeGreaterThanOrEqual(0.9);
    await t.app.redis.configSet('maxmemory', String(used * 4));
    expect((await health()).body).toMatchObject({ status: 'ok', memory: { degraded: false } });
  });

  it('refuses positions with 503 when Redis is full, keeps what it had, and accepts them again after room is made', async () => {
    clock.advance(5_000);
    expect((await report()).status).toBe(200);
    const before = await t.app.redis.dbSize();
    const position = await t.app.redis.hGetAll(t.app.keys.teamPosition('team-1'));
    await t.app.redis.configSet('maxmemory', '1');
    for (let i = 0; i < 3; i++) {
      clock.advance(5_000);
      const refused = await report();
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ message: 'store unavailable, retry later' });
    }
    // Nothing evicted, nothing half-written.
    expect(await t.app.redis.dbSize()).toBe(before);
    expect(await t.app.redis.hGetAll(t.app.keys.teamPosition('team-1'))).toEqual(position);
    await t.app.redis.configSet('maxmemory', '0');
    clock.advance(5_000);
    expect((await report()).status).toBe(200);
  });
});
