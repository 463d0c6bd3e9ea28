/**
 * The three ways Lianfang runs on Redis, for tests that must hold on all: one redis-server, a
 * Redis Cluster of three masters and three replicas, or a master and replica behind three
 * sentinels. `describe.each(STORES)` runs a file's body against each (one deployment per file:
 * start it in the body's beforeAll and share it).
 */
import { startCluster } from './cluster.ts';
import { startRedis, type TestRedis } from './redis.ts';
import { startSentinel } from './sentinel.ts';

export type StoreKind = 'single' | 'cluster' | 'sentinel';
export const STORES: StoreKind[] = ['single', 'cluster', 'sentinel'];

/**
 * A single redis-server, a cluster or a sentinel deployment (which `startTestApp` then runs on
 * with REDIS_CLUSTER_NODES or REDIS_SENTINELS).
 */
export function startStore(kind: StoreKind): Promise<TestRedis> {
  if (kind === 'cluster') return startCluster();
  if (kind === 'sentinel') return startSentinel();
  return startRedis();
}
