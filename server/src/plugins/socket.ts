/**
 * Socket.IO on the same HTTP server as the API, shared between server processes through
 * the Redis adapter: a broadcast from one process reaches the maps connected to any other.
 */
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
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

export default fp(
  async (app) => {
    const pub = app.redis.duplicate();
    // The subscriber keeps an offline queue so its SUBSCRIBE waits for Redis instead of failing.
    const sub = createClient({
      url: app.config.redisUrl,
      name: 'lianfang-sub',
      socket: { connectTimeout: 5000, reconnectStrategy: (n: number) => Math.min(50 * 2 ** Math.min(n, 6), 2000) },
    });
    for (const c of [pub, sub]) c.on('error', () => {}); // the command client already logs outages
    pub.connect().catch(() => {});
    sub.connect().catch(() => {});

    const onAdapterError = (err: Error) => app.log.debug({ err: err.message }, 'socket adapter command failed');
    const io: IO = new Server(app.server, {
      path: '/socket.io',
      serveClient: false,
      // Same origin only: the web app is served by this server. A browser handshake from another
      // origin (another site, or another port of this host) is refused before any cookie is read.
      cors: undefined,
      allowRequest: (req, done) => done(null, !isCrossOrigin(req.headers, requestedHost(req.headers, app.config.trustProxy !== false))),
      adapter: createAdapter(failSoftly(pub, onAdapterError), failSoftly(sub, onAdapterError), { key: app.keys.socketChannel }),
    });

    io.on('connection', (socket) => {
      socket.on('system:ping', (ack) => {
        if (typeof ack === 'function') ack({ data: { at: Date.now() } });
      });
    });

    app.decorate('io', io);
    app.addHook('preClose', async () => {
      io.local.disconnectSockets(true);
    });
    app.addHook('onClose', async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const c of [pub, sub]) {
        if (c.isReady) await c.close().catch(() => c.destroy());
        else if (c.isOpen) c.destroy();
      }
    });
  },
  { name: 'socket', dependencies: ['config', 'redis'] },
);
