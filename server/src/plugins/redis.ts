/**
 * The Redis connection: one command client, reconnecting forever with back-off, failing
 * commands fast while Redis is down (no offline queue, so requests answer 503 instead of hanging).
 * A watchdog notices a Redis that accepts commands but stops answering (a stalled or paused
 * process), and the number of API requests waiting on Redis is bounded.
 *
 * With `REDIS_CLUSTER_NODES` the client is a Redis Cluster client (`redis/cluster.ts`) behind the
 * same type: every key of the deployment is in one slot, so the app talks to one master at a
 * time, and commands without a key (PING, WAIT, INFO) go to that master.
 *
 * With `REDIS_SENTINELS` the clients connect through a relay that follows the master the
 * sentinels name (`redis/sentinel.ts`); `app.redisConnectUrl` is then the relay's address.
 */
import fp from 'fastify-plugin';
import { createClient } from 'redis';
import { createKeys, type Keys } from '../keys.ts';
import { moveUntaggedKeys } from '../redis/legacyKeys.ts';
import { clusterOf, openCluster, type SupervisedCluster } from '../redis/cluster.ts';
import { configureReplicaWait } from '../redis/replicaWait.ts';
import { openMasterRelay, type MasterRelay } from '../redis/sentinel.ts';
import { StoreUnavailableError } from './errors.ts';

/**
 * The app's Redis client. On a cluster it is a `redis/cluster.ts` facade over the cluster client
 * with this type (the commands the app uses take the same arguments on both).
 */
import type { Redis } from '../redis/client.ts';
export type { Redis };

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
    keys: Keys;
    /** True while the command connection is up. */
    redisReady(): boolean;
    /** The URL a further client of the single-node layout connects to (REDIS_URL, or the sentinel relay). */
    redisConnectUrl: string;
  }
}

export function createRedisClient(url: string, name: string): Redis {
  return createClient({
    url,
    name,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      // Never give up: the server must recover by itself when Redis comes back.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000),
    },
  });
}

export interface RedisWatchdog {
  stop(): void;
}

/**
 * node-redis 5 has a per-command `timeout`, but it only covers a command still waiting to be
 * written: once on the wire it waits forever, and a paused Redis still takes writes into the
 * kernel's buffers. Its `socketTimeout` is an idle timer that every new write resets, so it never
 * fires under load. Instead one PING is kept in flight (one round trip per `timeoutMs / 4`, none
 * per request): when it has not come back within `timeoutMs`, Redis counts as stalled and the
 * connection is dropped, which fails every command in flight at once (503) and makes new ones fail
 * fast (no offline queue) until the reconnect's handshake is answered.
 *
 * A late check says nothing about Redis: when this process's own event loop was blocked (a long
 * synchronous job, a GC pause, a starved CPU), timers run before the sockets are read, so the PONG
 * may be sitting unread. A check that fires well after its time waits one more turn, for the
 * reply to be read, before it judges.
 */
export function watchRedis(client: Redis, timeoutMs: number, onStall: () => void): RedisWatchdog {
  const interval = Math.max(25, Math.floor(timeoutMs / 4));
  let probeSentAt = 0;
  let probe = 0;
  let lastCheck = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - lastCheck > interval * 2;
    lastCheck = now;
    if (!client.isReady) {
      probeSentAt = 0;
      return;
    }
    if (probeSentAt === 0) {
      const id = ++probe;
      probeSentAt = performance.now();
      const settle = () => {
        if (probe === id) probeSentAt = 0;
      };
      client.ping().then(settle, settle);
      return;
    }
    if (late || now - probeSentAt < timeoutMs) return;
    probeSentAt = 0;
    probe++;
    onStall();
    client.destroy();
    client.connect().catch(() => {}); // reconnects with back-off; failures are reported as 'error' events
  }, interval);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export default fp(
  async (app) => {
    const { redisTimeoutMs, redisMaxWaiting, redisClusterNodes, redisPrefix } = app.config;
    const keys = createKeys(redisPrefix);
    // One line when the store goes down and one when it is back, however many requests fail between.
    let down: string | undefined;
    const markDown = (reason: string) => {
      if (down !== undefined) return;
      down = reason;
      app.log.warn({ reason }, 'redis down: answering 503 until it is back');
    };
    const markUp = () => {
      if (down !== undefined) app.log.info({ was: down }, 'redis back');
      down = undefined;
    };

    let client: Redis;
    let cluster: SupervisedCluster | undefined;
    let watchdog: RedisWatchdog;
    let closing = false;
    let upgrade: Redis | undefined;
    let relay: MasterRelay | undefined;
    let connectUrl = app.config.redisUrl;
    if (app.config.redisSentinels.length > 0) {
      const url = new URL(app.config.redisUrl);
      relay = await openMasterRelay({
        sentinels: app.config.redisSentinels,
        masterName: app.config.redisSentinelName,
        sentinelPassword: app.config.redisSentinelPassword,
        nodeAuth: { username: decodeURIComponent(url.username) || undefined, password: decodeURIComponent(url.password) || undefined },
        pollMs: 1000,
        connectTimeoutMs: Math.min(redisTimeoutMs, 2000),
        log: app.log,
      });
      connectUrl = relayUrl(app.config.redisUrl, relay.port);
    }
    if (redisClusterNodes.length > 0) {
      cluster = openCluster({ nodes: redisClusterNodes, name: 'lianfang', slotKey: keys.prefix, timeoutMs: redisTimeoutMs, onDown: markDown, onUp: markUp, log: app.log });
      client = cluster.client;
      watchdog = cluster;
      // Boot does not wait for Redis: the cluster is found (and found again) by the supervisor.
      cluster.start();
    } else {
      const single = createRedisClient(connectUrl, 'lianfang');
      single.on('error', (err: Error) => markDown(err.message));
      single.on('ready', markUp);
      watchdog = watchRedis(single, redisTimeoutMs, () => markDown(`no answer within ${redisTimeoutMs} ms`));
      client = single;
      // Keys of the layout before hash tags are moved before the app reads anything. Boot does not
      // wait for Redis: the process serves /api/health (503) until it is reachable.
      void (async () => {
        for (;;) {
          if (closing) return;
          upgrade = createRedisClient(connectUrl, 'lianfang-upgrade');
          upgrade.on('error', () => {});
          try {
            await upgrade.connect();
            const moved = await moveUntaggedKeys(upgrade, redisPrefix);
            if (moved > 0) app.log.info({ moved, prefix: keys.prefix }, 'redis keys moved to the hash-tagged layout');
            break;
          } catch (err) {
            markDown((err as Error).message);
            await new Promise((r) => setTimeout(r, 500).unref());
          } finally {
            upgrade.destroy();
            upgrade = undefined;
          }
        }
        if (!closing) await single.connect();
      })().catch((err: Error) => markDown(err.message));
    }
    configureReplicaWait(client, {
      timeoutMs: app.config.redisReplicaWaitMs,
      onLate: (replicas) => app.log.warn({ replicas, waitedMs: app.config.redisReplicaWaitMs }, 'redis: no replica confirmed a write within REDIS_REPLICA_WAIT_MS; answered ok anyway'),
    });
    app.decorate('redis', client);
    app.decorate('keys', keys);
    app.decorate('redisReady', () => client.isReady);
    app.decorate('redisConnectUrl', connectUrl);

    // Bound the requests waiting on Redis: past the bound a stalled store would pile up sockets
    // and memory, so the excess is answered 503 at once. Health is outside the bound (it has its own timeout).
    let waiting = 0;
    // One 'close' listener on the response (it fires after a finish and after an abort alike)
    // instead of onResponse and onRequestAbort hooks: two hook chains cost every request about
    // 15 µs of CPU in the ingest bench, one listener next to nothing.
    const release = () => {
      waiting--;
    };
    app.addHook('onRequest', (request, reply, done) => {
      if (!request.url.startsWith('/api/') || request.url.startsWith('/api/health')) return done();
      if (waiting >= redisMaxWaiting) return done(new StoreUnavailableError(new Error(`${waiting} requests already waiting on Redis`)));
      waiting++;
      reply.raw.once('close', release);
      done();
    });

    app.addHook('onClose', async () => {
      closing = true;
      watchdog.stop();
      upgrade?.destroy();
      if (cluster) await cluster.close();
      else if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
      await relay?.close();
    });
  },
  { name: 'redis', dependencies: ['config'] },
);

/** REDIS_URL's credentials and database on the sentinel relay's loopback address. */
export function relayUrl(redisUrl: string, port: number): string {
  const url = new URL(redisUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

/** Resolves once `client` is ready, or rejects after `timeoutMs`. */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let poll: NodeJS.Timeout | undefined;
    const done = (err?: Error) => {
      clearTimeout(timer);
      clearInterval(poll);
      client.off('ready', onReady);
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`redis not ready after ${timeoutMs} ms`)), timeoutMs);
    const onReady = () => done();
    // A cluster has no 'ready' event of its own (and a single client becomes ready only after the
    // key upgrade): the flag is polled as well.
    if (clusterOf(client)) poll = setInterval(() => client.isReady && done(), 25);
    else client.once('ready', onReady);
  });
}
