/**
 * Patrol assignments (排班) as coordinators and dispatchers meet them: putting a team on grids
 * and key locations for a shift, what is refused and why, the live message, and what the
 * coverage engine and the nearest-team suggestions make of a shift.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { AssignmentsBatch, ClientToServerEvents, ServerToClientEvents } from '@lianfang/server/events';
import type { Assignment, AssignmentsResponse, NearbyTeamsResponse } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh, type Client } from '../coverage/helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const HOUR = 60 * MIN;
let seq = 0;
const newId = () => `shift-${process.pid}-${++seq}`;

describe('patrol assignments', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: Client;
  let dispatcherSession: SignedIn;
  let companyCoordinator: Client; // 金盾保安公司 (O-SC): team-2
  let stationCoordinator: Client; // 沭城派出所 (O-PS): team-1
  let leader: Client;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, outsideGraceS: 60, broadcastTickMs: 50 });
    await seedCounty(t.app, smallCounty());
    dispatcherSession = await signIn(t, 'dispatcher');
    dispatcher = client(t, dispatcherSession);
    companyCoordinator = client(t, await signIn(t, 'coordinator', { organisationId: 'O-SC' }));
    stationCoordinator = client(t, await signIn(t, 'coordinator', { organisationId: 'O-PS' }));
    leader = client(t, await signIn(t, 'leader'));
  });
  afterAll(async () => t?.stop());

  beforeEach(async () => {
    const k = t.app.keys;
    await t.app.redis.del([k.assignments, k.assignmentStarts, k.teamAssignments('team-1'), k.teamAssignments('team-2'), k.alerts, k.alertsOpen, k.alertSubjects, k.alertOutside, k.teamStatus]);
    // Positions too: a fix no newer than the latest would not move the team, and one at a fix
    // time reported in an earlier test would be taken for a resend (ingest's resend guard).
    await t.app.redis.del([k.teamPosition('team-1'), k.teamPosition('team-2'), k.teamGeo, k.teamTrack('team-1'), k.teamTrack('team-2'), k.teamFixes('team-1'), k.teamFixes('team-2')]);
    await t.app.redis.incr(k.assignmentVersion);
    clock.set(T0);
  });

  const shift = (over: Partial<Assignment> = {}) => ({ id: newId(), teamId: 'team-2', gridIds: ['G-B2'], locationIds: ['L-3'], from: T0, to: T0 + 8 * HOUR, ...over });

  async function refused(res: Response): Promise<{ status: number; field: string; message: string; code: string; params?: Record<string, string | number> }> {
    const body = (await res.json()) as { field: string; message: string; code: string; params?: Record<string, string | number> };
    return { status: res.status, ...body };
  }

  it('puts a team on grids and key locations for a shift, answers a retry with the same shift, and audits it once', async () => {
    const body = shift();
    const first = await companyCoordinator.post('/api/assignments', body);
    expect(first.status).toBe(201);
    const created = (await first.json()) as Assignment;
    expect(created).toEqual({ ...body, by: expect.stringMatching(/^coordinator-/), createdAt: T0 });
    const again = await companyCoordinator.post('/api/assignments', body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(created);

    const active = await json<AssignmentsResponse>(await leader.get(`/api/assignments?at=${T0 + HOUR}`));
    expect(active.assignments).toEqual([created]);
    expect((await json<AssignmentsResponse>(await leader.get(`/api/assignments?at=${T0 + 9 * HOUR}`))).assignments).toEqual([]);
    const audit = await t.app.audit.list({ action: 'assignment', limit: 50 });
    expect(audit.filter((e) => e.target === `assignment:${body.id}`)).toHaveLength(1);
  });

  it("lists a team's current and coming shifts, earliest first", async () => {
    const later = shift({ from: T0 + 10 * HOUR, to: T0 + 18 * HOUR });
    const now = shift();
    await json(await dispatcher.post('/api/assignments', later));
    await json(await dispatcher.post('/api/assignments', now));
    await json(await dispatcher.post('/api/assignments', shift({ teamId: 'team-1', gridIds: ['G-A1'], locationIds: [] })));
    const listed = await json<AssignmentsResponse>(await dispatcher.get(`/api/assignments?teamId=team-2&at=${T0 + HOUR}`));
    expect(listed.assignments.map((a) => a.id)).toEqual([now.id, later.id]);
  });

  it.each([
    ['an id that is too short', { id: 'x' }, 'body.id', /pattern|match/],
    ['an unknown team', { teamId: 'team-9' }, 'body.teamId', /team-9/],
    ['an unknown grid', { gridIds: ['G-B2', 'G-Z9'] }, 'body.gridIds', /G-Z9/],
    ['an unknown key location', { locationIds: ['L-404'] }, 'body.locationIds', /L-404/],
    ['neither grids nor key locations', { gridIds: [], locationIds: [] }, 'body.gridIds', /at least one/],
    ['an end before the start', { from: T0 + 2 * HOUR, to: T0 + HOUR }, 'body.to', /after it starts/],
    ['an end equal to the start', { from: T0 + HOUR, to: T0 + HOUR }, 'body.to', /after it starts/],
    ['a shift over 24 hours', { from: T0, to: T0 + 24 * HOUR + 1 }, 'body.to', /24 hours/],
    ['a shift that has already ended', { from: T0 - 9 * HOUR, to: T0 - HOUR }, 'body.to', /already ended/],
    ['a start that is not a number', { from: 'tomorrow' }, 'body.from', /integer/],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_name, over, field, message) => {
    const res = await dispatcher.post('/api/assignments', shift(over as Partial<Assignment>));
    const r = await refused(res);
    expect(r).toMatchObject({ status: 400, field });
    expect(r.message).toMatch(message);
    expect(await t.app.redis.hLen(t.app.keys.assignments)).toBe(0);
  });

  it("refuses a coordinator another organisation's team with 403, and lets it assign its own", async () => {
    const r = await refused(await stationCoordinator.post('/api/assignments', shift({ teamId: 'team-2' })));
    expect(r).toMatchObject({ status: 403, field: 'body.teamId' });
    expect(await t.app.redis.hLen(t.app.keys.assignments)).toBe(0);
    expect((await stationCoordinator.post('/api/assignments', shift({ teamId: 'team-1', gridIds: ['G-A2'], locationIds: [] }))).status).toBe(201);
    expect((await leader.post('/api/assignments', shift())).status).toBe(403);
  });

  it("refuses a coordinator removing another organisation's shift, and lets the owner remove it once", async () => {
    const body = shift();
    await json(await companyCoordinator.post('/api/assignments', body));
    expect((await refused(await stationCoordinator.del(`/api/assignments/${body.id}`))).status).toBe(403);
    expect((await companyCoordinator.del(`/api/assignments/${body.id}`)).status).toBe(204);
    expect(await refused(await companyCoordinator.del(`/api/assignments/${body.id}`))).toMatchObject({ status: 404, field: 'params.id' });
    expect((await json<AssignmentsResponse>(await leader.get(`/api/assignments?at=${T0 + HOUR}`))).assignments).toEqual([]);
    const audit = await t.app.audit.list({ action: 'assignment', limit: 50 });
    expect(audit.filter((e) => e.target === `assignment:${body.id}`).map((e) => e.detail.op)).toEqual(['delete', 'create']);
  });

  it('refuses a shift overlapping the same team’s other shift with 409 naming it, and takes one that starts as the other ends', async () => {
    const day = shift({ from: T0, to: T0 + 8 * HOUR });
    await json(await dispatcher.post('/api/assignments', day));
    const r = await refused(await dispatcher.post('/api/assignments', shift({ from: T0 + 7 * HOUR, to: T0 + 15 * HOUR })));
    expect(r.status).toBe(409);
    expect(r.message).toContain(day.id);
    // The code and the other shift's times let the screen say it in the user's language and time zone.
    expect(r).toMatchObject({ code: 'shift_overlap', params: { from: day.from, to: day.to } });
    expect((await dispatcher.post('/api/assignments', shift({ from: T0 + 8 * HOUR, to: T0 + 16 * HOUR }))).status).toBe(201);
    // Another team may have the same hours.
    expect((await dispatcher.post('/api/assignments', shift({ teamId: 'team-1', gridIds: ['G-A1'], locationIds: [] }))).status).toBe(201);
  });

  it('refuses a different shift sent under an id already used, with 409', async () => {
    const body = shift();
    await json(await dispatcher.post('/api/assignments', body));
    expect(await refused(await dispatcher.post('/api/assignments', { ...body, gridIds: ['G-B1'] }))).toMatchObject({ status: 409, field: 'body.id' });
  });

  it('gives two coordinators racing to put one team on overlapping shifts exactly one of them', async () => {
    const results = await Promise.all([0, 1, 2, 3].map((i) => dispatcher.post('/api/assignments', shift({ from: T0 + i * MIN, to: T0 + 4 * HOUR }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it('tells every dashboard when a shift is created and removed', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: dispatcherSession.cookie } });
    const heard: AssignmentsBatch[] = [];
    socket.on('assignment:changed', (b) => heard.push(b));
    await new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject)));
    try {
      const body = shift();
      const created = await json<Assignment>(await companyCoordinator.post('/api/assignments', body));
      await waitFor(() => heard.length === 1);
      expect(heard[0]).toEqual({ assignments: [created], removed: [], at: T0 });
      await companyCoordinator.del(`/api/assignments/${body.id}`);
      await waitFor(() => heard.length === 2);
      expect(heard[1]).toEqual({ assignments: [], removed: [body.id], at: T0 });
    } finally {
      socket.disconnect();
    }
  });

  describe('coverage', () => {
    /** team-2 reports from a point, is on patrol, and the grace passes: answers its open team_outside alerts. */
    async function outsideAfterGrace(lon: number, from: number) {
      clock.set(from);
      await report(t.app, 'team-2', [{ lon, lat: 33.85, time: from }]);
      await t.app.teams.status.sweep();
      await t.app.alerts.sweepTeams(from);
      clock.set(from + 61_000);
      await report(t.app, 'team-2', [{ lon: lon + 0.0001, lat: 33.85, time: from + 61_000 }]);
      await t.app.alerts.sweepTeams(from + 61_000);
      return dispatcher.alerts('?kind=team_outside');
    }

    it("raises team-outside for a team in its standing grid but outside its shift's grids", async () => {
      // team-2 stands in G-B1 (118.70–118.75); the shift puts it in G-B2.
      await json(await dispatcher.post('/api/assignments', shift({ gridIds: ['G-B2'], locationIds: [] })));
      expect(await outsideAfterGrace(118.72, T0 + MIN)).toEqual([expect.objectContaining({ teamId: 'team-2', kind: 'team_outside' })]);
    });

    it("raises nothing for a team outside its standing grids but inside its shift's", async () => {
      await json(await dispatcher.post('/api/assignments', shift({ gridIds: ['G-B2'], locationIds: [] })));
      expect(await outsideAfterGrace(118.77, T0 + MIN)).toEqual([]);
    });

    it("counts the grid of a shift's key location as assigned", async () => {
      await json(await dispatcher.post('/api/assignments', shift({ gridIds: [], locationIds: ['L-3'] }))); // L-3 lies in G-B2
      expect(await outsideAfterGrace(118.77, T0 + MIN)).toEqual([]);
    });

    it('goes back to the standing grids the moment the shift ends, and uses a shift created a moment ago', async () => {
      await json(await dispatcher.post('/api/assignments', shift({ gridIds: ['G-B2'], locationIds: [], from: T0, to: T0 + HOUR })));
      expect(await outsideAfterGrace(118.77, T0 + HOUR + MIN)).toEqual([expect.objectContaining({ teamId: 'team-2' })]);
      clock.set(T0 + 2 * HOUR);
      await json(await dispatcher.post('/api/assignments', shift({ gridIds: ['G-B2'], locationIds: [], from: T0 + 2 * HOUR, to: T0 + 3 * HOUR })));
      await report(t.app, 'team-2', [{ lon: 118.77, lat: 33.85, time: T0 + 2 * HOUR }]);
      await t.app.teams.status.sweep();
      await t.app.alerts.sweepTeams(T0 + 2 * HOUR);
      expect(await dispatcher.alerts('?kind=team_outside')).toEqual([]);
    });
  });

  it("marks the teams that patrol the point's grid in the nearest-team suggestions", async () => {
    clock.set(T0);
    await report(t.app, 'team-1', [{ lon: 118.69, lat: 33.85, time: T0 }]);
    await report(t.app, 'team-2', [{ lon: 118.72, lat: 33.85, time: T0 }]);
    const near = async () => (await json<NearbyTeamsResponse>(await dispatcher.get('/api/teams/near?lon=118.76&lat=33.84&radius=20000'))).teams.map((r) => [r.id, r.assigned]);
    // G-B2: neither team stands there.
    expect(await near()).toEqual([['team-2', false], ['team-1', false]]);
    await json(await dispatcher.post('/api/assignments', shift({ gridIds: ['G-B2'], locationIds: [] })));
    expect(await near()).toEqual([['team-2', true], ['team-1', false]]);
  });
});
