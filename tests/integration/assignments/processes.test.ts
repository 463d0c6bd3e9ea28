/**
 * Assignments with two server processes on one Redis, as when users outgrow one machine: a
 * shift written on one process reaches the maps and the team's phones connected to the other,
 * and the other process's coverage engine uses it on its very next sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { AssignmentsBatch, ClientToServerEvents, ServerToClientEvents } from '@lianfang/server/events';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh } from '../coverage/helpers.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const T0 = sh(2026, 3, 10, 9);

function listen(url: string, session: SignedIn, namespace = ''): Promise<{ socket: Client; heard: AssignmentsBatch[] }> {
  // forceNew: each its own connection with its own cookie (the client would share one per host).
  const socket: Client = connect(`${url}${namespace}`, { forceNew: true, transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
  const heard: AssignmentsBatch[] = [];
  socket.on('assignment:changed', (b) => heard.push(b));
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve({ socket, heard }));
    socket.on('connect_error', (err) => reject(new Error(`${namespace || '/'}: ${err.message}`)));
  });
}

describe('assignments across server processes', () => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestApp({ redis, clock, coverageTickMs: 0, outsideGraceS: 60 });
    b = await startTestApp({ redis, clock, coverageTickMs: 0, outsideGraceS: 60 });
    await seedCounty(a.app, smallCounty());
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it("tells the maps and the team's own phones on the other process, and not another team's", async () => {
    const dispatcher = await signIn(a, 'dispatcher');
    const map = await listen(b.url, dispatcher);
    const team2 = await listen(b.url, await signIn(b, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' }), '/patrol');
    const team1 = await listen(b.url, await signIn(b, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' }), '/patrol');
    try {
      // A fresh process's adapter subscribes asynchronously: wait until a broadcast crosses.
      await waitFor(() => {
        a.app.io.to('dashboards').emit('assignment:changed', { assignments: [], removed: [], at: -1 });
        return map.heard.some((x) => x.at === -1);
      }, 20_000, 100);
      const shift = { id: 'cross-process-1', teamId: 'team-2', gridIds: ['G-B2'], locationIds: [], from: T0, to: T0 + 8 * 60 * MIN };
      await json(await client(a, await signIn(a, 'coordinator', { organisationId: 'O-SC' })).post('/api/assignments', shift));
      await waitFor(() => map.heard.some((x) => x.assignments.some((s) => s.id === shift.id)), 5000);
      await waitFor(() => team2.heard.some((x) => x.assignments.some((s) => s.id === shift.id)), 5000);
      expect(team1.heard).toEqual([]);
    } finally {
      for (const s of [map, team2, team1]) s.socket.disconnect();
    }
  });

  it("uses a shift written on one process in the other's next team sweep", async () => {
    const dispatcher = client(b, await signIn(b, 'dispatcher'));
    // b has read the shifts (none for team-1) before the shift is written on a.
    await b.app.alerts.sweepTeams(T0);
    clock.set(T0 + MIN);
    await json(await client(a, await signIn(a, 'dispatcher')).post('/api/assignments', { id: 'cross-process-2', teamId: 'team-1', gridIds: ['G-B1'], locationIds: [], from: T0, to: T0 + 8 * 60 * MIN }));
    // team-1 stands in T-A's grids; on this shift it patrols G-B1, and it is there.
    await report(b.app, 'team-1', [{ lon: 118.72, lat: 33.85, time: T0 + MIN }]);
    await b.app.teams.status.sweep();
    await b.app.alerts.sweepTeams(T0 + MIN);
    clock.set(T0 + 3 * MIN);
    await report(b.app, 'team-1', [{ lon: 118.721, lat: 33.85, time: T0 + 3 * MIN }]);
    await b.app.alerts.sweepTeams(T0 + 3 * MIN);
    expect(await dispatcher.alerts('?kind=team_outside')).toEqual([]);
    // Its own standing grid is now outside its shift.
    clock.set(T0 + 4 * MIN);
    await report(b.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: T0 + 4 * MIN }]);
    await b.app.alerts.sweepTeams(T0 + 4 * MIN);
    clock.set(T0 + 6 * MIN);
    await report(b.app, 'team-1', [{ lon: 118.621, lat: 33.85, time: T0 + 6 * MIN }]);
    await b.app.alerts.sweepTeams(T0 + 6 * MIN);
    expect(await dispatcher.alerts('?kind=team_outside')).toEqual([expect.objectContaining({ teamId: 'team-1' })]);
  });
});
