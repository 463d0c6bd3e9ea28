/**
 * Major events (重大活动) with real Redis and two server processes: an event created once per
 * client id with the major-event template's coverage on the locations inside its perimeter,
 * refusals that name the field, posts staffed by positions and check-ins, one post_left alert
 * whichever process looks (resolved when the team is back), figures that count a check-in sent
 * to both processes once, the replay and the report, and cancelling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@lianfang/server/events';
import type { AlertsResponse, EventBoard, EventReplay, EventReport, EventView, PeriodsResponse, RulesResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, MIN, sh } from '../coverage/helpers.ts';

const HOUR = 60 * MIN;
/** Two posts in G-A1 (沭城): the station and a square 1 km east of it. */
const STATION = { name: '车站岗', lon: 118.62, lat: 33.85, radius: 100, headcount: 1, teamIds: ['team-1'] };
const SQUARE = { name: '广场岗', lon: 118.631, lat: 33.85, radius: 100, headcount: 1, teamIds: ['team-2'] };

describe('major events', () => {
  const clock = new FakeClock(sh(2026, 5, 1, 8));
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let dispatcher: ReturnType<typeof client>;
  let dispatcherB: ReturnType<typeof client>;
  let n = 0;
  const nextId = () => `event-${++n}-abcdef`;
  const body = (over: Record<string, unknown> = {}) => ({ id: nextId(), name: '五一庙会', start: clock.now(), end: clock.now() + 8 * HOUR, perimeter: { gridIds: ['G-A1', 'G-A2'] }, posts: [STATION, SQUARE], ...over });
  const at = async (t: TestApp, teamId: string, lon: number, lat: number) => {
    await t.app.redis.hSet(t.app.keys.teamPosition(teamId), { lon: String(lon), lat: String(lat), time: String(clock.now()) });
  };
  const board = async (c = dispatcher, id: string) => (await (await c.get(`/api/events/${id}/board`)).json()) as EventBoard;
  const postLeft = async () => ((await (await dispatcher.get('/api/alerts?kind=post_left&state=all&limit=500')).json()) as AlertsResponse).alerts;

  beforeAll(async () => {
    redis = await startRedis();
    const opts = { redis, clock, coverageTickMs: 0, orderTickMs: 0, eventTickMs: 0, incidentTickMs: 0, broadcastTickMs: 50 };
    a = await startTestApp(opts);
    b = await startTestApp(opts);
    await seedCounty(a.app, smallCounty());
    const admin = client(a, await signIn(a, 'admin'));
    const t = await admin.post('/api/coverage/templates', { id: 'major-event', name: '重大活动安保', kind: 'event', rules: [{ name: '一级部位每30分钟', priorities: [1], maxGapMinutes: 30 }, { name: '二级部位每60分钟', priorities: [2], maxGapMinutes: 60 }] });
    expect(t.status).toBe(201);
    const session = await signIn(a, 'dispatcher');
    dispatcher = client(a, session);
    dispatcherB = client(b, session);
  }, 60_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await redis?.destroy();
  });

  it('creates an event once per client id, applying the major-event template to the locations inside its grids for the window', async () => {
    const req = body();
    const res = await dispatcher.post('/api/events', req);
    expect(res.status).toBe(201);
    const event = (await res.json()) as EventView;
    expect(event).toMatchObject({ id: req.id, name: '五一庙会', posts: [{ id: 'P1', name: '车站岗', headcount: 1, teamIds: ['team-1'] }, { id: 'P2', name: '广场岗' }], coverage: { templateId: 'major-event', locationIds: ['L-1', 'L-2'] }, cancelled: null });
    const again = await dispatcherB.post('/api/events', req);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(event);
    expect((await dispatcher.post('/api/events', { ...req, name: '别的' })).status).toBe(409);
    const periods = (await (await dispatcher.get('/api/coverage/periods')).json()) as PeriodsResponse;
    expect(periods.periods.find((p) => p.id === event.coverage!.periodId)).toMatchObject({ kind: 'event', start: '2026-05-01T08:00', end: '2026-05-01T16:00', scope: { gridIds: ['G-A1', 'G-A2'] }, activeNow: true });
    const rules = (await (await dispatcher.get('/api/coverage/rules')).json()) as RulesResponse;
    expect(rules.rules.filter((r) => r.periodId === event.coverage!.periodId)).toHaveLength(2);
    const audit = await a.app.audit.list({ action: 'event_create', limit: 10 });
    expect(audit.filter((e) => e.target === `event:${req.id}`)).toHaveLength(1);
    const list = (await (await dispatcher.get('/api/events')).json()) as { events: EventView[] };
    expect(list.events.map((e) => e.id)).toContain(req.id);
    await dispatcher.post(`/api/events/${req.id}/cancel`);
  });

  it('takes a drawn polygon as the perimeter: only the locations inside it get the template', async () => {
    const polygon = { type: 'Polygon', coordinates: [[[118.75, 33.82], [118.78, 33.82], [118.78, 33.86], [118.75, 33.86], [118.75, 33.82]]] };
    const res = await dispatcher.post('/api/events', body({ perimeter: { polygon }, posts: [{ ...SQUARE, lon: 118.76, lat: 33.84 }] }));
    expect(res.status).toBe(201);
    const event = (await res.json()) as EventView;
    expect(event.coverage?.locationIds).toEqual(['L-3']);
    const periods = (await (await dispatcher.get('/api/coverage/periods')).json()) as PeriodsResponse;
    expect(periods.periods.find((p) => p.id === event.coverage!.periodId)?.scope).toEqual({ locationIds: ['L-3'] });
    await dispatcher.post(`/api/events/${event.id}/cancel`);
  });

  it('refuses a bad event naming the field, and lets only dispatchers and admins create one', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ end: clock.now() - 1 }, 'body.end', 'ends_before_start'],
      [{ perimeter: { gridIds: ['G-X'] } }, 'body.perimeter.gridIds', 'unknown_grid'],
      [{ perimeter: {} }, 'body.perimeter', 'required'],
      [{ posts: [{ ...STATION, teamIds: ['nope'] }] }, 'body.posts.0.teamIds', 'unknown_team'],
      [{ templateId: 'nope' }, 'body.templateId', 'unknown_template'],
    ];
    for (const [over, field, code] of cases) {
      const res = await dispatcher.post('/api/events', body(over));
      expect(res.status, field).toBe(400);
      expect(await res.json()).toMatchObject({ field, code });
    }
    expect((await dispatcher.post('/api/events', body({ posts: [] }))).status).toBe(400);
    const coordinator = client(a, await signIn(a, 'coordinator'));
    expect((await coordinator.post('/api/events', body())).status).toBe(403);
  });

  it('shows a post staffed when its team stands within its radius or checked in there, short otherwise, and raises one post_left alert whichever process looks', async () => {
    const ev = (await (await dispatcher.post('/api/events', body())).json()) as EventView;
    let view = await board(dispatcher, ev.id);
    expect(view.phase).toBe('active');
    expect(view.posts.map((p) => p.state)).toEqual(['short', 'short']);

    await at(a, 'team-1', 118.6205, 33.8502);
    clock.advance(1000);
    await Promise.all([a.app.majorEvents.tick(), b.app.majorEvents.tick()]);
    view = await board(dispatcherB, ev.id);
    expect(view.posts.map((p) => [p.state, p.present])).toEqual([['staffed', ['team-1']], ['short', []]]);

    // team-2 checks in at the square without a position there.
    const patrol = client(b, await signIn(b, 'patrol', { teamId: 'team-2' }));
    const ci = await patrol.post(`/api/events/${ev.id}/posts/P2/checkins`, { id: 'ci-square-0001' });
    expect(ci.status).toBe(201);
    expect((await board(dispatcher, ev.id)).posts.map((p) => p.state)).toEqual(['staffed', 'staffed']);

    // team-1 walks away: nothing before the grace, one alert after it though both processes look.
    clock.advance(60_000);
    await at(a, 'team-1', 118.64, 33.87);
    await Promise.all([a.app.majorEvents.tick(), b.app.majorEvents.tick()]);
    expect((await board(dispatcher, ev.id)).posts[0]!.state).toBe('short');
    clock.advance(a.config.postLeftGraceS * 1000 - 1000);
    await a.app.majorEvents.tick();
    expect((await postLeft()).filter((x) => x.teamId === 'team-1' && x.state !== 'resolved')).toEqual([]);
    clock.advance(2000);
    const [x, y] = await Promise.all([a.app.majorEvents.tick(), b.app.majorEvents.tick()]);
    expect(x + y).toBe(1);
    const raised = (await postLeft()).filter((z) => z.teamId === 'team-1');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: 'post_left', state: 'raised', title: '车站岗', note: '五一庙会', lon: 118.62, lat: 33.85 });
    view = await board(dispatcherB, ev.id);
    expect(view.alerts.map((z) => z.id)).toContain(raised[0]!.id);
    expect(view.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'arrived', 'checkin', 'left', 'alert']));

    // Back at the post: resolved.
    await at(b, 'team-1', 118.6201, 33.8501);
    await Promise.all([a.app.majorEvents.tick(), b.app.majorEvents.tick()]);
    const after = (await postLeft()).filter((z) => z.id === raised[0]!.id);
    expect(after[0]).toMatchObject({ state: 'resolved', resolved: { by: 'system', reason: 'back_at_post' } });
    await dispatcher.post(`/api/events/${ev.id}/cancel`);
  });

  it('counts figures once across two server processes: a check-in retried on both, staffing changes seen by both', async () => {
    const ev = (await (await dispatcher.post('/api/events', body({ posts: [STATION] }))).json()) as EventView;
    await a.app.redis.del([a.app.keys.teamPosition('team-2'), a.app.keys.teamPosition('team-1')]);
    const pa = client(a, await signIn(a, 'patrol', { teamId: 'team-2' }));
    const pb = client(b, await signIn(b, 'patrol', { teamId: 'team-2' }));
    const [r1, r2] = await Promise.all([pa.post(`/api/events/${ev.id}/posts/P1/checkins`, { id: 'ci-twice-0001' }), pb.post(`/api/events/${ev.id}/posts/P1/checkins`, { id: 'ci-twice-0001' })]);
    expect([r1.status, r2.status].sort()).toEqual([200, 201]);
    for (let i = 0; i < 3; i++) {
      await Promise.all([a.app.majorEvents.tick(), b.app.majorEvents.tick()]);
      clock.advance(1000);
    }
    clock.advance(HOUR);
    await a.app.redis.hSet(a.app.keys.teamPosition('team-2'), { lon: '118.7', lat: '33.87', time: String(clock.now()) });
    await Promise.all([a.app.majorEvents.tick(), b.app.majorEvents.tick()]);
    clock.advance(HOUR);
    const [ra, rb] = await Promise.all([dispatcher.get(`/api/events/${ev.id}/report`), dispatcherB.get(`/api/events/${ev.id}/report`)]);
    const repA = (await ra.json()) as EventReport;
    expect(await rb.json()).toEqual(repA);
    expect(repA.posts[0]).toMatchObject({ postId: 'P1', checkIns: 1 });
    expect(repA.posts[0]!.spans.map((s) => [s.state, s.count])).toEqual([['staffed', 1], ['short', 0]]);
    expect(repA.posts[0]!.staffedShare).toBeCloseTo(0.5, 2);
    const view = await board(dispatcherB, ev.id);
    expect(view.timeline.filter((e) => e.kind === 'checkin')).toHaveLength(1);
    expect(view.timeline.filter((e) => e.kind === 'staffing')).toHaveLength(2);
    await dispatcher.post(`/api/events/${ev.id}/cancel`);
  });

  it("lists a team's posts on its phone and checks it in there over the phone's socket, staffing the post", async () => {
    const ev = (await (await dispatcher.post('/api/events', body({ posts: [STATION, SQUARE] }))).json()) as EventView;
    await a.app.redis.del([a.app.keys.teamPosition('team-1'), a.app.keys.teamPosition('team-2')]);
    const session = await signIn(b, 'patrol', { teamId: 'team-2' });
    const phone: Socket<ServerToClientEvents, ClientToServerEvents> = await new Promise((resolve, reject) => {
      const s: Socket<ServerToClientEvents, ClientToServerEvents> = connect(b.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
      s.on('connect', () => resolve(s));
      s.on('connect_error', reject);
    });
    try {
      const listed = await phone.emitWithAck('patrol:posts');
      expect('data' in listed && listed.data.posts.filter((p) => p.eventId === ev.id)).toEqual([expect.objectContaining({ postId: 'P2', name: '广场岗', checkedInAt: null })]);
      const bad = await phone.emitWithAck('post:checkin', { id: 'x', eventId: ev.id, postId: 'P2' });
      expect(bad).toMatchObject({ error: { code: 'invalid', field: 'id' } });
      const done = await phone.emitWithAck('post:checkin', { id: 'phone-ci-0001', eventId: ev.id, postId: 'P2' });
      expect(done).toMatchObject({ data: { teamId: 'team-2', postId: 'P2', duplicate: false } });
      expect((await board(dispatcher, ev.id)).posts.map((p) => p.state)).toEqual(['short', 'staffed']);
      const again = await phone.emitWithAck('patrol:posts');
      expect('data' in again && again.data.posts.find((p) => p.eventId === ev.id)?.checkedInAt).toBe(clock.now());
    } finally {
      phone.disconnect();
      await dispatcher.post(`/api/events/${ev.id}/cancel`);
    }
  });

  it('replays every team and incident of the window and area, a coordinator only their area\'s teams', async () => {
    const ev = (await (await dispatcher.post('/api/events', body({ posts: [STATION] }))).json()) as EventView;
    const t0 = clock.now();
    clock.advance(MIN);
    await report(a.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: clock.now() }]);
    clock.advance(MIN);
    await report(a.app, 'team-1', [{ lon: 118.625, lat: 33.851, time: clock.now() }]);
    await report(a.app, 'team-2', [{ lon: 118.76, lat: 33.84, time: clock.now() }]); // outside the perimeter, not assigned
    const inc = await dispatcher.post('/api/incidents', { id: 'inc-event-0001', category: 'traffic', lon: 118.621, lat: 33.851, description: '庙会门口剐蹭' });
    expect(inc.status).toBe(201);
    clock.advance(MIN);
    const replay = (await (await dispatcherB.get(`/api/events/${ev.id}/replay`)).json()) as EventReplay;
    expect(replay.from).toBe(t0);
    expect(replay.teams.map((t) => t.teamId)).toEqual(['team-1']);
    expect(replay.teams[0]!.track.map((p) => p.lon)).toEqual([118.62, 118.625]);
    expect(replay.incidents).toMatchObject([{ category: 'traffic', lon: 118.621 }]);
    // A coordinator replays only the teams of their area, as with a team's track.
    const coordinator = client(b, await signIn(b, 'coordinator', { organisationId: 'O-SC' }));
    expect(((await (await coordinator.get(`/api/events/${ev.id}/replay`)).json()) as EventReplay).teams).toEqual([]);
    await dispatcher.post(`/api/events/${ev.id}/cancel`);
  });

  it('cancels an event: its coverage period and rules go, its open post_left alerts resolve', async () => {
    const ev = (await (await dispatcher.post('/api/events', body({ posts: [STATION] }))).json()) as EventView;
    await at(a, 'team-1', 118.62, 33.85);
    await a.app.majorEvents.tick();
    await at(a, 'team-1', 118.7, 33.87);
    await a.app.majorEvents.tick();
    clock.advance(a.config.postLeftGraceS * 1000 + 1000);
    await a.app.majorEvents.tick();
    const open = (await board(dispatcher, ev.id)).alerts.filter((x) => x.kind === 'post_left' && x.state === 'raised');
    expect(open).toHaveLength(1);
    const res = await dispatcherB.post(`/api/events/${ev.id}/cancel`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ changed: true, event: { cancelled: { at: clock.now() } } });
    expect(((await (await dispatcher.post(`/api/events/${ev.id}/cancel`)).json()) as { changed: boolean }).changed).toBe(false);
    const periods = (await (await dispatcher.get('/api/coverage/periods')).json()) as PeriodsResponse;
    expect(periods.periods.find((p) => p.id === ev.coverage!.periodId)).toBeUndefined();
    expect((await postLeft()).find((x) => x.id === open[0]!.id)).toMatchObject({ state: 'resolved', resolved: { reason: 'event_cancelled' } });
    expect((await board(dispatcher, ev.id)).phase).toBe('ended');
    const patrol = client(a, await signIn(a, 'patrol', { teamId: 'team-1' }));
    const late = await patrol.post(`/api/events/${ev.id}/posts/P1/checkins`, { id: 'ci-late-00001' });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'event_not_active' });
  });
});
