/**
 * GET /api/health: is this process up, can it reach Redis, how full is Redis, and (with the
 * demo on) can the demo accounts sign in yet. Open to everyone (load balancers, `npm start`
 * waiting to print the URL); it reads a flag and pings Redis, never a session.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Redis } from '../plugins/redis.ts';
import { masterClients } from '../redis/cluster.ts';
import { HealthSchema, type HealthMemory, type HealthResponse } from './schemas.ts';

const PING_TIMEOUT_MS = 1000;

/** Memory pressure from 90 % of maxmemory: `degraded`, still 200 (the process serves; Redis will soon refuse writes). */
const MEMORY_DEGRADED_RATIO = 0.9;

/**
 * Redis's memory against its maxmemory, or undefined when INFO fails or is slow. On a cluster,
 * the fullest master (by share of its maxmemory, else by bytes): the first to refuse writes.
 */
async function redisMemory(redis: Redis): Promise<HealthMemory | undefined> {
  const nodes = await Promise.race([masterClients(redis), new Promise<[]>((r) => setTimeout(r, PING_TIMEOUT_MS, []).unref())]);
  const all = (await Promise.all(nodes.map((node) => nodeMemory(node as unknown as Redis)))).filter((m): m is HealthMemory => m !== undefined);
  const fill = (m: HealthMemory) => m.ratio ?? m.usedBytes / Number.MAX_SAFE_INTEGER;
  return all.sort((a, b) => fill(b) - fill(a))[0];
}

async function nodeMemory(redis: Redis): Promise<HealthMemory | undefined> {
  const info = await Promise.race([redis.info('memory').catch(() => ''), new Promise<string>((r) => setTimeout(r, PING_TIMEOUT_MS, '').unref())]);
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const used = Number(field('used_memory'));
  if (!info || !Number.isFinite(used)) return undefined;
  const max = Number(field('maxmemory') ?? 0);
  const ratio = max > 0 ? Math.round((used / max) * 1000) / 1000 : null;
  return { usedBytes: used, maxBytes: max > 0 ? max : null, ratio, policy: field('maxmemory_policy') ?? 'unknown', degraded: ratio !== null && ratio >= MEMORY_DEGRADED_RATIO };
}

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
    const memory = up ? await redisMemory(app.redis) : undefined;
    // A sign-in before the demo accounts exist would be refused: not up yet.
    const demo = app.demo?.enabled ? (app.demo.ready ? 'ready' : 'loading') : undefined;
    const serving = up && demo !== 'loading';
    const body: HealthResponse = {
      status: serving && !memory?.degraded ? 'ok' : 'degraded',
      redis: up ? 'up' : 'down',
      uptime: Math.round((performance.now() - started) / 1000),
      version: app.config.version,
      ...(memory ? { memory } : {}),
      ...(demo ? { demo } : {}),
    };
    return reply.status(serving ? 200 : 503).send(body);
  });
};
export default healthRoutes;
