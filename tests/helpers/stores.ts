/**
 * The two ways Lianfang runs on Redis, for tests that must hold on both: one redis-server, or a
 * Redis Cluster of three masters and three replicas. `describe.each(STORES)` runs a file's body
 * against each (one cluster per file: start it in the body's beforeAll and share it).
 */
import { startCluster } from './cluster.ts';
import { startRedis, type TestRedis } from './redis.ts';

export type StoreKind = 'single' | 'cluster';
export const STORES: StoreKind[] = ['single', 'cluster'];

/** A single redis-server or a cluster (which `startTestApp` then runs on with REDIS_CLUSTER_NODES). */
export function startStore(kind: StoreKind): Promise<TestRedis> {
  return kind === 'cluster' ? startCluster() : startRedis();
}
