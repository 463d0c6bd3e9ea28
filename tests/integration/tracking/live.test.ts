import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TeamPositionsBatch } from '@lianfang/server/events';
import type { TeamsResponse } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import type { TestRedis } from '../../helpers/redis.ts';
import { STORES, startStore } from '../../helpers/stores.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { fakeClock } from './helpers.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function dashboard(url: string, session: SignedIn): Promise<{ socket: Client; batches: TeamPositionsBatch[] }> {
  const socket: Client = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
  const batches: TeamPositionsBatch[] = [];
  socket.on('team:positions', (b) => batches.push(b));
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve({ socket, batches }));
    socket.on('connect_error', reject);
  });
}

const T0 = Date.UTC(2027, 1, 16, 12, 0, 0); // Spring Festival eve 2027, 20:00 in Shuyang

describe.each(STORES)('live positions (%s Redis)', (store) => {
  const clock = fakeClock(T0);
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let dispatcher: SignedIn;
  beforeAll(async () => {
    redis = await startStore(store);
    // Two server processes on one Redis, as when users outgrow one machine.
    // One clock at T0 for both: the fixes below are checked against it like a phone's.
    a = await startTestApp({ redis, broadcastTickMs: 50, clock });
    b = await startTestApp({ redis, broadcastTickMs: 50, clock });
    await seedCounty(a.app, smallCounty());
    dispatcher = await signIn(a, 'dispatcher');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('lists every team in the snapshot, with null position before it reports', async () => {
    const res = await as(dispatcher)(`${a.url}/api/teams`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TeamsResponse;
    expect(body.teams.map((t) => t.callSign)).toEqual(['沭城巡01', '金盾02']);
    expect(body.teams[0]).toMatchObject({ id: 'team-1', agency: 'police', lon: null, lat: null, time: null });
  });

  it('pushes a recorded position to a map connected to another server process, and the snapshot shows it', async () => {
    const viewer = await dashboard(b.url, dispatcher);
    try {
      // A fresh process's Redis subscription settles asynchronously: wait until a broadcast crosses.
      await waitFor(() => {
        a.app.io.to('dashboards').emit('team:positions', { positions: [], at: -1 });
        return viewer.batches.some((x) => x.at === -1);
      }, 20_000, 100);
      await report(a.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: T0, heading: 90, speed: 1.4 }]);
      await waitFor(() => viewer.batches.some((x) => x.positions.some((p) => p.teamId === 'team-1' && p.time === T0)), 5000);
      const teams = ((await (await as(dispatcher)(`${b.url}/api/teams`)).json()) as TeamsResponse).teams;
      expect(teams.find((t) => t.id === 'team-1')).toMatchObject({ lon: 118.62, lat: 33.85, time: T0, heading: 90 });
    } finally {
      viewer.socket.disconnect();
    }
  });

  it('coalesces 200 fixes from one team within a tick into one entry with the newest', async () => {
    const viewer = await dashboard(a.url, dispatcher);
    try {
      const fixes = Array.from({ length: 200 }, (_, i) => ({ lon: 118.71 + i * 1e-5, lat: 33.85, time: T0 + 1000 + i }));
      await report(a.app, 'team-2', fixes);
      await waitFor(() => viewer.batches.some((x) => x.positions.some((p) => p.teamId === 'team-2')), 5000);
      const entries = viewer.batches.flatMap((x) => x.positions.filter((p) => p.teamId === 'team-2'));
      expect(entries.length).toBeLessThanOrEqual(2);
      expect(entries.at(-1)?.time).toBe(T0 + 1199);
    } finally {
      viewer.socket.disconnect();
    }
  });

  it('keeps a late fix in history without moving the marker back', async () => {
    const result = await report(a.app, 'team-1', [{ lon: 118.6, lat: 33.8, time: T0 - 60_000 }]);
    expect(result).toMatchObject({ accepted: 1, moved: false, older: 1 });
    const teams = ((await (await as(dispatcher)(`${a.url}/api/teams`)).json()) as TeamsResponse).teams;
    expect(teams.find((t) => t.id === 'team-1')).toMatchObject({ lon: 118.62, time: T0 });
    expect(await a.app.redis.xLen(a.app.keys.teamTrack('team-1'))).toBe(2);
  });
});
