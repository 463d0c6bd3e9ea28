/**
 * Which Redis a backup reads or a restore writes, from the environment the server reads:
 * REDIS_URL (or the Redis `npm start` runs), REDIS_PREFIX, REDIS_CLUSTER_NODES for a cluster, and
 * REDIS_SENTINELS for a master watched by Sentinel (the one they name when the script starts).
 * Each master is reached by a plain connection of its own: a snapshot is taken node by node.
 */
import { createClient, createCluster, type RedisClientType } from 'redis';
import { createKeys } from '../../../server/src/keys.ts';
import { masterUrl, storeUrl } from '../store.ts';

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface Target {
  /** REDIS_URL (also the credentials and database of a cluster's nodes). */
  url: string;
  /** `host:port` of a cluster's nodes (REDIS_CLUSTER_NODES); undefined for one Redis. */
  clusterNodes: string[] | undefined;
  /** The environment's REDIS_SENTINELS and their settings, read when connecting. */
  env?: Env;
  prefix: string;
}

type Env = Record<string, string | undefined>;

/** The same rule as server/src/config.ts. */
const PREFIX = /^[\w:.-]{0,64}$/;
const NODE = /^(\[[0-9a-fA-F:.]+\]|[\w.-]+):(\d{1,5})$/;

export function checkPrefix(name: string, raw: string): string {
  if (!PREFIX.test(raw)) throw new BackupError(`${name} may hold only letters, digits and : . _ - (at most 64), got "${raw}"`);
  return raw;
}

/** REDIS_CLUSTER_NODES: comma-separated `host:port`; empty or unset: one Redis. */
export function parseClusterNodes(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((part) => {
    const node = part.trim();
    const m = NODE.exec(node);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      throw new BackupError(`REDIS_CLUSTER_NODES must be comma-separated host:port pairs such as 10.0.0.1:7000,10.0.0.2:7000, got "${raw}"`);
    }
    return node;
  });
}

export function readTarget(env: Env = process.env): Target {
  const url = env.REDIS_URL?.trim() ? env.REDIS_URL.trim() : storeUrl();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BackupError(`REDIS_URL must be a URL like redis://host:6379, got "${url}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new BackupError(`REDIS_URL must start with redis:// or rediss://, got "${url}"`);
  return { url, clusterNodes: parseClusterNodes(env.REDIS_CLUSTER_NODES), prefix: checkPrefix('REDIS_PREFIX', env.REDIS_PREFIX ?? 'lf:'), env };
}

export type NodeClient = RedisClientType;
type CommandOptions = Parameters<NodeClient['sendCommand']>[1];

/** A connected Redis: its masters, one plain client each, and a way to send a command by key. */
export interface Connection {
  /** `host:port` of each master, with a client of its own (RESP3 when asked for). */
  masters: Array<{ address: string; client: NodeClient }>;
  /** Sends a command about `key` to the node that serves it. */
  send(key: Buffer | string, args: Array<string | Buffer>, options?: CommandOptions): Promise<unknown>;
  close(): Promise<void>;
}

function database(url: string): number {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? 0 : Number(path);
}

async function connectClient(options: Parameters<typeof createClient>[0], address: string): Promise<NodeClient> {
  const client = createClient({ ...options, socket: { ...options?.socket, connectTimeout: 5000, reconnectStrategy: false } }) as NodeClient;
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError(`cannot reach Redis at ${address}: ${(err as Error).message}`);
  }
  return client;
}

/** Opens the target. `resp3`: the masters' clients speak RESP3 (a backup reads notifications on them). */
export async function connect(target: Target, options: { resp3?: boolean } = {}): Promise<Connection & { database: number }> {
  const RESP = options.resp3 ? (3 as const) : undefined;
  const url = new URL(target.url);
  const auth = { username: url.username ? decodeURIComponent(url.username) : undefined, password: url.password ? decodeURIComponent(url.password) : undefined };
  if (!target.clusterNodes) {
    let single: string;
    try {
      single = await masterUrl(target.url, target.env);
    } catch (err) {
      throw new BackupError((err as Error).message);
    }
    const client = await connectClient({ url: single, RESP }, single.replace(/\/\/[^@]*@/, '//'));
    const at = new URL(single);
    return {
      database: database(single),
      masters: [{ address: `${at.hostname}:${at.port || 6379}`, client }],
      send: (_key, args, opts) => client.sendCommand(args, opts),
      close: async () => void (await client.close().catch(() => {})),
    };
  }
  const tls = url.protocol === 'rediss:';
  const cluster = createCluster({
    rootNodes: target.clusterNodes.map((node) => ({ url: `${tls ? 'rediss' : 'redis'}://${node}` })),
    defaults: { ...auth, socket: { connectTimeout: 5000, reconnectStrategy: false, ...(tls ? { tls: true as const } : {}) } },
  });
  cluster.on('error', () => {});
  try {
    await cluster.connect();
  } catch (err) {
    throw new BackupError(`cannot reach the Redis cluster at ${target.clusterNodes.join(',')}: ${(err as Error).message}`);
  }
  const masters: Connection['masters'] = [];
  try {
    for (const node of cluster.masters) {
      const address = `${node.host}:${node.port}`;
      masters.push({ address, client: await connectClient({ ...auth, RESP, socket: { host: node.host, port: node.port, ...(tls ? { tls: true as const } : {}) } }, address) });
    }
  } catch (err) {
    await Promise.all(masters.map((m) => m.client.close().catch(() => {})));
    await cluster.close().catch(() => {});
    throw err;
  }
  return {
    database: 0,
    masters,
    send: (key, args, opts) => cluster.sendCommand(key, false, args, opts),
    close: async () => {
      await Promise.all(masters.map((m) => m.client.close().catch(() => {})));
      await cluster.close().catch(() => {});
    },
  };
}

/**
 * What every key name of the deployment with this REDIS_PREFIX starts with, as keys.ts builds
 * them (today the prefix itself; a layout with a hash tag around it changes it in one place).
 */
export function keyPrefix(redisPrefix: string): string {
  return createKeys(redisPrefix).prefix;
}

/** A glob pattern matching exactly the keys that start with `prefix`. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}*`;
}
