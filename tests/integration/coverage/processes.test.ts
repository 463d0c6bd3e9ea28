/**
 * Several server processes on one Redis, as when the county outgrows one machine: each alert is
 * raised (and escalated) once whoever ticks, dashboards on any process see every transition
 * within a second, and a restart in the middle of a period neither re-raises nor loses alerts
 * and catches up on the deadlines that passed while it was down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { AlertsBatch, ClientToServerEvents, CoverageChangedBatch, ServerToClientEvents } from '@lianfang/server/events';
import type { AlertView } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import type { TestRedis } from '../../helpers/redis.ts';
import { STORES, startStore } from '../../helpers/stores.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { whenReady } from '../../../server/src/plugins/redis.ts';
import { client, FakeClock, json, MIN, sh } from './helpers.ts';

type Dashboard = { socket: Socket<ServerToClientEvents, ClientToServerEvents>; raised: AlertView[]; updated: { alert: AlertView; at: number }[]; coverage: CoverageChangedBatch[] };

function dashboard(url: string, session: SignedIn): Promise<Dashboard> {
  const socket: Dashboard['socket'] = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
  const d: Dashboard = { socket, raised: [], updated: [], coverage: [] };
  socket.on('alert:raised', (b: AlertsBatch) => d.raised.push(...b.alerts));
  socket.on('alert:updated', (b: AlertsBatch) => d.updated.push(...b.alerts.map((alert) => ({ alert, at: Date.now() }))));
  socket.on('coverage:changed', (b) => d.coverage.push(b));
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(d));
    socket.on('connect_error', reject);
  });
}

const T0 = sh(2026, 3, 10, 9);

describe.each(STORES)('coverage across server processes (%s Redis)', (store) => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let dispatcher: SignedIn;
  const dashboards: Dashboard[] = [];
  let stopped = false;

  beforeAll(async () => {
    redis = await startStore(store);
    a = await startTestApp({ redis, clock, coverageTickMs: 0, broadcastTickMs: 50 });
    b = await startTestApp({ redis, clock, coverageTickMs: 0, broadcastTickMs: 50 });
    await seedCounty(a.app, smallCounty());
    dispatcher = await signIn(a, 'dispatcher');
    // On a loaded machine a process's Redis pub/sub connections may still be coming up: the
    // timings below are about a running system, so first see a broadcast cross both ways.
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const probe = await dashboard(to.url, dispatcher);
      await waitFor(() => {
        from.app.io.to('dashboards').emit('coverage:changed', { changes: [], at: -1 });
        return probe.coverage.some((batch) => batch.at === -1);
      }, 20_000, 100);
      probe.socket.disconnect();
    }
    const admin = client(a, await signIn(a, 'admin'));
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T18:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station', 'school', 'hotel'], maxGapMinutes: 30 }));
  });
  afterAll(async () => {
    for (const d of dashboards) d.socket.disconnect();
    if (!stopped) {
      await a?.stop();
      await b?.stop();
    }
    await redis?.destroy();
  });

  it('raises each township\'s alert once when two processes tick at the same moment, and every dashboard hears it once', async () => {
    const onA = await dashboard(a.url, dispatcher);
    const onB = await dashboard(b.url, dispatcher);
    dashboards.push(onA, onB);
    await Promise.all([a.app.coverage.engine.tick(T0), b.app.coverage.engine.tick(T0)]);
    // The period starting tells the maps to reload; a reload still queued would stand for the
    // changes below too (the snapshot holds them), so send whatever each process still queues now.
    for (const t of [a, b]) t.app.coverage.broadcaster.flush();
    clock.set(T0 + 31 * MIN);
    const results = await Promise.all([
      a.app.coverage.engine.tick(T0 + 31 * MIN),
      b.app.coverage.engine.tick(T0 + 31 * MIN),
      a.app.coverage.engine.tick(T0 + 31 * MIN),
      b.app.coverage.engine.tick(T0 + 31 * MIN),
    ]);
    // L-1 and L-2 lie in T-A, L-3 in T-B: one alert per township.
    expect(results.reduce((n, r) => n + r.raised, 0)).toBe(2);
    const open = await a.app.alerts.list();
    expect(open.map((x) => [x.townshipId, x.kind]).sort()).toEqual([['T-A', 'uncovered'], ['T-B', 'uncovered']]);
    await waitFor(() => onA.raised.length >= 2 && onB.raised.length >= 2, 3000);
    await new Promise((r) => setTimeout(r, 200));
    for (const d of [onA, onB]) expect(d.raised.map((x) => x.townshipId).sort()).toEqual(['T-A', 'T-B']);
    // Coverage colours reached both, coalesced: one entry per location per batch. Which process's
    // batch arrives first is not ordered across processes (each coalesces on its own tick), so
    // this asserts that every dashboard heard each location turn uncovered, once per batch.
    await waitFor(() => [onA, onB].every((d) => ['L-1', 'L-2', 'L-3'].every((id) => d.coverage.some((b) => b.changes.some((c) => c.id === id && c.state === 'uncovered')))), 3000);
    for (const d of [onA, onB]) {
      for (const batch of d.coverage) expect(new Set(batch.changes.map((c) => c.id)).size).toBe(batch.changes.length);
      const uncovered = d.coverage.flatMap((batch) => batch.changes).filter((c) => c.state === 'uncovered');
      expect(uncovered.map((c) => c.id).sort()).toEqual(['L-1', 'L-2', 'L-3']);
    }
  });

  it('escalates each alert once when both processes sweep escalations', async () => {
    const counts = await Promise.all([a.app.alerts.escalate(T0 + 41 * MIN), b.app.alerts.escalate(T0 + 41 * MIN), a.app.alerts.escalate(T0 + 41 * MIN)]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(2);
    for (const alert of await b.app.alerts.list()) expect(alert.history.filter((h) => h.event === 'escalated')).toHaveLength(1);
  });

  it('shows an alert acknowledged on one dashboard as acknowledged on a dashboard of another process within a second', async () => {
    const other = await dashboard(b.url, dispatcher);
    dashboards.push(other);
    const alert = (await a.app.alerts.list()).find((x) => x.townshipId === 'T-A')!;
    const started = Date.now();
    const res = await client(a, dispatcher).post(`/api/alerts/${alert.id}/acknowledge`, { note: '收到' });
    expect(res.status).toBe(200);
    await waitFor(() => other.updated.some((u) => u.alert.id === alert.id && u.alert.state === 'acknowledged'), 1000, 5);
    const seen = other.updated.find((u) => u.alert.id === alert.id && u.alert.state === 'acknowledged')!;
    expect(seen.at - started).toBeLessThan(1000);
    expect(seen.alert.acknowledged?.note).toBe('收到');
  });

  it('tells the dashboards of every process to reload their coverage when a plan change moves requirements', async () => {
    const [onA, onB] = dashboards as [Dashboard, Dashboard];
    const heard = [onA, onB].map((d) => d.coverage.length);
    const admin = client(a, await signIn(a, 'admin'));
    // A new rule: the coverage classes are rebuilt and every requirement settled again.
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['market'], maxGapMinutes: 30 }));
    await waitFor(() => [onA, onB].every((d, i) => d.coverage.slice(heard[i]).some((batch) => batch.reload && batch.changes.length === 0)), 3000);
    // Nothing else changed for the three locations: their alerts stay as they were.
    expect((await a.app.alerts.list()).map((x) => x.townshipId).sort()).toEqual(['T-A', 'T-B']);
  });

  it('after a restart in the middle of the period, neither re-raises nor loses alerts and catches up on missed deadlines', async () => {
    // The station and the hotel (all of T-A) are visited, then every process stops while their next deadline passes.
    clock.set(T0 + 45 * MIN);
    await a.app.coverage.engine.recordVisits([
      { locationId: 'L-1', teamId: 'team-1', time: T0 + 45 * MIN },
      { locationId: 'L-2', teamId: 'team-1', time: T0 + 45 * MIN },
    ]);
    expect((await a.app.alerts.list()).some((x) => x.townshipId === 'T-A')).toBe(false);
    const before = await a.app.alerts.list();
    await a.stop();
    await b.stop();
    stopped = true;

    clock.set(T0 + 2 * 60 * MIN); // 11:00; the station's and the hotel's deadline was 10:15
    const c = await startTestApp({ redis, clock, coverageTickMs: 0 });
    try {
      await whenReady(c.app.redis, 5000);
      const first = await c.app.coverage.engine.tick(clock.now());
      expect(first.raised).toBe(1);
      await c.app.coverage.engine.tick(clock.now());
      const after = await c.app.alerts.list();
      // The three earlier alerts: the same ones, with what happened to them (acknowledged, escalated).
      for (const old of before) expect(after.find((x) => x.id === old.id)).toMatchObject({ state: old.state, level: old.level, acknowledged: old.acknowledged });
      const township = after.filter((x) => x.townshipId === 'T-A');
      expect(township).toEqual([expect.objectContaining({ kind: 'uncovered', at: T0 + 75 * MIN, raisedAt: T0 + 120 * MIN })]);
      expect(after).toHaveLength(before.length + 1);
    } finally {
      await c.stop();
    }
  });
});
