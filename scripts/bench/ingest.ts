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
 *  7. batched ingest on a local Redis Cluster of three masters, against the single redis-server,
 *     and beside them the same cluster with three replicas and a master and replica behind three
 *     sentinels: five rounds, each running the layouts back to back, the ratio taken within each
 *     round and its median reported, with the server's and the keys' master's CPU per position
 *                                    target cluster ≥ 80 % of single (the replicated layouts shown
 *     for comparison: here each replica applies its master's writes on the same two cores, which
 *     a deployment puts on another host)
 *
 * The harness in harness.ts times synchronous calls; this one needs a load generator, so it
 * keeps its own loop (ingest/load.ts) and prints the same kind of table. The server side is
 * ingest/server.ts, the latency phase ingest/latency.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { latencyPhase } from './ingest/latency.ts';
import { get, load, post } from './ingest/load.ts';
import { ask, DEVICES, startServer, stopServer, type DeviceInfo, type Ready } from './ingest/server.ts';

const ROUND_MS = 3000;
const LATENCY_MS = 6000;
/** Stay within about two minutes even on a busy machine: later phases are skipped past this. */
const BUDGET_MS = 105_000;
const ROUNDS = 3;
/** Phase 7 compares layouts whose rates swing ±20 % on a shared machine: more rounds, ratios within each. */
const REPLICATED_ROUNDS = 5;

interface Replicated {
  single: { rate: number; cpu: Cpu };
  cluster: { rate: number; cpu: Cpu; ratio: number };
  replicatedCluster: { rate: number; cpu: Cpu; ratio: number };
  sentinel: { rate: number; cpu: Cpu; ratio: number };
}
const BATCH = 1000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** Server and Redis CPU per position (Redis: the master that holds the deployment's keys). */
const perPosition = (cpu: Cpu) => `${cpu.serverUs.toFixed(1)} + ${cpu.redisUs.toFixed(1)} µs a position`;

interface Cpu {
  serverUs: number;
  redisUs: number;
}

/** One round of batched ingest: 4 connections × 2 pipelined batches of 1,000 positions. */
function batchLoad(port: number, devices: DeviceInfo[]) {
  let k = 0;
  return load({
    port,
    connections: 4,
    depth: 2,
    durationMs: ROUND_MS,
    request: () => {
      const d = devices[k++ % devices.length]!;
      const now = Date.now();
      // A phone's queue after 8 minutes without a network: older than its latest fix.
      const positions = Array.from({ length: BATCH }, (_, j) => `{"lon":${(d.lon + j * 1e-5).toFixed(6)},"lat":${d.lat.toFixed(6)},"time":${now - (BATCH - j) * 500},"speed":1.4,"accuracy":8}`);
      return { bytes: post(port, '/api/positions/batch', `{"deviceId":"${d.identifier}","positions":[${positions.join(',')}]}`) };
    },
  });
}

/**
 * Phase 7: the same server on a local Redis Cluster of three masters (the target's), on the same
 * with a replica each, and on a master with a replica behind three sentinels, batched ingest
 * rounds alternating with the single-node server's. Every key of the county is in one slot, so
 * one master takes its writes, as one redis-server does; what the cluster may cost is the
 * client's routing and Redis checking each key's slot; a replica costs its master the stream of
 * writes it sends, and here, on two shared cores, the replica's own applying of them; Sentinel
 * adds the relay's hop (redis/sentinel.ts).
 */
async function replicatedPhase(single: { child: ChildProcess; ready: Ready }, singleDevices: DeviceInfo[]): Promise<Replicated> {
  const { startCluster } = await import('../../tests/helpers/cluster.ts');
  const { startSentinel } = await import('../../tests/helpers/sentinel.ts');
  const cluster = await startCluster({ replicas: 0 });
  const replicatedCluster = await startCluster();
  const sentinel = await startSentinel();
  const servers: Array<{ child: ChildProcess; ready: Ready }> = [];
  const nodesOf = (c: typeof cluster) => c.nodes.map((n) => `${n.host}:${n.port}`).join(',');
  try {
    const onCluster = await startServer(cluster.url, [], { REDIS_CLUSTER_NODES: nodesOf(cluster) });
    servers.push(onCluster);
    const onReplicatedCluster = await startServer(replicatedCluster.url, [], { REDIS_CLUSTER_NODES: nodesOf(replicatedCluster) });
    servers.push(onReplicatedCluster);
    const onSentinel = await startServer(sentinel.url, [], { REDIS_SENTINELS: sentinel.sentinels.map((n) => `${n.host}:${n.port}`).join(','), REDIS_SENTINEL_NAME: sentinel.masterName });
    servers.push(onSentinel);
    // Warm-up, as the single server had.
    for (const { ready } of servers) await batchLoad(ready.port, ready.devices);
    const layouts = [
      ['single', single, singleDevices],
      ['cluster', onCluster, onCluster.ready.devices],
      ['replicatedCluster', onReplicatedCluster, onReplicatedCluster.ready.devices],
      ['sentinel', onSentinel, onSentinel.ready.devices],
    ] as const;
    const rates = { single: [] as number[], cluster: [] as number[], replicatedCluster: [] as number[], sentinel: [] as number[] };
    const cpu = { single: [] as Cpu[], cluster: [] as Cpu[], replicatedCluster: [] as Cpu[], sentinel: [] as Cpu[] };
    for (let round = 0; round < REPLICATED_ROUNDS; round++) {
      for (const [name, { child, ready }, devices] of layouts) {
        const cpu0 = await ask<Cpu>(child, 'cpu');
        const r = await batchLoad(ready.port, devices);
        const cpu1 = await ask<Cpu>(child, 'cpu');
        const ok = r.statuses.get(200) ?? 0;
        rates[name].push(((ok * BATCH) / r.elapsedMs) * 1000);
        const refused = [...r.statuses].filter(([status]) => status !== 200);
        if (refused.length > 0) console.log(`  ${name}, round ${round + 1}: answered ${refused.map(([status, n]) => `${status} × ${n}`).join(', ')} besides ${ok} × 200`);
        const positions = Math.max(1, ok * BATCH);
        cpu[name].push({ serverUs: (cpu1.serverUs - cpu0.serverUs) / positions, redisUs: (cpu1.redisUs - cpu0.redisUs) / positions });
      }
      console.log(
        `replicated round ${round + 1}: single ${fmt(rates.single[round]!)}, cluster ${fmt(rates.cluster[round]!)}, cluster with replicas ${fmt(rates.replicatedCluster[round]!)}, sentinel ${fmt(rates.sentinel[round]!)} positions/s`,
      );
    }
    // Each round's layouts ran back to back: the ratio is taken within a round, then the median.
    const ratio = (name: 'cluster' | 'replicatedCluster' | 'sentinel') => median(rates[name].map((r, i) => r / rates.single[i]!));
    const cpuOf = (name: keyof typeof cpu) => ({ serverUs: median(cpu[name].map((c) => c.serverUs)), redisUs: median(cpu[name].map((c) => c.redisUs)) });
    return {
      single: { rate: median(rates.single), cpu: cpuOf('single') },
      cluster: { rate: median(rates.cluster), cpu: cpuOf('cluster'), ratio: ratio('cluster') },
      replicatedCluster: { rate: median(rates.replicatedCluster), cpu: cpuOf('replicatedCluster'), ratio: ratio('replicatedCluster') },
      sentinel: { rate: median(rates.sentinel), cpu: cpuOf('sentinel'), ratio: ratio('sentinel') },
    };
  } finally {
    for (const server of servers) await stopServer(server.child);
    await cluster.destroy();
    await replicatedCluster.destroy();
    await sentinel.destroy();
  }
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
      const cpu0 = await ask<Cpu>(child, 'cpu');
      const r = await batchLoad(ready.port, devices);
      const cpu1 = await ask<Cpu>(child, 'cpu');
      const total = [...r.statuses.values()].reduce((a, b) => a + b, 0);
      if ((r.statuses.get(200) ?? 0) !== total) failures.push(`batch: ${JSON.stringify([...r.statuses])}`);
      batchRates.push(((r.completed * BATCH) / r.elapsedMs) * 1000);
      batchCpu.push((cpu1.serverUs - cpu0.serverUs) / (total * BATCH));
      batchRedis.push((cpu1.redisUs - cpu0.redisUs) / (total * BATCH));
      console.log(`batch round ${round + 1}: ${fmt(batchRates[round]!)} positions/s (${batchCpu[round]!.toFixed(1)} + ${batchRedis[round]!.toFixed(1)} µs CPU a position)`);
    }

    // Kept for the cluster comparison (phase 7), which runs this same server against a cluster's.
    const singleServer = server;
    const latency = await latencyPhase(ready, devices, 2000, LATENCY_MS);
    console.log(`latency at ${ready.tickMs} ms tick: p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms (${fmt(latency.sent / (LATENCY_MS / 1000))} positions/s sent)`);

    const replicated = await replicatedPhase(singleServer, devices);
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
      ['batched ingest, single redis-server (phase 7)', `${fmt(replicated.single.rate)} pos/s`, perPosition(replicated.single.cpu), '', ''],
      [
        'batched ingest, Redis Cluster of 3 masters',
        `${fmt(replicated.cluster.rate)} pos/s`,
        perPosition(replicated.cluster.cpu),
        `${Math.round(replicated.cluster.ratio * 100)} % of single`,
        `≥ 80 % ${replicated.cluster.ratio >= 0.8 ? 'ok' : 'MISSED'}`,
      ],
      [
        'batched ingest, the cluster with 3 replicas',
        `${fmt(replicated.replicatedCluster.rate)} pos/s`,
        perPosition(replicated.replicatedCluster.cpu),
        `${Math.round(replicated.replicatedCluster.ratio * 100)} % of single`,
        '(no target: replicas on the same 2 cores)',
      ],
      ['batched ingest, master + replica behind Sentinel', `${fmt(replicated.sentinel.rate)} pos/s`, perPosition(replicated.sentinel.cpu), `${Math.round(replicated.sentinel.ratio * 100)} % of single`, '(no target: for comparison)'],
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
