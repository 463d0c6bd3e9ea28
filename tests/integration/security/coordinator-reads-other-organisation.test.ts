/**
 * A coordinator reading another organisation's track, check-ins and live incidents. The police
 * station's coordinator (沭城派出所, O-PS: township T-A, team-1) tries the security company's
 * team-2 (金盾保安公司, O-SC, patrolling T-B) over REST and listens on the live feed, where
 * incidents carry the reporter's name and phone. Nothing outside the station's area may reach
 * it; a dispatcher hears everything (the positive control). No sleeps: a later in-area event is
 * the barrier, and Socket.IO keeps a socket's events in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { CheckInsResponse, IncidentActionResponse } from '@lianfang/server/api';
import type { ClientToServerEvents, IncidentsBatch, ServerToClientEvents, TeamCheckInsBatch } from '@lianfang/server/events';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { fakeClock, postJson, registerDevice } from '../tracking/helpers.ts';
import { clientId, POINT } from '../incidents/helpers.ts';

/** L-3 胡集中学 (T-B) at (118.76, 33.84), radius 120 m. */
const AT_L3 = { lon: 118.76, lat: 33.8402 };

interface Listener {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  incidents: IncidentsBatch[];
  checkIns: TeamCheckInsBatch[];
  heardIncident(id: string): boolean;
  heardCheckIn(id: string): boolean;
}

async function listen(t: TestApp, session: SignedIn): Promise<Listener> {
  const socket: Listener['socket'] = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
  const l: Listener = {
    socket,
    incidents: [],
    checkIns: [],
    heardIncident: (id) => l.incidents.some((b) => b.incidents.some((i) => i.id === id)),
    heardCheckIn: (id) => l.checkIns.some((b) => b.checkIns.some((c) => c.id === id)),
  };
  socket.on('incident:changed', (b) => l.incidents.push(b));
  socket.on('team:checkins', (b) => l.checkIns.push(b));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return l;
}

describe("a coordinator reading another organisation's track, check-ins and live incidents", () => {
  const clock = fakeClock();
  let t: TestApp;
  let dispatcher: SignedIn;
  let station: SignedIn; // coordinator of O-PS: T-A and team-1
  let company: SignedIn; // coordinator of O-SC: team-2 only (no township)
  let companyDevice: string;
  const sockets: Listener[] = [];
  const day = () => `from=${clock.now() - 86_400_000}&to=${clock.now() + 1}`;

  async function createIncident(grid: keyof typeof POINT, extra: Record<string, unknown> = {}) {
    const [lon, lat] = POINT[grid];
    const res = await as(dispatcher)(`${t.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: clientId(), category: 'help', lon, lat, description: '有人求助', reporterName: '王大妈', reporterPhone: '13800001111', ...extra }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as IncidentActionResponse).incident;
  }

  /** team-2 checks in at L-3 in T-B, next to a position the server received. */
  async function companyChecksIn(): Promise<string> {
    expect((await postJson(`${t.url}/api/positions`, { deviceId: companyDevice, ...AT_L3, time: clock.now(), accuracy: 10 })).status).toBeLessThan(300);
    const id = clientId();
    const res = await postJson(`${t.url}/api/checkins`, { deviceId: companyDevice, id, locationId: 'L-3', time: clock.now(), ...AT_L3, accuracy: 10 });
    expect(res.status).toBe(201);
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, broadcastTickMs: 20, incidentTickMs: 0, coverageTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher');
    station = await signIn(t, 'coordinator', { organisationId: 'O-PS' });
    company = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    companyDevice = (await registerDevice(t, 'team-2', '李强', dispatcher)).identifier;
    const stationDevice = (await registerDevice(t, 'team-1', '张伟', dispatcher)).identifier;
    await postJson(`${t.url}/api/positions`, { deviceId: stationDevice, lon: 118.62, lat: 33.85, time: clock.now(), accuracy: 10 });
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.disconnect();
    await t?.stop();
  });

  it("refuses the other organisation's track with 403 and answers the coordinator's own team's", async () => {
    const other = await as(station)(`${t.url}/api/teams/team-2/track?${day()}`);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ field: 'params.id', message: expect.stringContaining('outside your area') });
    const own = await as(station)(`${t.url}/api/teams/team-1/track?${day()}`);
    expect(own.status).toBe(200);
    expect(((await own.json()) as { positions: unknown[] }).positions).toHaveLength(1);
    // The company's coordinator reads its own team wherever it patrols.
    expect((await as(company)(`${t.url}/api/teams/team-2/track?${day()}`)).status).toBe(200);
  });

  it("refuses the other organisation's team's check-ins with 403, and leaves its check-ins out of a location's list", async () => {
    const id = await companyChecksIn();
    const other = await as(station)(`${t.url}/api/checkins?teamId=team-2&${day()}`);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ field: 'querystring.teamId', message: expect.stringContaining('outside your area') });
    expect((await as(station)(`${t.url}/api/checkins?teamId=team-1&${day()}`)).status).toBe(200);

    const atL3 = async (who: SignedIn) => ((await (await as(who)(`${t.url}/api/checkins?locationId=L-3&${day()}`)).json()) as CheckInsResponse).checkIns.map((c) => c.id);
    expect(await atL3(station)).toEqual([]);
    expect(await atL3(company)).toEqual([id]);
    expect(await atL3(dispatcher)).toEqual([id]);
  });

  it('never sends the coordinator live incidents or check-ins outside its area, while a dispatcher hears them all', async () => {
    const [stationMap, companyMap, dispatcherMap] = await Promise.all([listen(t, station), listen(t, company), listen(t, dispatcher)]);
    sockets.push(stationMap, companyMap, dispatcherMap);
    clock.advance(60_000);

    // Outside the station's area: an incident in T-B with the reporter's phone, and team-2's check-in.
    const outside = await createIncident('G-B2');
    const checkIn = await companyChecksIn();
    await waitFor(() => dispatcherMap.heardIncident(outside.id) && dispatcherMap.heardCheckIn(checkIn));
    // The company hears its own team's check-in (its organisation's room), not T-B's incident (no township).
    await waitFor(() => companyMap.heardCheckIn(checkIn));

    // The barrier: an incident in T-A, sent after everything above.
    const inside = await createIncident('G-A1');
    await waitFor(() => stationMap.heardIncident(inside.id));
    await waitFor(() => dispatcherMap.heardIncident(inside.id));

    expect(stationMap.incidents.flatMap((b) => b.incidents.map((i) => i.id))).toEqual([inside.id]);
    expect(stationMap.checkIns).toEqual([]);
    expect(companyMap.heardIncident(outside.id)).toBe(false);
    // The phone travelled only with what the station may see.
    expect(JSON.stringify(stationMap.incidents).match(/13800001111/g)).toHaveLength(1);
  });

  it('closes the live socket when the coordinator moves to another organisation, so it cannot keep hearing the old area', async () => {
    const admin = await signIn(t, 'admin');
    const moving = await signIn(t, 'coordinator', { organisationId: 'O-PS' });
    const map = await listen(t, moving);
    sockets.push(map);
    const closed = new Promise<string>((resolve) => map.socket.once('disconnect', resolve));
    const res = await as(admin)(`${t.url}/api/admin/users/${moving.userId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ organisationId: 'O-SC' }) });
    expect(res.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
  });
});
