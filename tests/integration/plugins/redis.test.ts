/**
 * Redis faults against a real redis-server: paused (SIGSTOP), killed (SIGKILL) under load, slow
 * enough that requests pile up. The server answers 503 quickly, never 500, never hangs, and
 * recovers by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';

const TIMEOUT_MS = 1000;

interface Answer {
  status: number;
  ms: number;
}

async function timed(request: Promise<Response>): Promise<Answer> {
  const started = performance.now();
  const res = await request;
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

describe('Redis faults', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    t?.redis.resume();
    await t?.stop();
    t = undefined;
  });

  const start = async (options: Parameters<typeof startTestApp>[0]) => {
    t = await startTestApp({ coverageTickMs: 0, incidentTickMs: 0, ...options });
    await waitFor(() => t!.app.redisReady());
    return t;
  };
  const teams = (app: TestApp, session: SignedIn) => timed(as(session)(`${app.url}/api/teams`));
  const health = (app: TestApp, cookie?: string) => timed(fetch(`${app.url}/api/health`, { headers: cookie ? { cookie } : {} }));

  it('Redis paused (SIGSTOP) answers 503 within the timeout, and recovers after SIGCONT', async () => {
    const app = await start({ redisTimeoutMs: TIMEOUT_MS });
    const session = await signIn(app, 'dispatcher');
    expect((await teams(app, session)).status).toBe(200);

    app.redis.pause();
    // The watchdog's PING goes unanswered for the timeout, plus at most one probe interval (a quarter of it).
    const bound = TIMEOUT_MS * 1.25 + 750;
    const [stalled, healthWithCookie, healthWithout] = await Promise.all([teams(app, session), health(app, session.cookie), health(app)]);
    expect(stalled.status).toBe(503);
    expect(stalled.ms).toBeLessThan(bound);
    expect(healthWithCookie.status).toBe(503);
    expect(healthWithCookie.ms).toBeLessThan(bound);
    expect(healthWithout.status).toBe(503);
    // While the connection is down, new requests do not wait at all.
    const next = await teams(app, session);
    expect(next.status).toBe(503);
    expect(next.ms).toBeLessThan(TIMEOUT_MS);

    app.redis.resume();
    await waitFor(async () => (await teams(app, session)).status === 200, 15_000);
    expect((await health(app, session.cookie)).status).toBe(200);
  });

  it('keeps its Redis connection through a blocked event loop of its own: a busy process is not a stalled Redis', async () => {
    const app = await start({ redisTimeoutMs: TIMEOUT_MS });
    const session = await signIn(app, 'dispatcher');
    const warnings: string[] = [];
    const warn = app.app.log.warn.bind(app.app.log);
    app.app.log.warn = ((...args: Parameters<typeof warn>) => {
      warnings.push(JSON.stringify(args));
      return warn(...args);
    }) as typeof warn;
    // The process blocks right after the watchdog sent its PING, twice, for longer than the
    // timeout: Redis answered at once, but the answer waits unread behind the blocked loop.
    const redis = app.app.redis as unknown as { ping: (...args: unknown[]) => Promise<unknown> };
    const ping = redis.ping.bind(redis);
    let blocks = 0;
    redis.ping = (...args: unknown[]) => {
      const answer = ping(...args);
      if (blocks < 2) {
        blocks++;
        setImmediate(() => {
          const until = performance.now() + TIMEOUT_MS * 1.5;
          while (performance.now() < until) {
            // busy
          }
        });
      }
      return answer;
    };
    await waitFor(() => blocks === 2, 10_000);
    await new Promise((r) => setTimeout(r, TIMEOUT_MS));
    redis.ping = ping;
    expect(warnings.filter((w) => w.includes('redis down'))).toEqual([]);
    expect((await teams(app, session)).status).toBe(200);
  });

  it('Redis killed under load gives 503 (never 500) to requests in flight and to /api/health with or without a session cookie', async () => {
    // A long timeout: the requests in flight must meet the kill, not the watchdog.
    const app = await start({ redisTimeoutMs: 10_000 });
    const session = await signIn(app, 'dispatcher');
    const statuses: number[] = [];
    let running = true;
    const worker = async () => {
      while (running) statuses.push((await teams(app, session)).status);
    };
    const workers = Array.from({ length: 8 }, worker);
    await waitFor(() => statuses.filter((s) => s === 200).length >= 20, 10_000);

    app.redis.pause();
    const inFlight = Array.from({ length: 20 }, () => teams(app, session));
    const inFlightHealth = [health(app, session.cookie), health(app)];
    // Health's own ping gives up after a second: by then every request above has reached the server and waits on Redis.
    await waitFor(async () => (await health(app)).status === 503, 5000);
    await app.redis.kill();

    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 503));
    expect((await Promise.all(inFlightHealth)).map((a) => a.status)).toEqual([503, 503]);
    for (const cookie of [session.cookie, undefined]) {
      const res = await fetch(`${app.url}/api/health`, { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'degraded', redis: 'down' });
    }
    running = false;
    await Promise.all(workers);
    expect(statuses).not.toContain(500);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));

    await app.redis.start();
    await waitFor(async () => (await teams(app, session)).status === 200, 15_000);
  });

  it('answers 503 at once to requests beyond REDIS_MAX_WAITING while Redis is stalled, and serves the waiting ones once it is back', async () => {
    const app = await start({ redisTimeoutMs: 10_000, redisMaxWaiting: 5 });
    const session = await signIn(app, 'dispatcher');
    app.redis.pause();
    const waiting = Array.from({ length: 5 }, () => teams(app, session));
    await waitFor(async () => (await health(app)).status === 503, 5000);

    const excess = await teams(app, session);
    expect(excess.status).toBe(503);
    expect(excess.ms).toBeLessThan(500);

    app.redis.resume();
    expect((await Promise.all(waiting)).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await teams(app, session)).status).toBe(200);
  });

  it('logs one line when Redis goes down and one when it is back, however many requests fail between', async () => {
    const app = await start({});
    const session = await signIn(app, 'dispatcher');
    const lines: string[] = [];
    const log = app.app.log;
    for (const level of ['warn', 'info', 'error'] as const) {
      const original = log[level].bind(log);
      log[level] = ((obj: unknown, msg?: string) => {
        lines.push(typeof obj === 'string' ? obj : (msg ?? ''));
        return original(obj as object, msg);
      }) as typeof log.warn;
    }
    await app.redis.stop();
    const answers = await Promise.all(Array.from({ length: 50 }, () => teams(app, session)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503]));
    await app.redis.start();
    await waitFor(async () => (await teams(app, session)).status === 200, 15_000);
    expect(lines.filter((l) => l.startsWith('redis down'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('redis back'))).toHaveLength(1);
  });

  it('answers 503 while Redis replies BUSY to a script running too long', async () => {
    const app = await start({});
    const session = await signIn(app, 'dispatcher');
    const admin = app.app.redis.duplicate();
    const busy = app.app.redis.duplicate();
    await Promise.all([admin.connect(), busy.connect()]);
    try {
      await admin.configSet('busy-reply-threshold', '100');
      // A script that spins until SCRIPT KILL stops it.
      const spinning = busy.eval('while true do end', { keys: [], arguments: [] }).catch((err: Error) => err);
      await waitFor(async () => (await admin.ping().catch((err: Error) => err.message)).toString().startsWith('BUSY'), 5000);
      const answer = await teams(app, session);
      expect(answer.status).toBe(503);
      await admin.scriptKill();
      await spinning;
      await waitFor(async () => (await teams(app, session)).status === 200, 10_000);
    } finally {
      for (const c of [admin, busy]) c.destroy();
    }
  });
});
