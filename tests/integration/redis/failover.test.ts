/**
 * No single point of failure: with replicas, killing the master that holds the county's keys
 * (SIGKILL, mid-ingest) is survived without anyone restarting anything, on both layouts that have
 * replicas: a Redis Cluster, and a single master watched by Redis Sentinel. The app answers 503
 * and health says Redis is down while the replica takes over, then carries on by itself, and
 * every check-in, SOS and incident it acknowledged is still there: those wait for a replica
 * (WAIT) before the client hears ok. A map on another server process keeps getting positions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView } from '@lianfang/server/api';
import type { TeamPositionsBatch } from '@lianfang/server/events';
import { startCluster } from '../../helpers/cluster.ts';
import { startSentinel } from '../../helpers/sentinel.ts';
import type { TestReplicated } from '../../helpers/redis.ts';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { fakeClock, postJson, registerDevice, T0 } from '../tracking/helpers.ts';
import { clientId, POINT } from '../incidents/helpers.ts';
import { whenReady } from '../../../server/src/plugins/redis.ts';
import { io as connect } from 'socket.io-client';

const NEAR_L1 = { lon: 118.62, lat: 33.8505 };
const FAR_FROM_L1 = { lon: 118.62, lat: 33.853 };

const LAYOUTS: Array<{ layout: string; start(): Promise<TestReplicated> }> = [
  { layout: 'a Redis Cluster master', start: () => startCluster() },
  { layout: 'the master watched by Redis Sentinel', start: () => startSentinel() },
];

describe.each(LAYOUTS)('$layout killed during ingest', ({ layout, start }) => {
  const clock = fakeClock(T0);
  let cluster: TestReplicated;
  let t: TestApp;
  /** A second server process on the same Redis, where the map is connected. */
  let other: TestApp;
  let dispatcher: SignedIn;
  let device: string;
  let n = 0;
  let killed: number | undefined;

  beforeAll(async () => {
    cluster = await start();
    t = await startTestApp({ redis: cluster, clock, coverageTickMs: 0, incidentTickMs: 0, redisReplicaWaitMs: 500, broadcastTickMs: 50 });
    other = await startTestApp({ redis: cluster, clock, coverageTickMs: 0, incidentTickMs: 0, redisReplicaWaitMs: 500, broadcastTickMs: 50 });
    await whenReady(t.app.redis, 10_000);
    await whenReady(other.app.redis, 10_000);
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher');
    device = (await registerDevice(t, 'team-1', '张伟', dispatcher)).identifier;
  }, 90_000);
  afterAll(async () => {
    await t?.stop();
    await other?.stop();
    await cluster?.destroy();
  });

  /** One round of a patrol's work: positions, then a check-in; resolves the check-in id when acknowledged. */
  async function checkInRound(): Promise<string | undefined> {
    clock.advance(60_000);
    const seen = await postJson(`${t.url}/api/positions/batch`, { deviceId: device, positions: [{ ...FAR_FROM_L1, time: clock.now() - 2000, accuracy: 10 }, { ...NEAR_L1, time: clock.now() - 1000, accuracy: 10 }] }).catch(() => undefined);
    if (seen?.status !== 200) return undefined;
    const id = `c-${process.pid}-${++n}-failover`;
    const res = await postJson(`${t.url}/api/checkins`, { deviceId: device, time: clock.now(), id, locationId: 'L-1', ...NEAR_L1, accuracy: 5 }).catch(() => undefined);
    return res?.status === 201 ? id : undefined;
  }

  async function createIncident(): Promise<string | undefined> {
    const [lon, lat] = POINT['G-A1'];
    const res = await as(dispatcher)(`${t.url}/api/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: clientId(), category: 'public_order', lon, lat, description: '路口争吵' }) }).catch(() => undefined);
    return res?.status === 201 ? ((await res.json()) as { incident: { id: string } }).incident.id : undefined;
  }

  it('recovers by itself onto the promoted replica, saying Redis is down meanwhile, and keeps every acknowledged check-in, SOS and incident', async () => {
    const checkIns: string[] = [];
    const incidents: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await checkInRound();
      const inc = await createIncident();
      expect(c, 'check-in before the kill').toBeDefined();
      expect(inc, 'incident before the kill').toBeDefined();
      checkIns.push(c!);
      incidents.push(inc!);
    }
    const patrol1 = await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' });
    const patrol2 = await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' });
    const sos = async (who: SignedIn) => as(who)(`${t.url}/api/alerts/sos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: '求助' }) }).catch(() => undefined);

    // The last acknowledgements come just before the kill: nothing between the answer and the crash.
    expect((await sos(patrol1))?.status).toBe(201);
    checkIns.push((await checkInRound())!);
    incidents.push((await createIncident())!);
    expect(checkIns.every(Boolean) && incidents.every(Boolean)).toBe(true);

    // A map connected to the other process meanwhile: told that the store went down and came
    // back, and fed the positions reported to the first process (through Redis) before and after.
    const map = connect(other.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: dispatcher.cookie } });
    const storeStates: boolean[] = [];
    const fixTimes: number[] = [];
    map.on('system:store', (s: { up: boolean }) => storeStates.push(s.up));
    map.on('team:positions', (b: TeamPositionsBatch) => fixTimes.push(...b.positions.map((p) => p.time)));
    await new Promise<void>((resolve, reject) => {
      map.on('connect', () => resolve());
      map.on('connect_error', reject);
    });
    // A fresh subscription settles asynchronously: report until a position crosses.
    await waitFor(async () => (await checkInRound()) !== undefined && fixTimes.length > 0, 10_000, 100);

    const master = await cluster.masterOf(t.app.keys.teams);
    const killedAt = performance.now();
    await cluster.killNode(master);
    killed = master;

    const health: string[] = [];
    let firstAckMs: number | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const h = await fetch(`${t.url}/api/health`).then((r) => r.json() as Promise<{ redis: string }>, () => ({ redis: 'error' }));
      health.push(h.redis);
      const c = await checkInRound();
      if (c) {
        firstAckMs ??= performance.now() - killedAt;
        checkIns.push(c);
        const inc = await createIncident();
        if (inc) incidents.push(inc);
        if (checkIns.length >= 9 && incidents.length >= 9) break;
      }
    }
    expect(firstAckMs, 'a check-in acknowledged after the failover').toBeDefined();
    console.log(`failover (${layout}): kill of the county's master → first acknowledged check-in: ${Math.round(firstAckMs!)} ms`);
    expect(health).toContain('down');
    expect(health.at(-1)).toBe('up');
    await waitFor(() => storeStates.at(-1) === true, 5000);
    // Positions reported after the failover still reach the map on the other process.
    const afterFailover = clock.now();
    await waitFor(async () => (await checkInRound()) !== undefined && fixTimes.some((time) => time > afterFailover), 10_000, 100);
    map.disconnect();
    expect(storeStates.slice(0, 2)).toEqual([false, true]);
    expect(await cluster.masterOf(t.app.keys.teams)).not.toBe(master);
    expect((await sos(patrol2))?.status).toBe(201);

    for (const id of checkIns) expect(await t.app.redis.exists(t.app.keys.checkinId('team-1', id)), `check-in ${id}`).toBe(1);
    const stored = await t.app.redis.hmGet(t.app.keys.incidents, incidents);
    expect(stored.filter((x) => x === null)).toEqual([]);
    const alerts = (await (await as(dispatcher)(`${t.url}/api/alerts?kind=sos`)).json()) as AlertView[] | { alerts: AlertView[] };
    const list = Array.isArray(alerts) ? alerts : alerts.alerts;
    expect(list.map((a) => a.teamId).sort()).toEqual(['team-1', 'team-2']);
  }, 90_000);

  it('answers a check-in only once a replica holds it: with the replica frozen, the answer waits REDIS_REPLICA_WAIT_MS', async () => {
    const master = await cluster.masterOf(t.app.keys.teams);
    // The killed master, started again on its data, rejoins as the promoted one's replica.
    if (killed !== undefined) await cluster.restartNode(killed);
    await cluster.waitHealthy();
    let replica = 0;
    await waitFor(async () => {
      replica = await cluster.replicaOf(master).catch(() => 0);
      return replica > 0;
    }, 20_000, 100);
    // The app looks at the replicas every 2 s: once it has seen this one, a round waits for it.
    const since = performance.now();
    await waitFor(async () => (await checkInRound()) !== undefined && performance.now() - since > 2100, 20_000, 100);
    cluster.pauseNode(replica);
    try {
      const started = performance.now();
      expect(await checkInRound()).toBeDefined();
      expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    } finally {
      cluster.resumeNode(replica);
    }
    // Thawed, the replica confirms again and the answers are quick once more.
    await waitFor(async () => {
      const started = performance.now();
      return (await checkInRound()) !== undefined && performance.now() - started < 450;
    }, 20_000, 100);
  }, 60_000);
});
