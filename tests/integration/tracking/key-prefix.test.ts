/**
 * Deployments (and test files) share one Redis under their own key prefix (REDIS_PREFIX). The
 * scripts that name keys from ids they read (a team's track, dwell, check-ins, incidents) get
 * the prefix as ARGV[1]: a key written without it would be another deployment's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { incidentClient, POINT } from '../incidents/helpers.ts';
import { fakeClock, T0 } from './helpers.ts';

describe('REDIS_PREFIX', () => {
  const clock = fakeClock(T0);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock, redisPrefix: 'county7:' });
    await seedCounty(t.app, smallCounty());
  });
  afterAll(async () => t?.stop());

  it('keeps every key a patrol, its check-ins, its status and its incidents write under the deployment’s prefix', async () => {
    const [lon, lat] = POINT['G-A1'];
    // Two fixes at 沭阳汽车站 (L-1) the dwell time apart: an automatic check-in.
    const first = await report(t.app, 'team-1', [{ lon, lat, time: clock.now() }]);
    clock.advance(t.config.checkinDwellS * 1000);
    const second = await report(t.app, 'team-1', [{ lon, lat, time: clock.now() }]);
    expect([first.moved, second.moved, second.checkIns.map((c) => c.locationId)]).toEqual([true, true, ['L-1']]);
    await t.app.teams.status.sweep();
    const dispatcher = incidentClient(t, await signIn(t, 'dispatcher'));
    const incident = await dispatcher.create({ grid: 'G-A1' });
    await dispatcher.step(incident.id, 'dispatch', { teamId: 'team-1', version: incident.version });

    const redis = createClient({ url: t.redis.url });
    await redis.connect();
    try {
      const keys = await redis.keys('*');
      expect(keys.filter((k) => !k.startsWith('{county7}:'))).toEqual([]);
      for (const k of [t.app.keys.teamTrack('team-1'), t.app.keys.teamDwell('team-1'), t.app.keys.teamCheckins('team-1'), t.app.keys.locationCheckins('L-1'), t.app.keys.teamIncidents('team-1')]) {
        expect(keys, k).toContain(k);
      }
      expect(await redis.hGet(t.app.keys.teamStatus, 'team-1')).toMatch(/^responding\t/);
    } finally {
      await redis.close();
    }
  });
});
