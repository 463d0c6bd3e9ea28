/**
 * The wall's figures taken from the assessment report's tallies (today's incidents, median minutes
 * to accept and to arrive, this month's disputes by mediation level), with two server processes
 * recording the same history at once: each fact counts once, both processes read the same, and a
 * townships display sees only its townships'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedDisplay } from '../../../server/src/displays/schemas.ts';
import type { WallFigures } from '../../../server/src/wall/schemas.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh } from '../coverage/helpers.ts';
import { clientId, incidentClient, POINT } from '../incidents/helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const options = { coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0 };

describe('GET /api/wall/figures: today and this month from the report tallies', () => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let leader: SignedIn;

  const figures = async (t: TestApp, cookie?: string): Promise<WallFigures> =>
    json<WallFigures>(cookie ? await fetch(`${t.url}/api/wall/figures`, { headers: { cookie } }) : await as(leader)(`${t.url}/api/wall/figures`));

  /** A townships display's cookie, as its one-time sign-in URL sets it. */
  async function townshipsDisplay(townshipIds: string[]): Promise<string> {
    const admin = client(a, await signIn(a, 'admin'));
    const created = await json<CreatedDisplay>(await admin.post('/api/displays', { name: `大屏 ${townshipIds.join()}`, scope: { kind: 'townships', townshipIds } }));
    const url = new URL(created.url);
    const res = await fetch(a.url + url.pathname + url.search, { redirect: 'manual' });
    return res.headers.getSetCookie().find((c) => c.startsWith('lf_display='))!.split(';')[0]!;
  }

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestApp({ redis, clock, ...options });
    b = await startTestApp({ redis, clock, ...options });
    await seedCounty(a.app, smallCounty());
    leader = await signIn(a, 'leader');
    const dispatcher = await signIn(a, 'dispatcher');
    const desks = [incidentClient(a, dispatcher), incidentClient(b, dispatcher)] as const;
    const patrol = await signIn(a, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' });
    const phones = [incidentClient(a, patrol), incidentClient(b, patrol)] as const;
    /** The same request to both processes at once (a retry racing the original). */
    const both = <T>(send: (i: 0 | 1) => Promise<T>) => Promise.all([send(0), send(1)]);

    // Two incidents in 沭城镇 (T-A), each created on both processes with one client id, dispatched to team-1 at 09:00.
    const create = async (grid: keyof typeof POINT, extra: Record<string, unknown> = {}) => {
      const [lon, lat] = POINT[grid];
      const body = { id: clientId(), category: 'public_order', lon, lat, description: '路口争吵', ...extra };
      const [r] = await both((i) => desks[i].post<{ incident: { id: string; version: number } }>('/api/incidents', body));
      return r.body.incident;
    };
    const first = await create('G-A1');
    const second = await create('G-A2');
    for (const inc of [first, second]) await desks[0].step(inc.id, 'dispatch', { teamId: 'team-1', version: inc.version });
    // Accepted after 2 and after 4 minutes, arrived after 5 and after 9 (each step sent to both processes).
    clock.set(T0 + 2 * MIN);
    await both((i) => phones[i].post(`/api/incidents/${first.id}/accept`));
    clock.set(T0 + 4 * MIN);
    await both((i) => phones[i].post(`/api/incidents/${second.id}/accept`));
    clock.set(T0 + 5 * MIN);
    await both((i) => phones[i].post(`/api/incidents/${first.id}/arrive`));
    clock.set(T0 + 9 * MIN);
    await both((i) => phones[i].post(`/api/incidents/${second.id}/arrive`));

    // A dispute in 胡集镇 (T-B): passed up from the village to the township, settled there.
    const quarrel = await create('G-B2', { category: 'dispute', description: '宅基地纠纷' });
    clock.set(T0 + 20 * MIN);
    await both((i) => desks[i].post(`/api/incidents/${quarrel.id}/escalate`, { reason: '村里调不了' }));
    clock.set(T0 + 60 * MIN);
    await both((i) => desks[i].post(`/api/incidents/${quarrel.id}/resolve`, { note: '乡镇调解成功' }));
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('shows the county today’s incidents, the median minutes to accept and to arrive, and the month’s disputes by level, once each, on both processes', async () => {
    const [fa, fb] = await Promise.all([figures(a), figures(b)]);
    expect(fa.today).toEqual({ day: '2026-03-10', incidents: 3, acceptMedianMin: 3, arriveMedianMin: 7 });
    expect(fa.disputes).toEqual([
      { level: 'village', reached: 1, settled: 0 },
      { level: 'township', reached: 1, settled: 1 },
      { level: 'county', reached: 0, settled: 0 },
    ]);
    expect({ today: fb.today, disputes: fb.disputes }).toEqual({ today: fa.today, disputes: fa.disputes });
  });

  it('shows a townships display only what happened in its townships', async () => {
    const east = await figures(a, await townshipsDisplay(['T-A']));
    expect(east.today).toMatchObject({ incidents: 2, acceptMedianMin: 3, arriveMedianMin: 7 });
    expect(east.disputes.every((d) => d.reached === 0 && d.settled === 0)).toBe(true);
    const hu = await figures(b, await townshipsDisplay(['T-B']));
    expect(hu.today).toMatchObject({ incidents: 1, acceptMedianMin: null, arriveMedianMin: null });
    expect(hu.disputes.find((d) => d.level === 'township')).toEqual({ level: 'township', reached: 1, settled: 1 });
  });

  it('starts the next county day from nothing, keeping the month’s disputes', async () => {
    clock.set(sh(2026, 3, 11, 0, 5));
    const f = await figures(a);
    expect(f.today).toEqual({ day: '2026-03-11', incidents: 0, acceptMedianMin: null, arriveMedianMin: null });
    expect(f.disputes.find((d) => d.level === 'township')).toMatchObject({ reached: 1, settled: 1 });
  });
});
