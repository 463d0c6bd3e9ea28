/** The ingest benchmark's latency phase: from a position accepted to its arrival at 100 connected dashboards. */
import { load, post } from './load.ts';
import type { DeviceInfo, Ready } from './server.ts';

function percentile(sorted: Float64Array | number[], q: number): number {
  // None delivered (a machine too loaded to keep up): NaN, printed as such, instead of a crash.
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function latencyPhase(ready: Ready, devices: DeviceInfo[], rate: number, durationMs: number): Promise<{ p50: number; p99: number; deliveries: number; delivered: number; sent: number }> {
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
