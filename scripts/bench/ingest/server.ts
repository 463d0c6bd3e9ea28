/**
 * The ingest benchmark's server: a child process (this file with --serve) running the app on its
 * own redis-server with the demo county and 1,000 devices, plus a bare Fastify route for the
 * ceiling; and the parent's side of it (start, ask for memory and CPU, stop).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DEVICES = 1000;

export interface DeviceInfo {
  identifier: string;
  teamId: string;
  lon: number;
  lat: number;
}

export interface Ready {
  type: 'ready';
  port: number;
  ceilingPort: number;
  osmandPort: number;
  devices: DeviceInfo[];
  username: string;
  password: string;
  tickMs: number;
}

async function serve(): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { Type } = await import('@sinclair/typebox');
  const { build, loadConfig } = await import('../../../server/src/app.ts');
  const { whenReady } = await import('../../../server/src/plugins/redis.ts');
  const { generateDemoCounty } = await import('../../../geo/src/index.ts');

  const reuse = process.argv.includes('--reuse');
  const tickMs = Number(process.env.BENCH_TICK_MS ?? 0) || undefined;
  const config = loadConfig(process.env, {
    port: 0,
    host: '127.0.0.1',
    redisUrl: process.env.BENCH_REDIS_URL!,
    redisPrefix: 'bench:',
    logLevel: 'warn',
    webRoot: '',
    osmandPort: 0,
    demo: false,
    simulate: false,
    // Counted as in production, never reached: one address and 1,000 devices at full speed.
    ingestDevicePerMinute: 10_000_000,
    ingestDeviceBatchesPerHour: 10_000_000,
    ingestAddressPerMinute: 100_000_000,
    // The report roll-up reads every position back once a minute: behind a feed a thousand times a
    // county's (100,000 positions/s for minutes) it would be the roll-up that is measured.
    reportRollUpMs: 0,
    ...(tickMs ? { broadcastTickMs: tickMs } : {}),
  });
  // BENCH_LOG_LEVEL=info shows the app's own lines (redis down/back) when a round looks wrong.
  const app = await build(config, { logger: { level: process.env.BENCH_LOG_LEVEL ?? 'error' } });
  // For reference: an empty route inside the app, with every global hook the ingest routes pay for.
  app.post('/bench/empty', { helmet: false, compress: false, config: { access: 'device' } }, async () => ({}));
  await app.listen({ port: 0, host: '127.0.0.1' });
  await whenReady(app.redis, 10_000);

  // The ceiling: the same body schema, validated by Fastify's own Ajv, answering {}.
  const bare = Fastify({ logger: false });
  const body = Type.Object({
    deviceId: Type.String({ minLength: 1, maxLength: 128 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -85, maximum: 85 }),
    time: Type.Integer({ minimum: 0 }),
    heading: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
    speed: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    accuracy: Type.Optional(Type.Number({ minimum: 0 })),
  });
  bare.post('/bench/empty', { schema: { body, response: { 200: Type.Object({}) } } }, async () => ({}));
  await bare.listen({ port: 0, host: '127.0.0.1' });

  let devices: DeviceInfo[] = [];
  const username = 'bench-dispatcher';
  const password = 'bench password 1';
  if (!reuse) {
    const county = generateDemoCounty();
    const { teams, ...geography } = county;
    await app.teams.save(teams);
    await app.geography.store.replaceAll(geography);
    const gridById = new Map(geography.grids.map((g) => [g.id, g]));
    for (let i = 0; i < DEVICES; i++) {
      const team = teams[i % teams.length]!;
      const member = team.members[Math.floor(i / teams.length) % team.members.length]!;
      const { identifier } = await app.devices.store.create({ teamId: team.id, memberName: member.name, memberPhone: member.phone, label: 'bench', createdBy: 'bench' }, Date.now());
      const grid = gridById.get(team.gridIds[0]!)!;
      const ring = (grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0]![0])!;
      const lon = ring.reduce((s, p) => s + p[0]!, 0) / ring.length;
      const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
      devices.push({ identifier, teamId: team.id, lon, lat });
    }
    await app.access.createUser({ username, name: 'bench', role: 'dispatcher', organisationId: null, teamId: null, password });
  }
  const ready: Ready = {
    type: 'ready',
    port: (app.server.address() as { port: number }).port,
    ceilingPort: (bare.server.address() as { port: number }).port,
    osmandPort: app.osmand.port!,
    devices,
    username,
    password,
    tickMs: app.config.broadcastTickMs,
  };
  devices = [];
  process.send!(ready);

  // INFO from the app's own client: on this loaded machine its stall watchdog may drop the
  // connection mid-call (it reconnects by itself), so a failed INFO is asked again, and the
  // handler never leaves a rejection unhandled (that would end this process and hang the bench).
  const info = async (section: string): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await app.redis.info(section);
      } catch (err) {
        if (attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  process.on('message', (message: { type: string }) => void answer(message).catch((err: Error) => process.send!({ type: 'error', message: String(err) })));
  const answer = async (message: { type: string }) => {
    if (message.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const memory = await info('memory');
      const redisBytes = Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0);
      process.send!({ type: 'memory', heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, redisBytes });
    }
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      const cpu = await info('cpu');
      const redisCpu = Number(/used_cpu_user:([\d.]+)/.exec(cpu)?.[1] ?? 0) + Number(/used_cpu_sys:([\d.]+)/.exec(cpu)?.[1] ?? 0);
      process.send!({ type: 'cpu', serverUs: user + system, redisUs: redisCpu * 1e6 });
    }
    if (message.type === 'stop') {
      await bare.close();
      await app.close();
      process.exit(0);
    }
  };
}

export function startServer(redisUrl: string, extra: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...extra], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, BENCH_REDIS_URL: redisUrl, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ready: m as Ready }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** Asks the server child for `type` (memory, cpu); rejects when it answers with an error or exits. */
export function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench server exited with ${code} while asked for ${type}`));
    child.once('exit', onExit);
    child.once('message', (m: { type?: string; message?: string }) => {
      child.off('exit', onExit);
      if (m.type === 'error') reject(new Error(`bench server could not answer ${type}: ${m.message}`));
      else resolve(m as T);
    });
    child.send({ type });
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

if (process.argv.includes('--serve')) {
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
