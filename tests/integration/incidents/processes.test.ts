/**
 * Two server processes on one Redis, as in production: two dispatchers racing to dispatch the
 * same incident (one on each process) — exactly one wins and the other is told who; an incident
 * created on one dashboard shows on a dashboard of the other process within a second; the
 * dispatched team's patrol page hears it at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, IncidentsBatch, ServerToClientEvents } from '@lianfang/server/events';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import type { TestRedis } from '../../helpers/redis.ts';
import { STORES, startStore } from '../../helpers/stores.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { FakeClock, sh } from '../coverage/helpers.ts';
import { incidentClient, type IncidentClient } from './helpers.ts';

type Listener = { socket: Socket<ServerToClientEvents, ClientToServerEvents>; batches: { batch: IncidentsBatch; at: number }[]; close(): void };

function listen(url: string, session: SignedIn): Promise<Listener> {
  const socket: Listener['socket'] = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
  const l: Listener = { socket, batches: [], close: () => socket.disconnect() };
  socket.on('incident:changed', (batch) => l.batches.push({ batch, at: Date.now() }));
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(l));
    socket.on('connect_error', reject);
  });
}

describe.each(STORES)('incidents across server processes (%s Redis)', (store) => {
  const clock = new FakeClock(sh(2026, 3, 10, 9));
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let one: IncidentClient; // a dispatcher on process a
  let two: IncidentClient; // another dispatcher on process b
  let dispatcherSession: SignedIn;
  const listeners: Listener[] = [];

  beforeAll(async () => {
    redis = await startStore(store);
    a = await startTestApp({ redis, clock, coverageTickMs: 0, incidentTickMs: 0, broadcastTickMs: 50 });
    b = await startTestApp({ redis, clock, coverageTickMs: 0, incidentTickMs: 0, broadcastTickMs: 50 });
    await seedCounty(a.app, smallCounty());
    dispatcherSession = await signIn(a, 'dispatcher');
    one = incidentClient(a, dispatcherSession);
    two = incidentClient(b, await signIn(a, 'dispatcher'));
    // The other process's adapter subscribes asynchronously: see a broadcast cross both ways first.
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const probe = await listen(to.url, dispatcherSession);
      await waitFor(() => {
        from.app.io.to('dashboards').emit('incident:changed', { incidents: [], at: -1 });
        return probe.batches.some((x) => x.batch.at === -1);
      }, 20_000, 100);
      probe.close();
    }
  });
  afterAll(async () => {
    for (const l of listeners) l.close();
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('lets exactly one of two dispatchers racing on one incident win; the other gets 409 naming the team and who sent it', async () => {
    for (let round = 0; round < 5; round++) {
      const incident = await one.create({ grid: 'G-A2' });
      // Odd rounds: both pick the same team; a 200 for both would send it twice.
      const secondTeam = round % 2 ? 'team-1' : 'team-2';
      const [r1, r2] = await Promise.all([
        one.post(`/api/incidents/${incident.id}/dispatch`, { teamId: 'team-1', version: incident.version }),
        two.post(`/api/incidents/${incident.id}/dispatch`, { teamId: secondTeam, version: incident.version }),
      ]);
      const statuses = [r1.status, r2.status].sort();
      expect(statuses).toEqual([200, 409]);
      const [winner, loser, winnerName, winnerTeam] = r1.status === 200 ? [r1, r2, one.username, '沭城巡01'] : [r2, r1, two.username, secondTeam === 'team-1' ? '沭城巡01' : '金盾02'];
      expect(loser.body.message).toBe(`already dispatched to ${winnerTeam} by ${winnerName}`);
      const stored = await b.app.incidents.get(incident.id);
      expect(stored).toEqual(winner.body.incident);
      expect(stored?.history.filter((h) => h.event === 'dispatch')).toHaveLength(1);
      expect(stored?.version).toBe(2);
    }
  });

  it('raises one late alert when both processes sweep at the same moment', async () => {
    const start = clock.now();
    const help = await one.create({ category: 'help', address: '两个进程同时检查' });
    const later = clock.set(start + 3 * 60_000);
    const raised = await Promise.all([a.app.incidents.sweep(later), b.app.incidents.sweep(later), a.app.incidents.sweep(later)]);
    expect(raised.reduce((x, y) => x + y, 0)).toBe(1);
    const mine = (await b.app.alerts.list({ kind: 'incident_late' })).filter((x) => x.title === '两个进程同时检查');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ note: 'late step: dispatch', deadline: help.due!.at });
  });

  it('answers the winner retrying its own dispatch unchanged instead of 409', async () => {
    const incident = await one.create();
    const first = await one.post(`/api/incidents/${incident.id}/dispatch`, { teamId: 'team-1', version: 1 });
    const retry = await one.post(`/api/incidents/${incident.id}/dispatch`, { teamId: 'team-1', version: 1 });
    expect([first.status, retry.status, retry.body.changed]).toEqual([200, 200, false]);
  });

  it('shows an incident created on one dashboard on a dashboard of the other process within a second', async () => {
    const onB = await listen(b.url, dispatcherSession);
    listeners.push(onB);
    const sent = Date.now();
    const incident = await one.create({ category: 'mass_gathering', description: '广场聚集约五十人' });
    await waitFor(() => onB.batches.some((x) => x.batch.incidents.some((i) => i.id === incident.id)), 1000, 10);
    const heard = onB.batches.find((x) => x.batch.incidents.some((i) => i.id === incident.id))!;
    expect(heard.at - sent).toBeLessThan(1000);
    expect(heard.batch.incidents.find((i) => i.id === incident.id)).toMatchObject({ state: 'new', category: 'mass_gathering', description: '广场聚集约五十人' });
  });

  it("tells the dispatched team's patrol page at once, wherever it is connected", async () => {
    const patrol = await listen(b.url, await signIn(a, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' }));
    const other = await listen(b.url, await signIn(a, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' }));
    listeners.push(patrol, other);
    const incident = await one.create();
    await one.step(incident.id, 'dispatch', { teamId: 'team-1', version: 1 });
    await waitFor(() => patrol.batches.some((x) => x.batch.incidents.some((i) => i.id === incident.id && i.state === 'dispatched')), 1000, 10);
    // A patrol hears only its own team's incidents, not the county's.
    expect(patrol.batches.flatMap((x) => x.batch.incidents).every((i) => i.teamId === 'team-1')).toBe(true);
    expect(other.batches.flatMap((x) => x.batch.incidents).some((i) => i.id === incident.id)).toBe(false);
  });
});
