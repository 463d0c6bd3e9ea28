/**
 * What a newcomer notices in the demo's first minutes (`npm start`: the generated county, the
 * demo on, the simulator running), on a real Redis with the app's clock moved by hand: health
 * says up only once the demo accounts sign in, the map opens on uncovered and due-soon
 * locations, the simulator turns some green, residents' help requests get a team, and a team
 * whose own phone reports is left to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, CoverageSnapshot, IncidentView } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { report } from '../../helpers/positions.ts';
import { FakeClock, MIN, json, sh } from '../coverage/helpers.ts';
import { parseLastVisits } from '../../../server/src/coverage/store.ts';

const T0 = sh(2026, 3, 10, 10);
const PASSWORD = 'first-minute-demo';
const STEP = 10_000;

describe('the demo’s first minutes', () => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let t: TestApp;
  let early: { status: number; body: { demo?: string } };
  let cookie = '';
  let atLaunch: CoverageSnapshot;
  let alertsAtLaunch: AlertView[];

  const health = async () => {
    const res = await fetch(`${t.url}/api/health`);
    return { status: res.status, body: (await res.json()) as { status: string; demo?: string } };
  };
  const get = async <T>(path: string): Promise<T> => json<T>(await fetch(`${t.url}${path}`, { headers: { cookie } }));
  /** A report interval of the simulator and a coverage pass, on the app's clock. */
  const step = async () => {
    clock.advance(STEP);
    await t.app.simulator!.tick();
    await t.app.coverage.scheduler.step(clock.now());
  };

  beforeAll(async () => {
    redis = await startRedis();
    t = await startTestApp({ redis, clock, demo: true, demoPassword: PASSWORD, simulate: true, simulateIntervalMs: STEP, coverageTickMs: 0 });
    // At once, while the generated county is still being written.
    early = await health();
    await waitFor(async () => (await health()).status === 200, 60_000);
    const login = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher', password: PASSWORD }) });
    expect(login.status).toBe(200);
    cookie = login.headers.getSetCookie().find((c) => c.startsWith('lf_session='))!.split(';')[0]!;
    await t.app.coverage.scheduler.step(clock.now());
    atLaunch = await get<CoverageSnapshot>('/api/coverage');
    alertsAtLaunch = (await get<{ alerts: AlertView[] }>('/api/alerts')).alerts;
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await redis?.destroy();
  });

  it('answers health 503 until the demo accounts can sign in, then 200, and the dispatcher signs in at once', () => {
    expect(early.status).toBe(503);
    expect(early.body.demo).toBe('loading');
    expect(cookie).toMatch(/^lf_session=/);
  });

  it('opens on uncovered and due-soon locations in a few townships, with their township alerts, most locations covered', () => {
    const states = Object.values(atLaunch.states);
    const count = (s: string) => states.filter((x) => x === s).length;
    expect(count('uncovered')).toBeGreaterThan(0);
    expect(count('due_soon')).toBeGreaterThan(0);
    expect(count('covered')).toBeGreaterThan(count('uncovered') + count('due_soon'));
    const troubled = Object.entries(atLaunch.townships).filter(([, c]) => c.uncovered > 0);
    expect(troubled.length).toBeGreaterThanOrEqual(1);
    expect(troubled.length).toBeLessThanOrEqual(5);
    expect(alertsAtLaunch.some((a) => a.kind === 'uncovered')).toBe(true);
    expect(alertsAtLaunch.some((a) => a.kind === 'due_soon')).toBe(true);
  });

  it('has the simulator turn an uncovered location green within a few minutes, by a team checking in there', async () => {
    const uncovered = Object.entries(atLaunch.states).filter(([, s]) => s === 'uncovered').map(([id]) => id);
    let green: string | undefined;
    for (let i = 0; i < (8 * MIN) / STEP && !green; i++) {
      await step();
      const now = await get<CoverageSnapshot>('/api/coverage');
      green = uncovered.find((id) => now.states[id] === 'covered');
    }
    expect(green).toBeDefined();
    const visits = parseLastVisits(await t.app.redis.hGet(t.app.keys.covLastVisit, green!));
    expect(visits.some((v) => v.time > T0)).toBe(true);
  }, 240_000);

  it('has the simulated dispatcher acknowledge a resident’s help request and send a team to it', async () => {
    const grid = (await t.app.geography.snapshot()).raw.grids.find((g) => g.key) ?? (await t.app.geography.snapshot()).raw.grids[0]!;
    const res = await fetch(`${t.url}/api/public/help`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'first-minute-help-1', gridId: grid.id, description: '老人摔倒在家，需要帮助', phone: '13900001111' }),
    });
    expect(res.status).toBe(201);
    const find = async () => (await t.app.incidents.list({ limit: 5000 })).find((i) => i.description === '老人摔倒在家，需要帮助' && i.source === 'public') as IncidentView;
    for (let i = 0; i < (6 * MIN) / STEP && (await find()).state === 'new'; i++) await step();
    const incident = await find();
    expect(incident.acknowledged).toMatchObject({ by: 'simulator' });
    expect(incident.history.map((h) => h.event)).toContain('dispatch');
    expect(incident.teamId).not.toBeNull();
  }, 240_000);

  it('stops moving a simulated team once its own phone reports, leaving the phone’s position on the map', async () => {
    const [team] = [...(await t.app.teams.assigned()).values()].filter((x) => x.gridIds.length > 0).sort((a, b) => a.id.localeCompare(b.id));
    const [before] = await t.app.tracking.store.latestPositions([team!.id]);
    const phone = { lon: Math.round((before!.lon + 0.001) * 1e6) / 1e6, lat: before!.lat, time: clock.now() + 1, accuracy: 8 };
    await report(t.app, team!.id, [phone]);
    for (let i = 0; i < 6; i++) await step();
    const [after] = await t.app.tracking.store.latestPositions([team!.id]);
    expect(after).toMatchObject({ lon: phone.lon, lat: phone.lat, time: phone.time });
  }, 120_000);
});
