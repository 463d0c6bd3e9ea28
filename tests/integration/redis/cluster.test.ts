/**
 * Lianfang on a Redis Cluster: the app finds the cluster from REDIS_CLUSTER_NODES, keeps a
 * deployment's keys in one slot, and two counties (two prefixes) on one cluster use different
 * masters without seeing each other's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type TestCluster } from '../../helpers/cluster.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { whenReady } from '../../../server/src/plugins/redis.ts';

describe('Redis Cluster', () => {
  let cluster: TestCluster;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    for (const t of apps) await t.app.close();
    await cluster?.destroy();
  });

  it('runs two counties on one cluster, each on the master of its own slot, each seeing only its own teams', async () => {
    // Two prefixes whose tags hash to slots on different masters.
    const prefixes = ['county1:', 'county2:', 'county3:', 'county4:', 'county5:'];
    const byMaster = new Map<number, string>();
    for (const p of prefixes) byMaster.set(await cluster.masterOf(`{${p.slice(0, -1)}}:x`), p);
    expect(byMaster.size).toBeGreaterThan(1);
    const [p1, p2] = [...byMaster.values()];
    const one = await startTestApp({ redis: cluster, redisPrefix: p1 });
    const two = await startTestApp({ redis: cluster, redisPrefix: p2 });
    apps.push(one, two);
    await whenReady(one.app.redis, 10_000);
    await whenReady(two.app.redis, 10_000);
    await seedCounty(one.app, smallCounty());
    expect((await one.app.teams.list()).length).toBeGreaterThan(0);
    expect(await two.app.teams.list()).toEqual([]);
    const health = await (await fetch(`${one.url}/api/health`)).json();
    expect(health).toMatchObject({ redis: 'up' });
    expect(health.memory.usedBytes).toBeGreaterThan(0);
  });
});
