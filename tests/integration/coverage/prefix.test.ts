/**
 * A deployment's key prefix reaches every key the coverage scripts name, including the per-class
 * sorted sets they name from ids inside the script (the prefix is the scripts' ARGV[1]), so two
 * deployments can share one Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);

describe('coverage scripts under a deployment prefix', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, redisPrefix: 'county7:' });
    await seedCounty(t.app, smallCounty());
  });
  afterAll(async () => t?.stop());

  it('keeps every coverage and alert key under the prefix, the class sets named as keys.ts names them', async () => {
    const admin = client(t, await signIn(t, 'admin'));
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T18:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station'], maxGapMinutes: 30 }));
    await t.app.coverage.engine.tick(T0);
    await t.app.coverage.engine.recordVisits([{ locationId: 'L-1', teamId: 'team-1', time: T0 + 5 * MIN }], T0 + 5 * MIN);
    const result = await t.app.coverage.engine.tick(clock.set(T0 + 60 * MIN));
    expect(result.raised).toBeGreaterThan(0);

    const names = await t.app.redis.keys('*');
    expect(names.filter((n) => !n.startsWith('{county7}:'))).toEqual([]);
    const classId = await t.app.redis.hGet(t.app.keys.covClassOf, 'L-1');
    expect(classId).toBeTruthy();
    expect(await t.app.redis.zScore(t.app.keys.covClassVisits(classId!, 1), 'L-1')).toBe(T0 + 5 * MIN);
    expect(await t.app.redis.hLen(t.app.keys.alerts)).toBeGreaterThan(0);
  });
});
