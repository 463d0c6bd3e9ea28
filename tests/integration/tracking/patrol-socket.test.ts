import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { CheckInAck, PatrolIdentity } from '@lianfang/server/events';
import type { PositionsAccepted } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { dashboard, fakeClock, registerDevice, T0, type Client, type Dashboard } from './helpers.ts';

type Ack<T> = { data: T } | { error: { message: string; field?: string } };

function patrolSocket(url: string, options: { device?: string; cookie?: string; namespace?: string }): Promise<Client> {
  const socket: Client = connect(`${url}${options.namespace ?? '/patrol'}`, {
    transports: ['websocket'],
    reconnection: false,
    auth: options.device ? { device: options.device } : {},
    extraHeaders: options.cookie ? { cookie: options.cookie } : {},
  });
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (err) => reject(err));
  });
}

describe('patrol socket', () => {
  const clock = fakeClock(T0);
  let t: TestApp;
  let dispatcher: SignedIn;
  let map: Dashboard;

  beforeAll(async () => {
    t = await startTestApp({ clock, broadcastTickMs: 20 });
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher');
    map = await dashboard(t.url, dispatcher);
  });
  afterAll(async () => {
    map?.close();
    await t?.stop();
  });

  it('tells a device who it reports for, with the key locations of its grids', async () => {
    const { identifier, device } = await registerDevice(t, 'team-1', '张伟', dispatcher);
    const socket = await patrolSocket(t.url, { device: identifier.toUpperCase() });
    try {
      const res = (await socket.emitWithAck('patrol:whoami')) as Ack<PatrolIdentity>;
      expect(res).toMatchObject({ data: { teamId: 'team-1', callSign: '沭城巡01', memberName: '张伟', deviceId: device.id } });
      expect('data' in res && res.data.locations.map((l) => l.id)).toEqual(['L-1', 'L-2']);
    } finally {
      socket.disconnect();
    }
  });

  it("moves the device's own team on the maps, acknowledged once in Redis", async () => {
    const { identifier } = await registerDevice(t, 'team-1', '张伟', dispatcher);
    const socket = await patrolSocket(t.url, { device: identifier });
    try {
      const time = clock.now();
      const res = (await socket.emitWithAck('patrol:position', { positions: [{ lon: 118.631, lat: 33.851, time, accuracy: 7 }] })) as Ack<PositionsAccepted>;
      expect(res).toEqual({ data: { accepted: 1, moved: true, older: 0, flagged: 0, checkIns: [] } });
      expect(await t.app.redis.hGet(t.app.keys.teamPosition('team-1'), 'lon')).toBe('118.631');
      await waitFor(() => map.positions.some((b) => b.positions.some((p) => p.teamId === 'team-1' && p.lon === 118.631)));
    } finally {
      socket.disconnect();
    }
  });

  it('answers a malformed payload with an error naming the field, writing nothing', async () => {
    const { identifier } = await registerDevice(t, 'team-1', '张伟', dispatcher);
    const socket = await patrolSocket(t.url, { device: identifier });
    try {
      const before = await t.app.redis.xLen(t.app.keys.teamTrack('team-1'));
      for (const [payload, field] of [
        [{ positions: [{ lon: 118.63, lat: '33.85', time: clock.now() }] }, 'positions.0.lat'],
        [{ positions: [] }, 'positions'],
        [{}, 'positions'],
        [{ positions: [{ lon: 118.63, lat: 33.85, time: clock.now() + 3_600_000 }] }, 'positions.0.time'],
      ] as const) {
        const res = (await socket.emitWithAck('patrol:position', payload as never)) as Ack<unknown>;
        expect(res).toMatchObject({ error: { field } });
      }
      expect(await t.app.redis.xLen(t.app.keys.teamTrack('team-1'))).toBe(before);
    } finally {
      socket.disconnect();
    }
  });

  it('lets a signed-in patrol account report only for its own team, and refuses a dispatcher', async () => {
    const patrol = await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' });
    const socket = await patrolSocket(t.url, { cookie: patrol.cookie });
    const main = await patrolSocket(t.url, { cookie: dispatcher.cookie, namespace: '/' });
    try {
      const res = (await socket.emitWithAck('patrol:position', { positions: [{ lon: 118.722, lat: 33.852, time: clock.now() }] })) as Ack<PositionsAccepted>;
      expect(res).toMatchObject({ data: { accepted: 1 } });
      expect(await t.app.redis.hGet(t.app.keys.teamPosition('team-2'), 'lon')).toBe('118.722');
      expect(await t.app.redis.hGet(t.app.keys.teamPosition('team-1'), 'lon')).not.toBe('118.722');
      // A dispatcher's map socket does not get the patrol events at all.
      await expect(main.timeout(300).emitWithAck('patrol:position', { positions: [{ lon: 118.7, lat: 33.85, time: clock.now() }] })).rejects.toThrow();
      // Nor may it open the patrol namespace.
      await expect(patrolSocket(t.url, { cookie: dispatcher.cookie })).rejects.toThrow('unauthorized');
    } finally {
      socket.disconnect();
      main.disconnect();
    }
  });

  it('refuses an unknown device at the handshake', async () => {
    await expect(patrolSocket(t.url, { device: 'g'.repeat(26) })).rejects.toThrow('unknown device');
    await expect(patrolSocket(t.url, {})).rejects.toThrow('unauthorized');
  });

  it('cuts a revoked device off at once, and refuses it when it comes back', async () => {
    const { identifier, device } = await registerDevice(t, 'team-2', '李强', dispatcher);
    const socket = await patrolSocket(t.url, { device: identifier });
    const gone = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));
    expect((await as(dispatcher)(`${t.url}/api/teams/team-2/devices/${device.id}`, { method: 'DELETE' })).status).toBe(200);
    await gone;
    await expect(patrolSocket(t.url, { device: identifier })).rejects.toThrow('revoked device');
  });

  it('checks in over the socket, answering a too-distant one with the distance', async () => {
    const { identifier } = await registerDevice(t, 'team-1', '张伟', dispatcher);
    const socket = await patrolSocket(t.url, { device: identifier });
    const heard: string[] = [];
    socket.on('team:checkins', (b) => heard.push(...b.checkIns.map((c) => c.id)));
    try {
      const far = (await socket.emitWithAck('patrol:checkin', { id: 'sock-far-0001', locationId: 'L-1', lon: 118.62, lat: 33.86, accuracy: 5, time: clock.now() })) as CheckInAck;
      expect(far).toMatchObject({ error: { field: 'lon', allowed: 155 } });
      expect('error' in far && far.error.distance).toBeCloseTo(1112, -1);
      // The page sends its position before checking in (the outbox's order): the check-in's evidence.
      await socket.emitWithAck('patrol:position', { positions: [{ lon: 118.62, lat: 33.8501, time: clock.now() - 1000, accuracy: 5 }] });
      const ok = (await socket.emitWithAck('patrol:checkin', { id: 'sock-near-0001', locationId: 'L-1', lon: 118.62, lat: 33.8501, accuracy: 5, time: clock.now() })) as CheckInAck;
      expect(ok).toMatchObject({ data: { duplicate: false, checkIn: { id: 'sock-near-0001', kind: 'explicit' } } });
      // The patrol page hears its own team's check-ins too.
      await waitFor(() => heard.includes('sock-near-0001'));
    } finally {
      socket.disconnect();
    }
  });

  it('ends the shift: the maps see the team off duty', async () => {
    const { identifier } = await registerDevice(t, 'team-1', '张伟', dispatcher);
    const socket = await patrolSocket(t.url, { device: identifier });
    try {
      const res = (await socket.emitWithAck('patrol:duty', { onDuty: false })) as Ack<{ status: string }>;
      expect(res).toEqual({ data: { status: 'off_duty' } });
      await waitFor(() => map.statuses.some((b) => b.changes.some((c) => c.teamId === 'team-1' && c.status === 'off_duty' && c.since === clock.now())));
      expect(await socket.emitWithAck('patrol:duty', { onDuty: 'no' } as never)).toMatchObject({ error: { field: 'onDuty' } });
    } finally {
      socket.disconnect();
    }
  });

  it('raises an SOS from a device link on every dashboard, once however often it is pressed', async () => {
    const { identifier } = await registerDevice(t, 'team-2', '李强', dispatcher);
    const raised: { alerts: { kind: string; teamId: string | null }[] }[] = [];
    map.socket.on('alert:raised', (b) => raised.push(b as never));
    const socket = await patrolSocket(t.url, { device: identifier });
    try {
      const first = (await socket.emitWithAck('patrol:sos', { lon: 118.72, lat: 33.85 })) as Ack<{ alertId: string; created: boolean }>;
      const again = (await socket.emitWithAck('patrol:sos', {})) as Ack<{ alertId: string; created: boolean }>;
      expect(first).toMatchObject({ data: { created: true } });
      expect(again).toMatchObject({ data: { created: false } });
      expect('data' in again && 'data' in first && again.data.alertId).toBe('data' in first && first.data.alertId);
      await waitFor(() => raised.some((b) => b.alerts.some((a) => a.kind === 'sos' && a.teamId === 'team-2')), 5000);
      const bad = (await socket.emitWithAck('patrol:sos', { lon: 118.72 })) as Ack<unknown>;
      expect(bad).toMatchObject({ error: { field: 'lat' } });
    } finally {
      socket.disconnect();
    }
  });
});
