/**
 * The demo's trickle of incidents, end to end on a real Redis with the app's clock moved by
 * hand: incidents appear from the help form, the dispatcher and patrols; the simulated
 * dispatcher sends the nearest free team, which accepts, drives there, and resolves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentsResponse, DisputeStatsResponse, IncidentView } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { distanceMetres } from '@lianfang/geo';
import { FakeClock, MIN, sh } from '../coverage/helpers.ts';
import { as, signIn } from '../../helpers/auth.ts';
import { DEMO_PLANNER } from '../../../server/src/demo/shifts.ts';

const T0 = sh(2026, 3, 10, 9);

describe('the demo trickle of incidents', () => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let t: TestApp;
  const onSceneAtIncident: boolean[] = [];
  /** The longest a team moved between two ticks a minute apart, metres. */
  let longestStep = 0;

  beforeAll(async () => {
    redis = await startRedis();
    // The small county goes in first, so the demo leaves it as it is.
    const seeder = await startTestApp({ redis });
    await seedCounty(seeder.app, smallCounty());
    await seeder.stop();
    t = await startTestApp({ redis, clock, demo: true, simulate: true, simulateIntervalMs: 600_000, coverageTickMs: 0, waitForDemo: true });
    await t.app.simulator!.tick();
    // Four hours of a weekday morning, a tick a minute.
    let last = await t.app.tracking.store.latestPositions(['team-1', 'team-2']);
    for (let i = 0; i < 240; i++) {
      clock.advance(MIN);
      // At once, team-2 starts a shift in the grid east of its own: it makes its way over.
      if (i === 0) await t.app.assignments.create({ id: 'afternoon-team-2', teamId: 'team-2', gridIds: ['G-B2'], locationIds: [], from: clock.now(), to: clock.now() + 8 * 60 * MIN }, DEMO_PLANNER);
      await t.app.simulator!.tick();
      await t.app.incidents.sweep();
      const now = await t.app.tracking.store.latestPositions(['team-1', 'team-2']);
      now.forEach((p, k) => {
        const before = last[k];
        if (p && before) longestStep = Math.max(longestStep, distanceMetres(p.lon, p.lat, before.lon, before.lat));
      });
      last = now;
      for (const incident of await t.app.incidents.list({ state: 'on_scene' })) {
        const [p] = await t.app.tracking.store.latestPositions([incident.teamId!]);
        onSceneAtIncident.push(p !== null && p !== undefined && distanceMetres(p.lon, p.lat, incident.lon, incident.lat) < 30);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await redis?.destroy();
  });

  /** What the trickle made (the demo's past disputes are older than T0). */
  const all = async (): Promise<IncidentView[]> => (await t.app.incidents.list({ limit: 5000 })).filter((i) => i.createdAt >= T0);

  it('reports a few incidents per township per hour, from the help form, the dispatcher and patrols', async () => {
    const incidents = await all();
    expect(incidents.length).toBeGreaterThanOrEqual(6);
    expect(incidents.length).toBeLessThanOrEqual(2 * 4 * 6);
    const sources = new Set(incidents.map((i) => i.source));
    expect(sources.has('public')).toBe(true);
    expect(sources.has('dispatcher')).toBe(true);
    expect(incidents.every((i) => i.gridId !== null && i.description.length > 0)).toBe(true);
  });

  it('has the simulated dispatcher send a team, and the team accept within 1–3 minutes (or late, as scripted), arrive and resolve', async () => {
    const resolved = (await all()).filter((i) => i.state === 'resolved');
    expect(resolved.length).toBeGreaterThanOrEqual(3);
    const callSigns = ['沭城巡01', '金盾02'];
    for (const incident of resolved) {
      const events = incident.history.map((h) => h.event);
      expect(events.slice(0, 1)).toEqual(['created']);
      expect(events.at(-1)).toBe('resolve');
      const dispatch = incident.history.find((h) => h.event === 'dispatch');
      // The simulated dispatcher saw it before sending a team.
      if (dispatch) expect(incident.acknowledged).toMatchObject({ by: 'simulator' });
      const accept = incident.history.find((h) => h.event === 'accept');
      if (!dispatch || !accept) continue; // a dispute settled at a mediation centre after being passed up
      expect(callSigns).toContain(accept.by);
      expect(accept.at - dispatch.at).toBeGreaterThanOrEqual(MIN / 3);
      expect(events).toContain('arrive');
      // Settled by the team, or (a dispute passed up) by the mediation centre it went to.
      const resolvedBy = incident.history.find((h) => h.event === 'resolve')!.by;
      expect(resolvedBy).toBe(events.includes('escalate') ? 'simulator' : accept.by);
    }
    expect(resolved.some((i) => i.history.some((h) => h.event === 'accept' && h.at - i.history.find((d) => d.event === 'dispatch')!.at <= 4 * MIN))).toBe(true);
  });

  it('accepts some incidents too late, so the late-step alert shows, and resolves the alert once the team moves on', async () => {
    const late = (await t.app.alerts.list({ state: 'all', kind: 'incident_late' })).filter((a) => a.raisedAt >= T0);
    expect(late.length).toBeGreaterThan(0);
    expect(late.some((a) => a.state === 'resolved' && a.resolved?.reason === 'step_done')).toBe(true);
  });

  it('moves a responding team to the incident and back to its loop, and over to a new shift’s grids, never jumping: on scene, its position is the incident’s', () => {
    expect(onSceneAtIncident.length).toBeGreaterThan(0);
    expect(onSceneAtIncident.every(Boolean)).toBe(true);
    // At most 12 minutes to anywhere in the small county (~18 km across), so ~1.5 km a minute.
    expect(longestStep).toBeLessThan(2000);
  });

  it('gives the same incidents again for the same clock: a repeated tick reports nothing twice', async () => {
    const before = (await all()).length;
    await t.app.redis.set(t.app.keys.simTrickle, String(clock.now() - 10 * MIN));
    await t.app.simulator!.tick();
    expect((await all()).length).toBe(before);
  });

  it('starts with three months of past disputes whose mediation figures look like the county’s', async () => {
    const dispatcher = await signIn(t, 'dispatcher');
    const res = await as(dispatcher)(`${t.url}/api/disputes/stats?from=${T0 - 90 * 24 * 60 * MIN}&to=${T0}`);
    const { rows } = (await res.json()) as DisputeStatsResponse;
    const rate = Object.fromEntries(rows.map((r) => [r.level, r.successRate]));
    const cases = Object.fromEntries(rows.map((r) => [r.level, r.cases]));
    expect(cases.village).toBeGreaterThan(1000);
    expect(cases.township).toBeGreaterThan(cases.village! * 0.15);
    expect(cases.township).toBeLessThan(cases.village! * 0.35);
    expect(cases.county).toBeGreaterThan(0);
    expect(rate.village).toBeGreaterThan(0.7);
    expect(rate.village).toBeLessThan(0.82);
    expect(rate.township).toBeGreaterThan(0.8);
    expect(rate.township).toBeLessThan(0.94);
    expect(rate.county).toBeGreaterThan(0.9);
  });

  it('puts some teams on demo shifts, so the map shows assignments', async () => {
    const dispatcher = await signIn(t, 'dispatcher');
    const { assignments } = (await (await as(dispatcher)(`${t.url}/api/assignments?at=${T0}`)).json()) as AssignmentsResponse;
    expect(assignments.filter((a) => a.by === 'demo').map((a) => a.teamId)).toEqual(['team-1']);
    expect(assignments[0]).toMatchObject({ gridIds: ['G-A1', 'G-A2'], from: sh(2026, 3, 10, 8), to: sh(2026, 3, 10, 20) });
    expect(assignments[0]!.locationIds).toContain('L-1');
  });
});
