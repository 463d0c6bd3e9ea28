/**
 * Connects a command-line script to the store: REDIS_CLUSTER_NODES (a Redis Cluster), else
 * REDIS_URL, else the Redis that `npm start` is running (var/redis-url), else redis://127.0.0.1:6379;
 * with REDIS_SENTINELS, the master the sentinels name now (REDIS_URL then gives the credentials).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { createKeys } from '../../server/src/keys.ts';
import { DEFAULT_SENTINEL_NAME, readNodeList } from '../../server/src/config.ts';
import { findMaster } from '../../server/src/redis/sentinel.ts';
import { openCluster } from '../../server/src/redis/cluster.ts';
import { whenReady } from '../../server/src/plugins/redis.ts';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export function storeUrl(): string {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const file = join(root, 'var', 'redis-url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return 'redis://127.0.0.1:6379';
}

/**
 * `url` as it is, or with REDIS_SENTINELS set, its credentials and database on the master the
 * sentinels name now (a script runs for minutes at most: it does not follow a failover).
 */
export async function masterUrl(url: string, env: Record<string, string | undefined> = process.env): Promise<string> {
  const sentinels = readNodeList(env, 'REDIS_SENTINELS');
  if (sentinels.length === 0) return url;
  const u = new URL(url);
  const master = await findMaster({
    sentinels,
    masterName: env.REDIS_SENTINEL_NAME || DEFAULT_SENTINEL_NAME,
    sentinelPassword: env.REDIS_SENTINEL_PASSWORD || undefined,
    nodeAuth: { username: decodeURIComponent(u.username) || undefined, password: decodeURIComponent(u.password) || undefined },
    connectTimeoutMs: 3000,
  });
  u.hostname = master.host.includes(':') ? `[${master.host}]` : master.host;
  u.port = String(master.port);
  return u.toString();
}

export async function connectStore() {
  const keys = createKeys(process.env.REDIS_PREFIX ?? 'lf:');
  const nodes = readNodeList(process.env, 'REDIS_CLUSTER_NODES');
  if (nodes.length > 0) {
    const url = nodes.map((n) => `${n.host}:${n.port}`).join(',');
    const cluster = openCluster({ nodes, name: 'lianfang-script', slotKey: keys.prefix, timeoutMs: 5000 });
    cluster.start();
    try {
      await whenReady(cluster.client, 10_000);
    } catch (err) {
      await cluster.close();
      throw new Error(`cannot reach the Redis Cluster at ${url} (${(err as Error).message})`);
    }
    return { redis: cluster.client, keys, url };
  }
  const url = await masterUrl(storeUrl());
  const redis = createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (err) {
    throw new Error(`cannot reach Redis at ${url} (${(err as Error).message}): is \`npm start\` running, or REDIS_URL set?`);
  }
  return { redis, keys, url };
}
