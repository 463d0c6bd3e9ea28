/**
 * The demo's trickle of incidents, end to end on a real Redis with the app's clock moved by
 * hand: incidents appear from the help form, the dispatcher and patrols; the simulated
 * dispatcher sends the nearest free team, which accepts, drives there, and resolves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { distanceMetres } from '@lianfang/geo';
import { FakeClock, MIN, sh } from '../coverage/helpers.ts';

const T0 = sh(2026, 3, 10, 9);

describe('the demo trickle of incidents', () => {
  const clock = new FakeClock(T0);
  let redis: TestRedis;
  let t: TestApp;
  const onSceneAtIncident: boolean[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    // The small county goes in first, so the demo leaves it as it is.
    const seeder = await startTestApp({ redis });
    await seedCounty(seeder.app, smallCounty());
    await seeder.stop();
    t = await startTestApp({ redis, clock, demo: true, simulate: true, simulateIntervalMs: 600_000, coverageTickMs: 0, waitForDemo: true });
    await t.app.simulator!.tick();
    // Four hours of a weekday morning, a tick a minute.
    for (let i = 0; i < 240; i++) {
      clock.advance(MIN);
      await t.app.simulator!.tick();
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

  const all = async (): Promise<IncidentView[]> => t.app.incidents.list({ limit: 1000 });

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

  it('moves a responding team to the incident: on scene, its position is the incident’s', () => {
    expect(onSceneAtIncident.length).toBeGreaterThan(0);
    expect(onSceneAtIncident.every(Boolean)).toBe(true);
  });

  it('gives the same incidents again for the same clock: a repeated tick reports nothing twice', async () => {
    const before = (await all()).length;
    await t.app.redis.set(t.app.keys.simTrickle, String(clock.now() - 10 * MIN));
    await t.app.simulator!.tick();
    expect((await all()).length).toBe(before);
  });
});
