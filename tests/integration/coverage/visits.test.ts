/**
 * How visits reach the engine (a patrol's check-in, or the check-in streams after a process
 * died in between), the nearest available teams for an uncovered location and sending one,
 * and the coverage report of a period (JSON and CSV).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, VisitRequest } from '@lianfang/server/events';
import type { AlertView, CoverageReportResponse, NearestTeamsResponse } from '@lianfang/server/api';
import type { Socket } from 'socket.io-client';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { toRecord } from '../../../server/src/checkins/record.ts';
import { client, FakeClock, json, MIN, sh, type Client } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);

describe('visits, nearest teams and the report', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: Client;
  let patrolSession: SignedIn;
  let patrol: Client;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    const admin = client(t, await signIn(t, 'admin'));
    dispatcher = client(t, await signIn(t, 'dispatcher'));
    patrolSession = await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' });
    patrol = client(t, patrolSession);
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T12:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station', 'school'], maxGapMinutes: 60 }));
    await t.app.coverage.engine.tick(T0);
  });
  afterAll(async () => t?.stop());

  /** A patrol checks in, its phone having reported the position there first (the check-in's evidence). */
  const checkIn = async (id: string, locationId: string, time: number, lon: number, lat: number) => {
    clock.set(time);
    await report(t.app, 'team-1', [{ lon, lat, time, accuracy: 5 }]);
    return patrol.post('/api/checkins', { id, locationId, time, lon, lat, accuracy: 5 });
  };

  it('turns a location green the moment a patrol checks in there', async () => {
    await t.app.coverage.engine.tick(clock.set(T0 + 61 * MIN));
    expect((await dispatcher.coverage()).states['L-1']).toBe('uncovered');
    const res = await checkIn('visit-0001', 'L-1', T0 + 70 * MIN, 118.62, 33.85);
    expect(res.status).toBe(201);
    // No tick, no reconciliation: the check-in code told the engine.
    await waitFor(async () => (await dispatcher.coverage()).states['L-1'] === 'covered', 2000);
    expect((await dispatcher.coverage()).deadlines['L-1']).toBe(T0 + 130 * MIN);
    const resolved = (await dispatcher.alerts('?state=resolved')).find((a) => a.townshipId === 'T-A' && a.kind === 'uncovered');
    expect(resolved?.resolved).toMatchObject({ reason: 'visited', note: 'team-1' });
  });

  it('picks up a check-in the engine never heard of (a process died in between) from the streams', async () => {
    expect((await dispatcher.coverage()).states['L-3']).toBe('uncovered');
    const time = T0 + 75 * MIN;
    const { fields } = toRecord({ id: 'lost-1', teamId: 'team-2', locationId: 'L-3', kind: 'explicit', time, lon: 118.76, lat: 33.84, accuracy: 5, distance: 3, by: 'dev', at: time });
    await t.app.redis.xAdd(t.app.keys.locationCheckins('L-3'), `${time}-0`, Object.fromEntries(fields.reduce<[string, string][]>((pairs, v, i) => (i % 2 ? pairs : [...pairs, [v, fields[i + 1]!]]), [])));
    clock.set(T0 + 76 * MIN);
    await t.app.coverage.scheduler.step(T0 + 76 * MIN);
    expect((await dispatcher.coverage()).states['L-3']).toBe('covered');
    expect((await dispatcher.coverage()).deadlines['L-3']).toBe(time + 60 * MIN);
  });

  it('lists the nearest available teams for a location, nearest first, with distance and status', async () => {
    clock.set(T0 + 80 * MIN);
    await report(t.app, 'team-1', [{ lon: 118.64, lat: 33.85, time: clock.now() }]);
    await report(t.app, 'team-2', [{ lon: 118.72, lat: 33.85, time: clock.now() }]);
    await t.app.teams.status.sweep();
    const near = await json<NearestTeamsResponse>(await dispatcher.get('/api/coverage/locations/L-1/teams'));
    expect(near.teams.map((x) => [x.id, x.status, x.available])).toEqual([
      ['team-1', 'on_patrol', true],
      ['team-2', 'on_patrol', true],
    ]);
    expect(near.teams[0]!.distance).toBeGreaterThan(1700);
    expect(near.teams[0]!.distance).toBeLessThan(2000);
    await t.app.teams.status.setResponding('team-1', true);
    expect((await json<NearestTeamsResponse>(await dispatcher.get('/api/coverage/locations/L-1/teams'))).teams.map((x) => x.id)).toEqual(['team-2']);
    expect((await json<NearestTeamsResponse>(await dispatcher.get('/api/coverage/locations/L-1/teams?all=true'))).teams.map((x) => [x.id, x.available])).toEqual([
      ['team-1', false],
      ['team-2', true],
    ]);
    await t.app.teams.status.setResponding('team-1', false);
    expect((await dispatcher.get('/api/coverage/locations/nowhere/teams')).status).toBe(404);
  });

  it('sends a team to a location: its patrol page hears it, its township\'s open alert notes it, the audit keeps it', async () => {
    await t.app.coverage.engine.tick(clock.set(T0 + 131 * MIN));
    const alert = (await dispatcher.alerts()).find((a) => a.townshipId === 'T-A' && a.kind === 'uncovered')!;
    const phone: Socket<ServerToClientEvents, ClientToServerEvents> = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: patrolSession.cookie } });
    const heard: VisitRequest[] = [];
    phone.on('coverage:send', (r) => heard.push(r));
    await new Promise<void>((resolve, reject) => (phone.on('connect', () => resolve()), phone.on('connect_error', reject)));
    try {
      const res = await json<{ alerts: AlertView[] }>(await dispatcher.post('/api/coverage/locations/L-1/send', { teamId: 'team-1', note: '请前往汽车站' }));
      expect(res.alerts.find((a) => a.id === alert.id)?.sent).toMatchObject({ teamId: 'team-1', locationId: 'L-1' });
      await waitFor(() => heard.length > 0, 2000);
      expect(heard[0]).toMatchObject({ locationId: 'L-1', name: '沭阳汽车站', note: '请前往汽车站' });
    } finally {
      phone.disconnect();
    }
    const coordinator = client(t, await signIn(t, 'coordinator', { organisationId: 'O-SC' }));
    expect((await coordinator.post('/api/coverage/locations/L-1/send', { teamId: 'team-1' })).status).toBe(403);
    expect((await dispatcher.post('/api/coverage/locations/L-1/send', { teamId: 'nobody' })).status).toBe(400);
    expect((await t.app.audit.list({ action: 'dispatch', limit: 5 })).some((e) => e.target === 'location:L-1')).toBe(true);
  });

  it('reports per location the visits, the longest gap and the share of the period it was covered, also as CSV', async () => {
    const report = await json<CoverageReportResponse>(await dispatcher.get('/api/coverage/report?periodId=fair'));
    expect(report.from).toBe(T0);
    expect(report.to).toBe(sh(2026, 3, 10, 11, 11));
    const station = report.rows.find((r) => r.locationId === 'L-1')!;
    // 09:00–11:11: a visit at 10:10; uncovered 10:00–10:10 and after 11:10.
    expect(station).toMatchObject({ visits: 1, agencies: ['police'], activeMinutes: 131, longestGapMinutes: 70 });
    expect(station.coveredShare).toBeCloseTo(120 / 131, 3);
    expect(report.rows.map((r) => r.locationId).sort()).toEqual(['L-1', 'L-3']);

    const csv = await dispatcher.get('/api/coverage/report?periodId=fair&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel reads the Chinese right
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[1]).toMatch(/^L-1,沭阳汽车站,station,1,T-A,G-A1,1,police,131,91\.6,70$/);
  });

  it('refuses a report window it cannot answer, naming the field', async () => {
    const noFrom = await dispatcher.get('/api/coverage/report');
    expect(noFrom.status).toBe(400);
    expect(((await noFrom.json()) as { field: string }).field).toBe('query.from');
    const backwards = await dispatcher.get(`/api/coverage/report?from=${T0}&to=${T0 - 1}`);
    expect(((await backwards.json()) as { field: string }).field).toBe('query.to');
    const unknown = await dispatcher.get('/api/coverage/report?periodId=nope');
    expect(((await unknown.json()) as { field: string }).field).toBe('query.periodId');
  });
});
