/**
 * The Redis connection: one command client, reconnecting forever with back-off, failing
 * commands fast while Redis is down (no offline queue, so requests answer 503 instead of hanging).
 */
import fp from 'fastify-plugin';
import { createClient } from 'redis';
import { createKeys, type Keys } from '../keys.ts';

export type Redis = ReturnType<typeof createClient>;

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
    keys: Keys;
    /** True while the command connection is up. */
    redisReady(): boolean;
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

export default fp(
  async (app) => {
    const client = createRedisClient(app.config.redisUrl, 'lianfang');
    let lastError = '';
    client.on('error', (err: Error) => {
      // Log each distinct failure once per outage, not once per reconnect attempt.
      if (err.message !== lastError) app.log.warn({ err: err.message }, 'redis error');
      lastError = err.message;
    });
    client.on('ready', () => {
      if (lastError) app.log.info('redis connection restored');
      lastError = '';
    });
    app.decorate('redis', client);
    app.decorate('keys', createKeys(app.config.redisPrefix));
    app.decorate('redisReady', () => client.isReady);
    // Boot does not wait for Redis: the process serves /api/health (503) until it is reachable.
    client.connect().catch((err: Error) => app.log.warn({ err: err.message }, 'redis not reachable yet'));
    app.addHook('onClose', async () => {
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    });
  },
  { name: 'redis', dependencies: ['config'] },
);

/** Resolves once `client` is ready, or rejects after `timeoutMs`. */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
