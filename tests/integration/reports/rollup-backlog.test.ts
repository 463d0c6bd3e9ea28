/**
 * The roll-up works off a backlog (a restart after hours down, a burst of uploads) in windows
 * of bounded size: no read of a team's track returns more than its share of the window, and the
 * duty counted is the same as in one go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentReport } from '@lianfang/server/api';
import type { Redis } from '../../../server/src/plugins/redis.ts';
import { createRollUp } from '../../../server/src/reports/rollUp.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report as reportFixes } from '../../helpers/positions.ts';
import { FakeClock, json, MIN, sh } from '../coverage/helpers.ts';
import { threeTeamCounty } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const DAY = '2026-03-10';
const FIXES = 35;

describe('the report roll-up after a backlog', () => {
  const clock = new FakeClock(T0);
  let app: TestApp;
  let leader: SignedIn;

  beforeAll(async () => {
    app = await startTestApp({ clock, coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0 });
    await seedCounty(app.app, threeTeamCounty());
    leader = await signIn(app, 'leader');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('counts a backlog larger than a window in several bounded reads, every fix once', async () => {
    // A 17-minute walk reported fix by fix, none rolled up yet.
    for (let i = 0; i < FIXES; i++) await reportFixes(app.app, 'team-1', [{ lon: 118.605, lat: 33.84 + i * 0.0002, time: clock.advance(30_000), accuracy: 5 }]);
    // The app's Redis, every XRANGE's reply length noted.
    const replies: number[] = [];
    const redis = new Proxy(app.app.redis, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop !== 'xRange' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const out = (await (value as (...a: unknown[]) => Promise<unknown[]>).apply(target, args)) as unknown[];
          replies.push(out.length);
          return out;
        };
      },
    }) as Redis;
    // Three teams and 60 entries a window: each read gets at most 10 (the smallest share).
    const rollUp = createRollUp({ redis, keys: app.app.keys, timeZone: app.app.config.timeZone, teamIds: async () => ['team-1', 'team-2', 'team-3'], maxWindowEntries: 60 });
    await rollUp.run(clock.advance(MIN));

    expect(Math.max(...replies)).toBeLessThanOrEqual(10);
    expect(replies.filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
    const rows = (await json<AssessmentReport>(await as(leader)(`${app.url}/api/reports/assessment?from=${DAY}&to=${DAY}&groupBy=team`))).rows;
    // 34 steps of 30 s, each counted once.
    expect(rows.find((r) => r.key === 'team-1')!.dutyHours).toBe(Math.round(((FIXES - 1) * 30) / 36) / 100);
  });
});
