/**
 * Redis Cluster behind the app's one `Redis` type. Every key of a deployment carries its hash tag
 * (keys.ts), so all of them live in one slot: the facade sends commands without a key (PING,
 * WAIT, GEOSEARCH through `sendCommand`) to the master of that slot, and a supervisor keeps the
 * client's view of the cluster current.
 *
 * Why a supervisor: node-redis learns a new topology only from a MOVED or ASK reply. A master
 * that dies answers nothing, so after its replica is promoted the client would keep retrying the
 * dead address. The supervisor asks the cluster again (CLUSTER SLOTS) whenever a master's
 * connection is down or the slot's master stops answering PING, until the promoted replica is
 * in place; meanwhile commands fail fast (no offline queue) and the app answers 503.
 */
import calculateSlot from 'cluster-key-slot';
import { createCluster, type RedisClientType, type RedisClusterType } from 'redis';
import type { Redis } from './client.ts';

export type Cluster = RedisClusterType;

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ClusterOptions {
  nodes: ReadonlyArray<{ host: string; port: number }>;
  /** Connection name (CLIENT LIST). */
  name: string;
  /** A key of the deployment: its slot's master answers the commands without a key. */
  slotKey: string;
  /** A slot master that has not answered PING for this long counts as stalled, ms. */
  timeoutMs: number;
  /** Keep commands queued while a node is unreachable (the Socket.IO subscriber) instead of failing them fast. */
  offlineQueue?: boolean;
  onDown?(reason: string): void;
  onUp?(): void;
  log?: Logger;
}

export interface SupervisedCluster {
  /** The cluster as the app's `Redis` (see the module comment for what differs). */
  readonly client: Redis;
  readonly cluster: Cluster;
  /** Connects, and keeps reconnecting and rediscovering until `close`. */
  start(): void;
  /** Asks the cluster for its topology again now (after a failover). */
  rediscover(): Promise<void>;
  /** Called once connected, and after each rediscovery that changed the master of the deployment's slot. */
  onNewMaster(listener: () => void): void;
  stop(): void;
  close(): Promise<void>;
}

const facades = new WeakMap<object, Cluster>();

/** The cluster client behind the app's `Redis`, or undefined for a single Redis. */
export function clusterOf(redis: unknown): Cluster | undefined {
  return typeof redis === 'object' && redis !== null ? facades.get(redis) : undefined;
}

/**
 * The clients of every master: one per node for commands that read a node rather than a key
 * (INFO, SCAN). A single Redis is its own only master.
 */
export async function masterClients(redis: Redis): Promise<RedisClientType[]> {
  const cluster = clusterOf(redis);
  if (!cluster) return [redis as unknown as RedisClientType];
  const clients = await Promise.all(cluster.masters.map((m) => cluster.nodeClient(m).catch(() => undefined)));
  return clients.filter((c): c is NonNullable<typeof c> => c !== undefined) as unknown as RedisClientType[];
}

/** The master that holds `key`'s slot, as `host:port` (undefined before the cluster is known). */
export function slotMasterAddress(cluster: Cluster, key: string): string | undefined {
  try {
    const master = cluster.getSlotMaster(calculateSlot(key));
    return master ? `${master.host}:${master.port}` : undefined;
  } catch {
    return undefined;
  }
}

function slotMasterReady(cluster: Cluster, slot: number): boolean {
  if (!cluster.isOpen) return false;
  try {
    return cluster.getSlotMaster(slot)?.client?.isReady === true;
  } catch {
    return false;
  }
}

/** node-redis 5's cluster client for `nodes`, with the app's connection habits. */
export function createRedisCluster(options: Pick<ClusterOptions, 'nodes' | 'name' | 'offlineQueue'>): Cluster {
  return createCluster({
    rootNodes: options.nodes.map((n) => ({ socket: { host: n.host, port: n.port, connectTimeout: 2000 } })),
    defaults: {
      name: options.name,
      disableOfflineQueue: !options.offlineQueue,
      socket: {
        connectTimeout: 2000,
        // A node that stays unreachable is given up after about 10 s (the supervisor then drops
        // or recreates its client): a discovery must never wait forever on a dead node.
        reconnectStrategy: (retries: number) => (retries > 20 ? new Error('redis cluster node unreachable') : Math.min(50 * 2 ** Math.min(retries, 4), 500)),
      },
    },
    // Master reads only: a replica may be behind what this process was just told was stored.
    useReplicas: false,
  }) as unknown as Cluster;
}

/**
 * The facade: the cluster client with `isReady` (the slot's master is connected), and PING, INFO,
 * WAIT and `sendCommand(args)` sent to the slot's master.
 */
function facade(cluster: Cluster, slotKey: string): Redis {
  const slot = calculateSlot(slotKey);
  const own: Record<PropertyKey, unknown> = {
    ping: () => cluster.sendCommand(slotKey, false, ['PING']),
    info: (section?: string) => cluster.sendCommand(slotKey, true, section ? ['INFO', section] : ['INFO']),
    sendCommand: (args: string[]) => cluster.sendCommand(slotKey, false, args),
  };
  // The cluster client has no SCAN iterators: a key's (HSCAN …) runs on the slot's master, and so
  // does SCAN, which then walks the node that holds every key of the deployment (match its prefix).
  for (const name of ['scanIterator', 'hScanIterator', 'sScanIterator', 'zScanIterator']) {
    own[name] = async function* (...args: unknown[]) {
      const node = await cluster.nodeClient(cluster.getSlotMaster(slot));
      yield* (node as unknown as Record<string, (...a: unknown[]) => AsyncIterable<unknown>>)[name]!(...args);
    };
  }
  const bound = new Map<PropertyKey, unknown>();
  const proxy = new Proxy(cluster, {
    get(target, prop) {
      if (prop === 'isReady') return slotMasterReady(target, slot);
      if (prop in own) return own[prop];
      let fn = bound.get(prop);
      if (fn !== undefined) return fn;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      // node-redis methods use private fields: they must run with the real cluster as `this`.
      fn = value.bind(target);
      bound.set(prop, fn);
      return fn;
    },
  });
  facades.set(proxy, cluster);
  return proxy as unknown as Redis;
}

/** A cluster client with its supervisor (see the module comment). */
export function openCluster(options: ClusterOptions): SupervisedCluster {
  const cluster = createRedisCluster(options);
  const client = facade(cluster, options.slotKey);
  const slot = calculateSlot(options.slotKey);
  const failoverListeners: Array<() => void> = [];
  let stopped = false;
  let connected = false;
  let connecting: Promise<unknown> | undefined;
  let probeSentAt = 0;
  let probe = 0;
  let rediscovering: Promise<void> | undefined;
  let wasReady = false;

  cluster.on('error', (err: Error) => options.onDown?.(err.message));
  cluster.on('node-error', (err: Error) => {
    if (!slotMasterReady(cluster, slot)) options.onDown?.(err.message);
  });

  const connect = () => {
    connecting ??= cluster
      .connect()
      .then(() => {
        connected = true;
        for (const listener of failoverListeners) listener();
      })
      .catch((err: Error) => options.onDown?.(err.message))
      .finally(() => {
        connecting = undefined;
      });
  };

  const rediscover = (): Promise<void> => {
    rediscovering ??= (async () => {
      const before = slotMasterAddress(cluster, options.slotKey);
      // A client that gave up on its node is replaced by a fresh one (node-redis reuses a node's
      // client as long as the node is listed, and connects eagerly only to nodes new to it).
      for (const node of cluster.masters) {
        const held = node as unknown as { client?: { isOpen: boolean } };
        if (held.client && !held.client.isOpen) {
          held.client = undefined;
          void cluster.nodeClient(node).catch(() => {});
        }
      }
      const healthy = cluster.masters.find((m) => m.client?.isReady)?.client;
      const slots = (cluster as unknown as { _slots: { rediscover(start: { options: unknown }): Promise<void> } })._slots;
      // Start from a node that answers; without one, the root nodes.
      await slots.rediscover(healthy ?? { options: { socket: { ...options.nodes[0], connectTimeout: 2000 } } });
      const after = slotMasterAddress(cluster, options.slotKey);
      if (after && after !== before) {
        options.log?.info({ from: before, to: after }, 'redis cluster: the deployment\'s slot has a new master');
        for (const listener of failoverListeners) listener();
      }
    })()
      .catch((err: Error) => options.onDown?.(err.message))
      .finally(() => {
        rediscovering = undefined;
      });
    return rediscovering;
  };

  const interval = Math.max(25, Math.floor(options.timeoutMs / 4));
  let lastCheck = performance.now();
  const timer = setInterval(() => {
    if (stopped) return;
    if (!connected) return connect();
    // Closed through the client itself (`redis.close()` in a script): the supervisor ends too.
    if (!cluster.isOpen) {
      stopped = true;
      clearInterval(timer);
      return;
    }
    const now = performance.now();
    const late = now - lastCheck > interval * 2;
    lastCheck = now;
    const masterDown = cluster.masters.some((m) => !m.client?.isReady);
    const ready = slotMasterReady(cluster, slot);
    if (ready && !wasReady) options.onUp?.();
    wasReady = ready;
    if (masterDown || !ready) {
      probeSentAt = 0;
      void rediscover();
      return;
    }
    if (probeSentAt === 0) {
      const id = ++probe;
      probeSentAt = performance.now();
      const settle = () => {
        if (probe === id) probeSentAt = 0;
      };
      cluster.sendCommand(options.slotKey, false, ['PING']).then(settle, settle);
      return;
    }
    if (late || now - probeSentAt < options.timeoutMs) return;
    // The slot's master takes commands but does not answer: stalled, or failing over.
    probeSentAt = 0;
    probe++;
    options.onDown?.(`no answer within ${options.timeoutMs} ms`);
    void rediscover();
  }, interval);
  timer.unref();

  return {
    client,
    cluster,
    start: connect,
    rediscover,
    onNewMaster: (listener) => failoverListeners.push(listener),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    async close() {
      stopped = true;
      clearInterval(timer);
      await connecting;
      await rediscovering;
      if (cluster.isOpen) await cluster.close().catch(() => cluster.destroy());
    },
  };
}
