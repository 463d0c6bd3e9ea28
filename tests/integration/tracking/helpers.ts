/**
 * Shared set-up for the tracking tests: a fake clock, a registered device, a dashboard socket
 * that records what it hears, and small request helpers.
 */
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TeamCheckInsBatch, TeamPositionsBatch, TeamStatusBatch } from '@lianfang/server/events';
import type { NewDeviceResponse } from '@lianfang/server/api';
import { waitFor, type TestApp } from '../../helpers/app.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';

/** Spring Festival eve 2027, 20:00 in Shuyang. */
export const T0 = Date.UTC(2027, 1, 16, 12, 0, 0);

/** A clock the test moves by hand. */
export function fakeClock(start = T0) {
  let t = start;
  return {
    now: () => t,
    set: (ms: number) => void (t = ms),
    advance: (ms: number) => void (t += ms),
  };
}
export type FakeClock = ReturnType<typeof fakeClock>;

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Dashboard {
  socket: Client;
  positions: TeamPositionsBatch[];
  checkIns: TeamCheckInsBatch[];
  statuses: TeamStatusBatch[];
  close(): void;
}

/** A map connected as `session`, recording every live message. */
export function dashboard(url: string, session: SignedIn): Promise<Dashboard> {
  const socket: Client = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
  const d: Dashboard = { socket, positions: [], checkIns: [], statuses: [], close: () => socket.disconnect() };
  socket.on('team:positions', (b) => d.positions.push(b));
  socket.on('team:checkins', (b) => d.checkIns.push(b));
  socket.on('team:status', (b) => d.statuses.push(b));
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(d));
    socket.on('connect_error', reject);
  });
}

/** Registers a device for a member of `teamId` as a dispatcher; resolves the 201 body. */
export async function registerDevice(t: TestApp, teamId: string, memberName: string, session?: SignedIn): Promise<NewDeviceResponse> {
  const s = session ?? (await signIn(t, 'dispatcher'));
  const res = await as(s)(`${t.url}/api/teams/${teamId}/devices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ memberName }) });
  if (res.status !== 201) throw new Error(`device registration failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as NewDeviceResponse;
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/**
 * Every tracking key (positions, tracks, dwell, devices, check-ins) with its type and content
 * or size: to show a rejected request wrote nothing. Counters, sessions, the status sweep and
 * other features' keys (coverage, alerts) change on their own and are left out.
 */
export async function storeDigest(t: TestApp): Promise<string[]> {
  const redis = t.app.redis;
  const out: string[] = [];
  const tracked = /^(team:|teams:|device|checkin)/;
  for await (const batch of redis.scanIterator({ MATCH: `${t.app.keys.prefix}*`, COUNT: 1000 })) {
    for (const key of batch) {
      if (!tracked.test(key.slice(t.app.keys.prefix.length)) || key === t.app.keys.teamStatus) continue;
      const type = await redis.type(key);
      const size = type === 'stream' ? await redis.xLen(key) : type === 'hash' ? JSON.stringify(await redis.hGetAll(key)) : type === 'zset' ? await redis.zCard(key) : type === 'string' ? await redis.get(key) : type === 'set' ? await redis.sCard(key) : '';
      out.push(`${key} ${type} ${String(size)}`);
    }
  }
  return out.sort();
}

/**
 * Resolves once a broadcast from `from` reaches `map` (connected to another process): the
 * other process's adapter subscribes asynchronously, and a message sent before that is lost.
 */
export async function crossProcessReady(from: TestApp, map: Dashboard): Promise<void> {
  const marker = -1 - Math.floor(Math.random() * 1e9);
  await waitFor(
    () => {
      from.app.io.to('dashboards').emit('team:status', { changes: [], at: marker });
      return map.statuses.some((s) => s.at === marker);
    },
    20_000,
    100,
  );
}
