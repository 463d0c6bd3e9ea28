/**
 * The report's figures across server processes: two processes recording at once (the same SOS,
 * the same order id, the same roll-up window on both, incidents stepped on either) count each
 * fact once, and a process started afterwards (a restart) reads the same figures and its
 * roll-up counts nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentReport } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report as reportFixes } from '../../helpers/positions.ts';
import { client, FakeClock, json, MIN, sh } from '../coverage/helpers.ts';
import { incidentClient } from '../incidents/helpers.ts';
import { threeTeamCounty } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const DAY = '2026-03-10';
const options = { coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0 };

describe('assessment figures across server processes', () => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let leader: SignedIn;

  const team1 = async (app: TestApp) => (await json<AssessmentReport>(await as(leader)(`${app.url}/api/reports/assessment?from=${DAY}&to=${DAY}&groupBy=team`))).rows.find((r) => r.key === 'team-1')!;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestApp({ redis, clock, ...options });
    b = await startTestApp({ redis, clock, ...options });
    await seedCounty(a.app, threeTeamCounty());
    leader = await signIn(a, 'leader');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('counts each fact once when two processes record at once', async () => {
    const desk = [incidentClient(a, await signIn(a, 'dispatcher')), incidentClient(b, await signIn(b, 'dispatcher'))] as const;
    const patrol = await signIn(a, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' });
    const phones = [incidentClient(a, patrol), incidentClient(b, patrol)] as const;
    // Six incidents, each dispatched and accepted on alternating processes, all at once.
    const created = await Promise.all([...Array(6).keys()].map((i) => desk[i % 2]!.create({ grid: 'G-A1' })));
    clock.advance(MIN);
    await Promise.all(created.map((inc, i) => desk[i % 2]!.step(inc.id, 'dispatch', { teamId: 'team-1', version: inc.version })));
    clock.advance(2 * MIN);
    // Each accept sent to both processes at once (a retry racing the original): one accept each.
    await Promise.all(created.flatMap((inc) => phones.map((p) => p.post(`/api/incidents/${inc.id}/accept`))));
    // The same SOS on both, the same order id on both.
    await Promise.all([a, b].map((x) => x.app.alerts.raise('sos', 'team-1', { teamId: 'team-1' }, true)));
    const senders = [client(a, await signIn(a, 'dispatcher', { username: 'desk-same' })), client(b, await signIn(b, 'dispatcher', { username: 'desk-same' }))];
    await Promise.all(senders.map((s) => s.post('/api/orders', { id: 'order-both', to: { teamIds: ['team-1'] }, text: '注意' })));
    // A walk of 10 fixes, then both processes roll up the same window at once.
    for (let i = 0; i < 10; i++) await reportFixes(a.app, 'team-1', [{ lon: 118.605, lat: 33.84 + i * 0.0005, time: clock.advance(30_000), accuracy: 5 }]);
    const now = clock.advance(MIN);
    await Promise.all([a.app.reports.rollUp.run(now), b.app.reports.rollUp.run(now), a.app.reports.rollUp.run(now)]);

    for (const app of [a, b]) {
      expect(await team1(app)).toMatchObject({ dispatched: 6, accepted: 6, acceptMedianMin: 2, sos: 1, orders: 1, dutyHours: Math.round((9 * 30) / 36) / 100 });
    }
  });

  it('reads the same figures after a restart, and the restarted roll-up counts nothing twice', async () => {
    const before = await team1(a);
    await b.stop();
    b = await startTestApp({ redis, clock, ...options });
    await b.app.reports.rollUp.run(clock.advance(MIN));
    expect(await team1(b)).toEqual(before);
    // A new fix two minutes after the last continues the walk: its 120 s count once, on both processes' roll-up.
    await reportFixes(b.app, 'team-1', [{ lon: 118.605, lat: 33.8455, time: clock.t, accuracy: 5 }]);
    await Promise.all([a.app.reports.rollUp.run(clock.advance(MIN)), b.app.reports.rollUp.run(clock.t)]);
    expect((await team1(b)).dutyHours).toBe(Math.round((9 * 30 + 120) / 36) / 100);
  });
});
