/** GET /api/health: is this process up, and can it reach Redis. Open to everyone (load balancers). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthSchema, type HealthResponse } from './schemas.ts';

const PING_TIMEOUT_MS = 1000;

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const started = performance.now();
  app.get('/api/health', { config: { access: 'public' }, schema: { response: { 200: HealthSchema, 503: HealthSchema } } }, async (_req, reply) => {
    let up = false;
    if (app.redis.isReady) {
      up = await Promise.race([
        app.redis.ping().then(() => true, () => false),
        new Promise<boolean>((r) => setTimeout(r, PING_TIMEOUT_MS, false).unref()),
      ]);
    }
    const body: HealthResponse = {
      status: up ? 'ok' : 'degraded',
      redis: up ? 'up' : 'down',
      uptime: Math.round((performance.now() - started) / 1000),
      version: app.config.version,
    };
    return reply.status(up ? 200 : 503).send(body);
  });
};
export default healthRoutes;
