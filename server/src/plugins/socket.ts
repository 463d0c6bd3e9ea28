/**
 * Socket.IO on the same HTTP server as the API, shared between server processes through
 * the Redis adapter: a broadcast from one process reaches the maps connected to any other.
 * On a Redis Cluster it is the sharded adapter (SPUBLISH/SSUBSCRIBE, Redis 7): its channels
 * carry the deployment's hash tag, so they live on the deployment's master, not on every node.
 */
import fp from 'fastify-plugin';
import { Server, type ServerOptions } from 'socket.io';
import type { FastifyInstance } from 'fastify';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { openCluster, type SupervisedCluster } from '../redis/cluster.ts';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../events.ts';
import { createClient } from 'redis';
import type { Redis } from './redis.ts';
import { isCrossOrigin, requestedHost } from './security.ts';

export type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    io: IO;
  }
}

/** Methods the adapter calls without awaiting or catching. */
const FIRE_AND_FORGET = new Set(['publish', 'sPublish', 'pSubscribe', 'subscribe', 'sSubscribe', 'pUnsubscribe', 'unsubscribe', 'sUnsubscribe']);

/**
 * The adapter publishes and subscribes without handling failure, so a publish while Redis is
 * down (or a queued SUBSCRIBE dropped at shutdown) would be an unhandled rejection that kills
 * the process. This wraps the client so those failures are logged instead.
 */
function failSoftly(client: Redis, onError: (err: Error) => void): Redis {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      // node-redis methods use private fields: they must run with the real client as `this`.
      const bound = value.bind(target);
      if (typeof prop === 'string' && FIRE_AND_FORGET.has(prop)) {
        return (...args: unknown[]) => {
          const result = bound(...args);
          return result instanceof Promise ? result.catch(onError) : result;
        };
      }
      return bound;
    },
  });
}

/**
 * The sharded adapter's subscriptions live on the connection to the master of their slot. The
 * adapter subscribes before the cluster is known (node-redis then throws), and when that master
 * dies node-redis drops the connection with its listeners once the promoted replica is found;
 * this remembers every SSUBSCRIBE and makes it again once connected and on every new master.
 */
function resubscribing(cluster: SupervisedCluster['cluster'], supervised: SupervisedCluster, onError: (err: Error) => void): SupervisedCluster['cluster'] {
  const subscriptions = new Map<string, { listener: unknown; bufferMode: unknown }>();
  supervised.onNewMaster(() => {
    for (const [channel, { listener, bufferMode }] of subscriptions) {
      (cluster.sSubscribe as (c: string, l: unknown, b: unknown) => Promise<void>)(channel, listener, bufferMode).catch(onError);
    }
  });
  return new Proxy(cluster, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const bound = value.bind(target);
      if (prop === 'sSubscribe' || prop === 'SSUBSCRIBE') {
        return (channel: string | string[], listener: unknown, bufferMode: unknown) => {
          for (const c of [channel].flat()) subscriptions.set(c, { listener, bufferMode });
          if (!target.isOpen) return Promise.resolve(); // made once connected
          return bound(channel, listener, bufferMode);
        };
      }
      if (prop === 'sUnsubscribe' || prop === 'SUNSUBSCRIBE') {
        return (channel: string | string[], ...rest: unknown[]) => {
          for (const c of [channel].flat()) subscriptions.delete(c);
          return bound(channel, ...rest);
        };
      }
      return bound;
    },
  });
}

export default fp(
  async (app) => {
    const onAdapterError = (err: Error) => app.log.debug({ err: err.message }, 'socket adapter command failed');
    if (app.config.redisClusterNodes.length > 0) {
      const common = { nodes: app.config.redisClusterNodes, slotKey: app.keys.prefix, timeoutMs: app.config.redisTimeoutMs };
      const pub = openCluster({ ...common, name: 'lianfang-pub' });
      // The subscriber keeps an offline queue so its SSUBSCRIBE waits for Redis instead of failing.
      const sub = openCluster({ ...common, name: 'lianfang-sub', offlineQueue: true });
      for (const c of [pub, sub]) {
        c.cluster.on('error', () => {}); // the command client already logs outages
        c.cluster.on('node-error', () => {});
        c.start();
      }
      const subscriber = resubscribing(sub.cluster, sub, onAdapterError);
      // "static": two channels per namespace, whatever the rooms: few subscriptions to move after a failover.
      setUp(app, createShardedAdapter(failSoftly(pub.cluster as unknown as Redis, onAdapterError), failSoftly(subscriber as unknown as Redis, onAdapterError), { channelPrefix: app.keys.socketChannel, subscriptionMode: 'static' }), async () => {
        await Promise.all([pub.close(), sub.close()]);
      });
      return;
    }
    const pub = app.redis.duplicate();
    // The subscriber keeps an offline queue so its SUBSCRIBE waits for Redis instead of failing.
    const sub = createClient({
      url: app.redisConnectUrl,
      name: 'lianfang-sub',
      socket: { connectTimeout: 5000, reconnectStrategy: (n: number) => Math.min(50 * 2 ** Math.min(n, 6), 2000) },
    });
    for (const c of [pub, sub]) c.on('error', () => {}); // the command client already logs outages
    pub.connect().catch(() => {});
    sub.connect().catch(() => {});

    setUp(app, createAdapter(failSoftly(pub, onAdapterError), failSoftly(sub, onAdapterError), { key: app.keys.socketChannel }), async () => {
      for (const c of [pub, sub]) {
        if (c.isReady) await c.close().catch(() => c.destroy());
        else if (c.isOpen) c.destroy();
      }
    });
  },
  { name: 'socket', dependencies: ['config', 'redis'] },
);

function setUp(app: FastifyInstance, adapter: ServerOptions['adapter'], closeClients: () => Promise<void>): void {
  const io: IO = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    // Same origin only: the web app is served by this server. A browser handshake from another
    // origin (another site, or another port of this host) is refused before any cookie is read.
    cors: undefined,
    allowRequest: (req, done) => done(null, !isCrossOrigin(req.headers, requestedHost(req.headers, app.config.trustProxy !== false))),
    adapter,
  });

  // Each process tells its own sockets when its Redis goes down or comes back (the adapter
  // cannot carry that message while Redis is down): maps say "reconnecting" meanwhile.
  let storeUp = true;
  const storeWatch = setInterval(() => {
    const up = app.redisReady();
    if (up === storeUp) return;
    storeUp = up;
    for (const nsp of io._nsps.values()) nsp.local.emit('system:store', { up, at: Date.now() });
  }, 250);
  storeWatch.unref();

  io.on('connection', (socket) => {
    if (!storeUp) socket.emit('system:store', { up: false, at: Date.now() });
    socket.on('system:ping', (ack) => {
      if (typeof ack === 'function') ack({ data: { at: Date.now() } });
    });
  });

  app.decorate('io', io);
  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    clearInterval(storeWatch);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await closeClients();
  });
}
