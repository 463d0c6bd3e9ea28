/**
 * The daily briefing (日报, issue 18) of a small hand-made day whose right answers are known (the
 * assessment report's history: a visit on time, one late, one never; an incident accepted late;
 * a dispute passed up twice; an SOS that escalates; a major event), produced the next morning at
 * BRIEFING_AT by two server processes ticking at the same moment: stored once, sent to a real
 * local webhook receiver once, not before the configured time.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Briefing } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report as reportFixes } from '../../helpers/positions.ts';
import { client, FakeClock, json, MIN, sh, type Client } from '../coverage/helpers.ts';
import { playHandMadeDay, threeTeamCounty } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const DAY = '2026-03-10';
/** 07:30 the next morning, BRIEFING_AT. */
const MORNING = sh(2026, 3, 11, 7, 30);

/** A real HTTP receiver on port 0 that keeps what it got. */
async function receiver(): Promise<{ url: string; got: { body: string; event: string }[]; close(): Promise<void> }> {
  const got: { body: string; event: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ body, event: String(req.headers['x-lianfang-event']) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the daily briefing', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let second: TestApp;
  let leader: SignedIn;
  let admin: Client;
  let hook: Awaited<ReturnType<typeof receiver>>;

  const get = (day: string, session = leader) => as(session)(`${t.url}/api/reports/briefing?day=${day}`);
  const briefings = () => hook.got.filter((g) => g.event === 'briefing');

  beforeAll(async () => {
    const options = { clock, coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0, briefingTickMs: 0, briefingAt: 7 * 60 + 30, webhookPollMs: 10, publicUrl: 'https://lf.example.cn' };
    t = await startTestApp(options);
    second = await startTestApp({ ...options, redis: t.redis });
    await seedCounty(t.app, threeTeamCounty());
    admin = client(t, await signIn(t, 'admin'));
    leader = await signIn(t, 'leader');
    const dispatcherSession = await signIn(t, 'dispatcher');
    const p1 = await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' });
    const p2 = await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' });
    const p3 = await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-3' });

    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start: `${DAY}T09:00`, end: `${DAY}T12:00` }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station', 'hotel', 'school'], maxGapMinutes: 60 }));
    await t.app.coverage.engine.tick(T0);
    // team-1 patrols five minutes (a fix a minute), then checks in at L-1 on time.
    for (let i = 0; i < 6; i++) await reportFixes(t.app, 'team-1', [{ lon: 118.605, lat: 33.845 + i * 0.001, time: clock.set(T0 + i * MIN), accuracy: 5 }]);
    // 09:30–10:50: the visits, the late incident, the dispute passed up twice, the SOS (helpers.ts).
    await playHandMadeDay(t, clock, T0, { dispatcher: dispatcherSession, p1, p2, p3 });
    await t.app.alerts.escalate(clock.set(T0 + 125 * MIN));

    // A major event that afternoon (stored as its domain stores it), and a cancelled one that does not count.
    const event = (id: string, name: string, cancelled: unknown) => ({ id, name, start: T0 + 5 * 60 * MIN, end: T0 + 9 * 60 * MIN, cancelled, posts: [] });
    await t.app.redis.hSet(t.app.keys.events, { 'ev-1': JSON.stringify(event('ev-1', '花木节开幕式', null)), 'ev-2': JSON.stringify(event('ev-2', '取消的活动', { by: 'x', at: T0 })) });
    await t.app.redis.zAdd(t.app.keys.eventsByStart, [{ score: T0 + 5 * 60 * MIN, value: 'ev-1' }, { score: T0 + 5 * 60 * MIN, value: 'ev-2' }]);

    hook = await receiver();
    await json(await admin.post('/api/admin/webhooks', { name: '日报群', url: hook.url, kinds: ['team_offline'], minLevel: 2, format: 'json' }));
  });
  afterAll(async () => {
    await second?.stop();
    await t?.stop();
    await hook?.close();
  });

  it('is not produced before 07:30 the next morning, but can be read compiled on request', async () => {
    const early = MORNING - MIN;
    expect(await Promise.all([t.app.reports.briefings.tick(clock.set(early)), second.app.reports.briefings.tick(early)])).toEqual([undefined, undefined]);
    expect(await t.app.redis.exists(t.app.keys.briefing(DAY))).toBe(0);
    const compiled = await json<Briefing>(await get(DAY));
    expect(compiled).toMatchObject({ day: DAY, produced: false });
    expect(briefings()).toHaveLength(0);
  });

  it('is produced once when two processes tick at 07:30 at the same moment, and the webhook receives it once', async () => {
    clock.set(MORNING);
    const made = await Promise.all([t.app.reports.briefings.tick(MORNING), second.app.reports.briefings.tick(MORNING), t.app.reports.briefings.tick(MORNING)]);
    expect(made.filter(Boolean)).toHaveLength(1);
    await waitFor(() => briefings().length >= 1, 10_000);
    // Ticks later that morning produce nothing more; both processes keep polling deliveries every 10 ms.
    expect(await Promise.all([t.app.reports.briefings.tick(MORNING + MIN), second.app.reports.briefings.tick(MORNING + MIN)])).toEqual([undefined, undefined]);
    await waitFor(async () => (await t.app.redis.zCard(t.app.keys.webhookDue)) === 0, 5000);
    expect(briefings()).toHaveLength(1);
    const body = JSON.parse(briefings()[0]!.body) as { event: string; title: string; text: string; link: string; briefing: Briefing };
    expect(body).toMatchObject({ event: 'briefing', link: `https://lf.example.cn/reports/briefing?day=${DAY}`, briefing: { day: DAY, produced: true } });
    expect(body.title).toContain(DAY);
    expect(body.text).toContain('一键求助 1 次');
    const stored = await json<Briefing>(await get(DAY));
    expect(stored).toEqual(body.briefing);
  });

  it('shows the day’s headline figures, lapses, late incidents, disputes and notable events from the hand-made history', async () => {
    const b = await json<Briefing>(await get(DAY));
    expect(b.headline).toMatchObject({
      teamsOnDuty: 1,
      dutyHours: Math.round((5 * 60) / 36) / 100,
      visits: 2,
      requiredVisits: 3,
      onTimeShare: Math.round((1 / 3) * 10_000) / 10_000,
      missedDeadlines: 2,
      incidents: { reported: 2, byState: { resolved: 2 } },
      dispatched: 2,
      accepted: 2,
      arrived: 1,
      arriveMedianMin: 18,
      lateSteps: 1,
      sos: 1,
    });
    expect(b.lapses.map((l) => [l.name, l.missed]).sort()).toEqual([
      ['沭城街道', 1],
      ['胡集镇', 1],
    ].sort());
    expect(b.lateIncidents).toHaveLength(1);
    // Its accept was due 10 minutes after it was reported (10:21), done at 10:33.
    expect(b.lateIncidents[0]).toMatchObject({ step: 'accept', lateMin: 2, done: true, deadline: T0 + 91 * MIN });
    expect(b.disputes).toEqual({ settled: { village: 0, township: 0, county: 1 }, passedUp: 2 });
    expect(b.notable.filter((n) => n.kind === 'event')).toEqual([{ kind: 'event', at: T0 + 5 * 60 * MIN, end: T0 + 9 * 60 * MIN, title: '花木节开幕式', detail: '' }]);
    expect(b.notable.find((n) => n.kind === 'sos')).toMatchObject({ title: '城东03' });
    expect(b.notable.find((n) => n.kind === 'escalated' && n.detail === 'sos')).toMatchObject({ at: T0 + 125 * MIN });
  });

  it('refuses a coordinator (county-wide), a day in the future and a day that is not one', async () => {
    const coordinator = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    const refused = await get(DAY, coordinator);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden' });
    const future = await get('2026-03-12');
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ field: 'querystring.day' });
    expect((await get('2026-02-30')).status).toBe(400);
    expect((await get('yesterday')).status).toBe(400);
  });
});
