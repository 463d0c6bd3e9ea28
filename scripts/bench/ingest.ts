/**
 * Position ingest benchmark (`npm run bench -- ingest`), on 127.0.0.1 only, in about a minute
 * and a half (at most about two). The server runs in a child process on its own redis-server, loaded with the demo
 * county (5,000 key locations, so every fix also pays for the dwell lookup) and 1,000 devices.
 * A pipelining HTTP/1.1 client keeps it saturated, so the server, not the client, is measured.
 *
 *  1. ceiling: an empty Fastify POST route validating the same body (bare Fastify, same process);
 *     for reference, an empty route inside the app (same global hooks as the ingest routes)
 *  2. single-position HTTP ingest (POST /api/positions)          target ≥ 50 % of the ceiling
 *  3. OsmAnd ingest (GET /?id=…&lat=… on OSMAND_PORT)            target ≥ 50 % of the ceiling
 *     (1–3 interleaved, three rounds, medians)
 *  4. batched ingest (POST /api/positions/batch, 1,000 a batch)  target ≥ 50,000 positions/s
 *  5. latency from a position accepted to its arrival at 100 connected dashboards at 2,000
 *     positions/s, p50/p99, at the configured BROADCAST_TICK_MS and at 100 ms  target p99 ≤ 150 ms
 *  6. memory: server heap and Redis memory per 1,000 active devices
 *
 * The harness in harness.ts times synchronous calls; this one needs a load generator, so it
 * keeps its own loop and prints the same kind of table.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { connect as tcpConnect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';

const ROUND_MS = 3000;
const LATENCY_MS = 6000;
/** Stay within about two minutes even on a busy machine: later phases are skipped past this. */
const BUDGET_MS = 105_000;
const ROUNDS = 3;
const DEVICES = 1000;
const BATCH = 1000;

interface DeviceInfo {
  identifier: string;
  teamId: string;
  lon: number;
  lat: number;
}

interface Ready {
  type: 'ready';
  port: number;
  ceilingPort: number;
  osmandPort: number;
  devices: DeviceInfo[];
  username: string;
  password: string;
  tickMs: number;
}

/* ------------------------------------------------------------------ server (child process) */

async function serve(): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { Type } = await import('@sinclair/typebox');
  const { build, loadConfig } = await import('../../server/src/app.ts');
  const { whenReady } = await import('../../server/src/plugins/redis.ts');
  const { generateDemoCounty } = await import('../../geo/src/index.ts');

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
    ...(tickMs ? { broadcastTickMs: tickMs } : {}),
  });
  const app = await build(config, { logger: { level: 'error' } });
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
    await app.tracking.store.saveTeams(teams);
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

  process.on('message', async (message: { type: string }) => {
    if (message.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const info = await app.redis.info('memory');
      const redisBytes = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
      process.send!({ type: 'memory', heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, redisBytes });
    }
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      const info = await app.redis.info('cpu');
      const redisCpu = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
      process.send!({ type: 'cpu', serverUs: user + system, redisUs: redisCpu * 1e6 });
    }
    if (message.type === 'stop') {
      await bare.close();
      await app.close();
      process.exit(0);
    }
  });
}

/* ------------------------------------------------------------------ load generator */

interface LoadResult {
  completed: number;
  statuses: Map<number, number>;
  elapsedMs: number;
}

/**
 * Keeps `connections` keep-alive connections, each with up to `depth` pipelined requests in flight,
 * for `durationMs`; or, with `rate`, sends that many requests a second spread over the connections.
 */
async function load(options: {
  port: number;
  connections: number;
  depth: number;
  durationMs: number;
  rate?: number;
  request: (i: number) => { bytes: Buffer; tag?: unknown };
  onResponse?: (status: number, tag: unknown, body: Buffer) => void;
}): Promise<LoadResult> {
  const statuses = new Map<number, number>();
  let completed = 0;
  let issued = 0;
  let stopping = false;
  const started = performance.now();
  type Conn = { socket: Socket; inflight: unknown[]; buffer: Buffer<ArrayBufferLike> };
  const sockets: Conn[] = [];

  const send = (c: (typeof sockets)[number]) => {
    const { bytes, tag } = options.request(issued++);
    c.inflight.push(tag);
    c.socket.write(bytes);
  };

  const parse = (c: (typeof sockets)[number]) => {
    for (;;) {
      const buf = c.buffer;
      const headerEnd = buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = buf.subarray(0, headerEnd).toString('latin1');
      const status = Number(head.slice(9, 12));
      const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let bodyStart = headerEnd + 4;
      let body: Buffer;
      if (lengthMatch) {
        const length = Number(lengthMatch[1]);
        if (buf.length < bodyStart + length) return;
        body = buf.subarray(bodyStart, bodyStart + length);
        c.buffer = buf.subarray(bodyStart + length);
      } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        const chunks: Buffer[] = [];
        let at = bodyStart;
        for (;;) {
          const lineEnd = buf.indexOf('\r\n', at);
          if (lineEnd < 0) return;
          const size = parseInt(buf.subarray(at, lineEnd).toString('latin1'), 16);
          if (buf.length < lineEnd + 2 + size + 2) return;
          chunks.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
          at = lineEnd + 2 + size + 2;
          if (size === 0) break;
        }
        body = Buffer.concat(chunks);
        c.buffer = buf.subarray(at);
        bodyStart = at;
      } else {
        body = Buffer.alloc(0);
        c.buffer = buf.subarray(bodyStart);
      }
      const tag = c.inflight.shift();
      completed++;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      options.onResponse?.(status, tag, body);
      if (!stopping && options.rate === undefined) send(c);
    }
  };

  await Promise.all(
    Array.from({ length: options.connections }, () =>
      new Promise<void>((resolve, reject) => {
        const socket = tcpConnect({ port: options.port, host: '127.0.0.1', noDelay: true }, () => resolve());
        socket.on('error', reject);
        const c: Conn = { socket, inflight: [], buffer: Buffer.alloc(0) };
        socket.on('data', (chunk: Buffer) => {
          c.buffer = c.buffer.length ? Buffer.concat([c.buffer, chunk]) : chunk;
          parse(c);
        });
        sockets.push(c);
      }),
    ),
  );

  let ticker: NodeJS.Timeout | undefined;
  if (options.rate === undefined) {
    for (const c of sockets) for (let d = 0; d < options.depth; d++) send(c);
  } else {
    // Paced: every 5 ms, the requests due by now, round-robin over the connections.
    let next = 0;
    ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * options.rate!);
      while (issued < due) send(sockets[next++ % sockets.length]!);
    }, 5);
  }
  await new Promise((r) => setTimeout(r, options.durationMs));
  stopping = true;
  if (ticker) clearInterval(ticker);
  const elapsedMs = performance.now() - started;
  const counted = completed;
  // Let what is in flight drain, so the next phase starts on an idle server.
  const drainUntil = performance.now() + 3000;
  while (sockets.some((c) => c.inflight.length > 0) && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
  for (const c of sockets) c.socket.destroy();
  return { completed: counted, statuses, elapsedMs };
}

const post = (port: number, path: string, json: string) =>
  Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
const get = (port: number, path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);

/* ------------------------------------------------------------------ the run */

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function percentile(sorted: Float64Array | number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function startServer(redisUrl: string, extra: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; ready: Ready }> {
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

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send({ type });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function latencyPhase(ready: Ready, devices: DeviceInfo[], rate: number, durationMs: number): Promise<{ p50: number; p99: number; deliveries: number; delivered: number; sent: number }> {
  const { io } = await import('socket.io-client');
  const base = `http://127.0.0.1:${ready.port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: ready.username, password: ready.password }) });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('lf_session='))!.split(';')[0]!;
  const arrivals: { key: string; at: number }[] = [];
  const sockets = await Promise.all(
    Array.from({ length: 100 }, () => {
      const socket = io(base, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
      socket.on('team:positions', (batch: { positions: { teamId: string; time: number }[] }) => {
        const at = performance.now();
        for (const p of batch.positions) arrivals.push({ key: `${p.teamId}|${p.time}`, at });
      });
      return new Promise<typeof socket>((resolve, reject) => {
        socket.on('connect', () => resolve(socket));
        socket.on('connect_error', reject);
      });
    }),
  );
  const accepted = new Map<string, number>();
  const lastTime = new Map<string, number>();
  const result = await load({
    port: ready.port,
    connections: 16,
    depth: 1,
    durationMs,
    rate,
    request: (i) => {
      const d = devices[i % devices.length]!;
      // Fix times unique per team, so each delivery names the request it came from.
      const time = Math.max(Date.now(), (lastTime.get(d.teamId) ?? 0) + 1);
      lastTime.set(d.teamId, time);
      const json = `{"deviceId":"${d.identifier}","lon":${(d.lon + (i % 100) * 1e-5).toFixed(6)},"lat":${d.lat.toFixed(6)},"time":${time},"speed":1.4,"accuracy":8}`;
      return { bytes: post(ready.port, '/api/positions', json), tag: `${d.teamId}|${time}` };
    },
    onResponse: (status, tag) => {
      if (status === 200) accepted.set(tag as string, performance.now());
    },
  });
  await new Promise((r) => setTimeout(r, 500)); // the last ticks' batches
  for (const s of sockets) s.disconnect();
  const latencies: number[] = [];
  const deliveredKeys = new Set<string>();
  for (const { key, at } of arrivals) {
    const acceptedAt = accepted.get(key);
    if (acceptedAt === undefined) continue;
    latencies.push(Math.max(0, at - acceptedAt));
    deliveredKeys.add(key);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), deliveries: latencies.length, delivered: deliveredKeys.size, sent: result.completed };
}

interface Cpu {
  serverUs: number;
  redisUs: number;
}

export async function run(): Promise<void> {
  const started = performance.now();
  console.log(`ingest benchmark — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
  const { startRedis } = await import('../../tests/helpers/redis.ts');
  const redis = await startRedis();
  let server: { child: ChildProcess; ready: Ready } | undefined;
  try {
    server = await startServer(redis.url, []);
    const { ready, child } = server;
    const devices = ready.devices;
    console.log(`server ready: demo county (5,000 key locations), ${devices.length} devices (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    const memoryBefore = await ask<{ heapUsed: number; rss: number; redisBytes: number }>(child, 'memory');

    let seq = 0;
    const fixJson = (d: DeviceInfo, i: number) =>
      `{"deviceId":"${d.identifier}","lon":${(d.lon + (i % 100) * 1e-5).toFixed(6)},"lat":${d.lat.toFixed(6)},"time":${Date.now()},"heading":90,"speed":1.4,"accuracy":8}`;
    const saturate = (port: number, request: (i: number) => { bytes: Buffer }, durationMs: number) => load({ port, connections: 32, depth: 8, durationMs, request });
    const phases = {
      ceiling: (ms = ROUND_MS) => saturate(ready.ceilingPort, (i) => ({ bytes: post(ready.ceilingPort, '/bench/empty', fixJson(devices[i % devices.length]!, i)) }), ms),
      app: (ms = ROUND_MS) => saturate(ready.port, (i) => ({ bytes: post(ready.port, '/bench/empty', fixJson(devices[i % devices.length]!, i)) }), ms),
      http: (ms = ROUND_MS) => saturate(ready.port, (i) => ({ bytes: post(ready.port, '/api/positions', fixJson(devices[(seq + i) % devices.length]!, i)) }), ms),
      osmand: (ms = ROUND_MS) =>
        saturate(ready.osmandPort, (i) => {
          const d = devices[(seq + i) % devices.length]!;
          // Traccar Client's query form: Unix seconds, speed in knots.
          return { bytes: get(ready.osmandPort, `/?id=${d.identifier}&lat=${d.lat.toFixed(6)}&lon=${(d.lon + (i % 100) * 1e-5).toFixed(6)}&timestamp=${Math.floor(Date.now() / 1000)}&speed=2.7&bearing=90&accuracy=8`) };
        }, ms),
    };
    type Phase = keyof typeof phases;
    const rates: Record<Phase, number[]> = { ceiling: [], app: [], http: [], osmand: [] };
    const cpuPer: Record<Phase, number[]> = { ceiling: [], app: [], http: [], osmand: [] };
    const redisPer: Record<Phase, number[]> = { ceiling: [], app: [], http: [], osmand: [] };
    const failures: string[] = [];
    // A short untimed pass first, so the JIT has compiled every path before anything counts.
    for (const name of Object.keys(phases) as Phase[]) await phases[name](500);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(phases) as Phase[]) {
        const cpu0 = await ask<Cpu>(child, 'cpu');
        const r = await phases[name]();
        const cpu1 = await ask<Cpu>(child, 'cpu');
        seq += r.completed;
        const total = [...r.statuses.values()].reduce((a, b) => a + b, 0);
        const ok = r.statuses.get(200) ?? 0;
        if (ok !== total) failures.push(`${name}: ${JSON.stringify([...r.statuses])}`);
        rates[name].push((r.completed / r.elapsedMs) * 1000);
        cpuPer[name].push((cpu1.serverUs - cpu0.serverUs) / total);
        redisPer[name].push((cpu1.redisUs - cpu0.redisUs) / total);
      }
      console.log(`round ${round + 1}: ${(Object.keys(phases) as Phase[]).map((n) => `${n} ${fmt(rates[n][round]!)}/s (${cpuPer[n][round]!.toFixed(0)} µs CPU)`).join(', ')}`);
    }

    // Every one of the 1,000 devices has reported by now.
    const memoryAfter = await ask<{ heapUsed: number; rss: number; redisBytes: number }>(child, 'memory');

    const batchRates: number[] = [];
    const batchCpu: number[] = [];
    const batchRedis: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let k = 0;
      const cpu0 = await ask<Cpu>(child, 'cpu');
      const r = await load({
        port: ready.port,
        connections: 4,
        depth: 2,
        durationMs: ROUND_MS,
        request: () => {
          const d = devices[k++ % devices.length]!;
          const now = Date.now();
          // A phone's queue after 8 minutes without a network: older than its latest fix.
          const positions = Array.from({ length: BATCH }, (_, j) => `{"lon":${(d.lon + j * 1e-5).toFixed(6)},"lat":${d.lat.toFixed(6)},"time":${now - (BATCH - j) * 500},"speed":1.4,"accuracy":8}`);
          return { bytes: post(ready.port, '/api/positions/batch', `{"deviceId":"${d.identifier}","positions":[${positions.join(',')}]}`) };
        },
      });
      const cpu1 = await ask<Cpu>(child, 'cpu');
      const total = [...r.statuses.values()].reduce((a, b) => a + b, 0);
      if ((r.statuses.get(200) ?? 0) !== total) failures.push(`batch: ${JSON.stringify([...r.statuses])}`);
      batchRates.push(((r.completed * BATCH) / r.elapsedMs) * 1000);
      batchCpu.push((cpu1.serverUs - cpu0.serverUs) / (total * BATCH));
      batchRedis.push((cpu1.redisUs - cpu0.redisUs) / (total * BATCH));
      console.log(`batch round ${round + 1}: ${fmt(batchRates[round]!)} positions/s (${batchCpu[round]!.toFixed(1)} + ${batchRedis[round]!.toFixed(1)} µs CPU a position)`);
    }

    const latency = await latencyPhase(ready, devices, 2000, LATENCY_MS);
    console.log(`latency at ${ready.tickMs} ms tick: p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms (${fmt(latency.sent / (LATENCY_MS / 1000))} positions/s sent)`);
    await stopServer(child);
    server = undefined;

    // The same at a 100 ms tick, same data: what BROADCAST_TICK_MS costs in latency.
    let latency100: Awaited<ReturnType<typeof latencyPhase>> | undefined;
    if (ready.tickMs !== 100 && performance.now() - started > BUDGET_MS) console.log('(skipping the 100 ms tick run: over the time budget)');
    else if (ready.tickMs !== 100) {
      server = await startServer(redis.url, ['--reuse'], { BENCH_TICK_MS: '100' });
      latency100 = await latencyPhase({ ...server.ready, username: ready.username, password: ready.password }, devices, 2000, LATENCY_MS);
      console.log(`latency at 100 ms tick: p50 ${latency100.p50.toFixed(0)} ms, p99 ${latency100.p99.toFixed(0)} ms (${fmt(latency100.sent / (LATENCY_MS / 1000))} positions/s sent)`);
      await stopServer(server.child);
      server = undefined;
    }

    const m = (name: Phase) => ({ rate: median(rates[name]), cpu: median(cpuPer[name]), redis: median(redisPer[name]) });
    const ceiling = m('ceiling');
    const batch = median(batchRates);
    const vs = (x: ReturnType<typeof m>) => `${Math.round((x.rate / ceiling.rate) * 100)} % / ${Math.round((ceiling.cpu / x.cpu) * 100)} %`;
    const target = (x: ReturnType<typeof m>) => `≥ 50 % ${x.rate >= ceiling.rate / 2 ? 'ok' : 'MISSED'}`;
    const row = (label: string, x: ReturnType<typeof m>, t: string) => [label, `${fmt(x.rate)} req/s`, `${x.cpu.toFixed(0)} + ${x.redis.toFixed(0)} µs`, x === ceiling ? '100 %' : vs(x), t];
    const latencyRow = (tick: number, l: typeof latency) => [`accepted → 100 dashboards at 2,000/s, tick ${tick} ms`, `p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms`, '', '', `p99 ≤ 150 ms ${l.p99 <= 150 ? 'ok' : 'MISSED'}`];
    const perThousand = (bytes: number) => `${(((bytes / DEVICES) * 1000) / 1024 / 1024).toFixed(2)} MB`;
    const rows: string[][] = [
      row('ceiling: empty validated Fastify POST', ceiling, ''),
      row('  (empty route inside the app, same hooks)', m('app'), ''),
      row('single-position HTTP ingest', m('http'), target(m('http'))),
      row('OsmAnd ingest (query form, OSMAND_PORT)', m('osmand'), target(m('osmand'))),
      ['batched ingest (1,000 a batch)', `${fmt(batch)} pos/s`, `${median(batchCpu).toFixed(1)} + ${median(batchRedis).toFixed(1)} µs a position`, '', `≥ 50,000/s ${batch >= 50_000 ? 'ok' : 'MISSED'}`],
      latencyRow(ready.tickMs, latency),
      ...(latency100 ? [latencyRow(100, latency100)] : []),
      ['server heap per 1,000 active devices', perThousand(memoryAfter.heapUsed - memoryBefore.heapUsed), '', '', `(rss ${(memoryAfter.rss / 1024 / 1024).toFixed(0)} MB in all)`],
      ['Redis memory per 1,000 active devices', perThousand(memoryAfter.redisBytes - memoryBefore.redisBytes), '', '', '(latest fixes, GEO, this run’s track streams)'],
    ];
    const header = ['measure', 'median', 'CPU/req (server + Redis)', 'vs ceiling (rate / CPU)', 'target'];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
    console.log(`\ningest: medians of ${ROUNDS} rounds of ${ROUND_MS / 1000} s, 32 connections × 8 pipelined requests, 127.0.0.1`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log(`latency: ${fmt(latency.sent)} positions accepted, ${fmt(latency.delivered)} reached the maps (the rest superseded by a newer fix of the same team within the tick), ${fmt(latency.deliveries)} deliveries timed`);
    if (failures.length) console.log(`non-200 answers: ${failures.join('; ')}`);
    console.log(`load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (server) await stopServer(server.child);
    await redis.destroy();
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
