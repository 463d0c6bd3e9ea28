/**
 * Starts the real server for a test: its own redis-server (unless one is given), a key prefix
 * of its own, port 0, the built web app. `stop()` closes both.
 */
import type { FastifyInstance } from 'fastify';
import { build, loadConfig, type Clock, type Config } from '@lianfang/server';
import { startRedis, type TestRedis } from './redis.ts';
import type { TestCluster } from './cluster.ts';
import type { TestSentinel } from './sentinel.ts';

export interface TestApp {
  app: FastifyInstance;
  url: string;
  redis: TestRedis;
  config: Config;
  stop(): Promise<void>;
}

export interface TestAppOptions extends Partial<Config> {
  clock?: Clock;
  /** Share a redis-server (e.g. two server processes on one Redis). */
  redis?: TestRedis;
  /** Wait until the demo county and its teams are in Redis (with demo: true). */
  waitForDemo?: boolean;
  /** Wait until every team has a position (with simulate: true). */
  waitForPositions?: boolean;
  /** pino options instead of the configured level (e.g. `{ level: 'info', stream }` to read the log). */
  logger?: object;
  /** Listen on this port (a restarted server on its predecessor's port); a free one by default. */
  listenPort?: number;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { clock, redis: shared, waitForDemo, waitForPositions, logger, listenPort, ...overrides } = options;
  const redis = shared ?? (await startRedis());
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      redisUrl: redis.url,
      // A test cluster (tests/helpers/cluster.ts) is used as a cluster.
      ...('nodes' in redis ? { redisClusterNodes: (redis as TestCluster).nodes } : {}),
      // A test sentinel deployment (tests/helpers/sentinel.ts) is found through its sentinels.
      ...('sentinels' in redis ? { redisSentinels: (redis as TestSentinel).sentinels, redisSentinelName: (redis as TestSentinel).masterName } : {}),
      redisPrefix: 'lf:',
      logLevel: 'warn',
      webRoot: '',
      // Sign-ins at production's scrypt cost (2^17, ~1 s here) would slow every test; the cost itself is tested in access/.
      passwordLogN: 14,
      // The daily briefing ticks by hand in tests: a background one would post to a test's webhooks.
      briefingTickMs: 0,
      ...overrides,
    },
  );
  const app = await build(config, { clock, logger: logger ?? (config.logLevel === 'silent' ? false : { level: config.logLevel }) });
  await app.listen({ port: listenPort ?? 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  // Boot does not wait for Redis (the server answers 503 until it is there): a test that calls the
  // app's services directly waits for the connection, up to a ceiling (some tests start with Redis down).
  for (const until = performance.now() + 10_000; !app.redisReady() && performance.now() < until; ) await new Promise((r) => setTimeout(r, 10));
  // With TLS_CERT_FILE (tests/helpers/tls.ts makes one) the main port speaks HTTPS.
  const url = `${config.tlsCertFile ? 'https' : 'http'}://127.0.0.1:${port}`;
  const testApp: TestApp = {
    app,
    url,
    redis,
    config,
    async stop() {
      await app.close();
      if (!shared) await redis.destroy();
    },
  };
  if (waitForDemo || waitForPositions) {
    await app.demoReady;
    if (waitForPositions) {
      await waitFor(async () => {
        const teams = await app.teams.list();
        const latest = await app.tracking.store.latestPositions(teams.map((t) => t.id));
        return teams.length > 0 && latest.every((p) => p !== null);
      }, 30_000);
    }
  }
  return testApp;
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
