import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamsResponse, TeamStatusChange } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report as reportAs } from '../../helpers/positions.ts';
import { crossProcessReady, dashboard, fakeClock, postJson, registerDevice, T0, type Dashboard } from './helpers.ts';

describe('team status', () => {
  const clock = fakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let dispatcher: SignedIn;
  let device: string;
  let map: Dashboard;
  const statusOf = async (id: string) => ((await (await as(dispatcher)(`${a.url}/api/teams`)).json()) as TeamsResponse).teams.find((x) => x.id === id)!;
  const heard = (teamId: string, status: string) => map.statuses.flatMap((s) => s.changes).filter((c) => c.teamId === teamId && c.status === status);
  const report = (lon: number) => postJson(`${a.url}/api/positions`, { deviceId: device, lon, lat: 33.85, time: clock.now() });

  beforeAll(async () => {
    redis = await startRedis();
    // Two processes on one Redis, one clock: both sweep.
    a = await startTestApp({ redis, clock });
    b = await startTestApp({ redis, clock });
    await seedCounty(a.app, smallCounty());
    dispatcher = await signIn(a, 'dispatcher');
    device = (await registerDevice(a, 'team-1', '张伟', dispatcher)).identifier;
    map = await dashboard(b.url, dispatcher);
    await crossProcessReady(a, map);
  });
  afterAll(async () => {
    map?.close();
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('shows a team that never reported as off duty', async () => {
    await a.app.teams.status.sweep();
    expect(await statusOf('team-1')).toMatchObject({ status: 'off_duty', statusSince: null });
  });

  it('puts a team on patrol with its first fix, and announces it to the maps', async () => {
    expect((await report(118.62)).status).toBe(200);
    await a.app.teams.status.sweep();
    expect(await statusOf('team-1')).toMatchObject({ status: 'on_patrol', statusSince: clock.now() });
    await waitFor(() => heard('team-1', 'on_patrol').length > 0);
  });

  it('shows it offline after 3 minutes without a position, not before', async () => {
    const last = clock.now();
    clock.advance(180_000);
    await a.app.teams.status.sweep();
    expect((await statusOf('team-1')).status).toBe('on_patrol');
    clock.advance(1000);
    await a.app.teams.status.sweep();
    expect(await statusOf('team-1')).toMatchObject({ status: 'offline', statusSince: last + 180_000 });
    await waitFor(() => heard('team-1', 'offline').length > 0);
  });

  it('announces a change once even when both processes sweep at the same moment', async () => {
    await reportAs(a.app, 'team-2', [{ lon: 118.72, lat: 33.85, time: clock.now() }]);
    await a.app.teams.status.sweep('team-2');
    expect((await report(118.621)).status).toBe(200);
    const results = await Promise.all([a, b, a, b, a, b].map((x) => x.app.teams.status.sweep()));
    const changes = results.flat().filter((c: TeamStatusChange) => c.teamId === 'team-1');
    expect(changes.length).toBeLessThanOrEqual(1);
    // A marker change from each process: whatever either sent before its marker has arrived by then.
    await a.app.teams.status.setResponding('team-2', true);
    await b.app.teams.status.setResponding('team-2', false);
    await waitFor(() => heard('team-2', 'responding').length === 1 && heard('team-2', 'on_patrol').length === 2);
    expect(heard('team-1', 'on_patrol')).toHaveLength(2); // the first fix, and back from offline: never twice for one change
  });

  it('shows a dispatched team as responding while it reports, offline when it goes silent', async () => {
    await a.app.teams.status.setResponding('team-1', true);
    expect((await statusOf('team-1')).status).toBe('responding');
    clock.advance(200_000);
    await a.app.teams.status.sweep();
    expect((await statusOf('team-1')).status).toBe('offline');
    await report(118.622);
    await a.app.teams.status.sweep();
    expect((await statusOf('team-1')).status).toBe('responding');
    await a.app.teams.status.setResponding('team-1', false);
    expect((await statusOf('team-1')).status).toBe('on_patrol');
  });

  it('shows an ended shift as off duty until a later fix arrives', async () => {
    expect(await a.app.teams.status.endShift('team-1')).toBe('off_duty');
    clock.advance(5000);
    await a.app.teams.status.sweep();
    expect((await statusOf('team-1')).status).toBe('off_duty');
    await report(118.623);
    await a.app.teams.status.sweep();
    expect((await statusOf('team-1')).status).toBe('on_patrol');
  });

  it('takes a silent team off duty after an hour', async () => {
    const last = clock.now();
    clock.advance(3_600_001);
    await b.app.teams.status.sweep();
    expect(await statusOf('team-1')).toMatchObject({ status: 'off_duty', statusSince: last + 3_600_000 });
  });
});
