/**
 * A county ten times Shuyang's size: 60,000 key locations. Its coverage is built and read like
 * the demo's (the class rebuild once passed two arguments per location, which overflowed the
 * Redis client's call stack and answered 500 on the coverage map of a county this size).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyLocation } from '@lianfang/geo';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { FakeClock, json, sh, signInAdmin, type Client } from './helpers.ts';

const LOCATIONS = 60_000;
const T0 = sh(2026, 3, 10, 9);

describe('coverage of a county with 60,000 key locations', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    // Seeding 60,000 locations runs scripts that hold Redis for seconds on a loaded machine; the
    // stall watchdog (3 s by default) would drop the connection mid-seed. This test is about sizes.
    t = await startTestApp({ clock, coverageTickMs: 0, redisTimeoutMs: 30_000 });
    const county = smallCounty();
    // Spread over the small county's four grids, as shops and compounds are in a big city.
    const locations: KeyLocation[] = Array.from({ length: LOCATIONS }, (_, i) => {
      const g = county.grids[i % county.grids.length]!;
      const [west, south] = (g.geometry.coordinates[0]![0] as [number, number]);
      return { id: `LL-${i}`, name: `商铺${i}`, category: 'crowded', priority: 3, radius: 30, geometry: { type: 'Point', coordinates: [west + 0.001 + (i % 40) * 0.0005, south + 0.001 + ((i >> 6) % 40) * 0.0005] }, gridId: g.id, townshipId: g.townshipId };
    });
    await seedCounty(t.app, { ...county, locations: [...county.locations, ...locations] });
    admin = await signInAdmin(t);
  }, 120_000);
  afterAll(async () => t?.stop());

  it('shows every location on the coverage map once a key period asks for them', { timeout: 120_000 }, async () => {
    await json(await admin.post('/api/coverage/periods', { id: 'expo', name: '博览会', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T18:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'expo', categories: ['crowded'], maxGapMinutes: 60 }));
    await t.app.coverage.engine.tick(clock.set(T0));
    const res = await admin.get('/api/coverage');
    expect(res.status).toBe(200);
    const c = (await res.json()) as { states: Record<string, string> };
    expect(c.states['LL-0']).toBe('covered');
    expect(c.states[`LL-${LOCATIONS - 1}`]).toBe('covered');
    expect(Object.values(c.states).filter((s) => s === 'covered').length).toBe(LOCATIONS);
  });
});
