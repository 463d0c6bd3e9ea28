/**
 * Mediation statistics across server processes: the same resolve sent to two processes at once
 * (a retry racing the original) counts once, and disputes mediated on either process all count,
 * read the same from both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediationStats } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh } from '../coverage/helpers.ts';
import { incidentClient } from '../incidents/helpers.ts';
import { seedRooms } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const DAY = '2026-03-10';
const options = { coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0 };

describe('mediation statistics across server processes', () => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let leader: SignedIn;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestApp({ redis, clock, ...options });
    b = await startTestApp({ redis, clock, ...options });
    await seedCounty(a.app, smallCounty());
    await seedRooms(client(a, await signIn(a, 'admin')));
    leader = await signIn(a, 'leader');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('counts a resolve sent to both processes at once once, and every dispute mediated on either', async () => {
    const session = await signIn(a, 'dispatcher');
    const desk = [incidentClient(a, session), incidentClient(b, session)] as const;
    const disputes = await Promise.all([...Array(4).keys()].map((i) => desk[i % 2]!.create({ grid: 'G-A1', category: 'dispute', description: `纠纷${i}` })));
    clock.advance(10 * MIN);
    const body = { roomId: 'VA-mediation', mediator: '张调解', outcome: 'settled', agreement: '和解' };
    const answers = await Promise.all(disputes.flatMap((d) => desk.map((p) => p.post(`/api/incidents/${d.id}/resolve`, body))));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    for (const app of [a, b]) {
      const s = await json<MediationStats>(await as(leader)(`${app.url}/api/mediation/stats?from=${DAY}&to=${DAY}&groupBy=room`));
      expect(s.rows).toEqual([expect.objectContaining({ key: 'VA-mediation', records: 4, settled: 4, agreements: 4 })]);
    }
  });
});
