/**
 * The coverage engine against a real Redis, time driven by a fake clock: deadlines, due soon,
 * uncovered, visits, period boundaries (across midnight), overlapping periods, holidays.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { clearCoverage, FakeClock, MIN, sh, json, signInAdmin, type Client } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9); // an ordinary Tuesday morning

describe('CoverageEngine', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    admin = await signInAdmin(t);
  });
  afterAll(async () => t?.stop());

  /** Empties the plan and the engine's state between tests. */
  beforeEach(async () => {
    clock.set(T0);
    const keys = t.app.keys;
    await t.app.redis.del([keys.covPeriods, keys.covRules]);
    await clearCoverage(t);
    await t.app.redis.incr(keys.covVersion);
  });

  const tick = (at: number) => t.app.coverage.engine.tick(clock.set(at));
  const visit = (locationId: string, teamId: string, time: number) => t.app.coverage.engine.recordVisits([{ locationId, teamId, time }]);
  /** Open alerts of a township (coverage alerts are one per township and kind). */
  const openAlerts = async (townshipId: string) => (await admin.alerts()).filter((a) => a.townshipId === townshipId);

  async function stationEvery30(start = '2026-03-10T09:00', end = '2026-03-10T18:00') {
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start, end }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station'], maxGapMinutes: 30 }));
  }

  it('shows a station covered when the period starts, due soon at 80 % of the gap, uncovered only after the deadline', async () => {
    await stationEvery30();
    await tick(T0);
    let c = await admin.coverage();
    expect(c.states).toMatchObject({ 'L-1': 'covered', 'L-2': 'inactive', 'L-3': 'inactive' });
    expect(c.deadlines['L-1']).toBe(T0 + 30 * MIN);
    expect(c.dueAt['L-1']).toBe(T0 + 24 * MIN);

    await tick(T0 + 24 * MIN);
    expect((await admin.coverage()).states['L-1']).toBe('due_soon');
    expect((await openAlerts('T-A')).map((a) => a.kind)).toEqual(['due_soon']);

    await tick(T0 + 30 * MIN);
    expect((await admin.coverage()).states['L-1']).toBe('due_soon');

    await tick(T0 + 30 * MIN + 1);
    c = await admin.coverage();
    expect(c.states['L-1']).toBe('uncovered');
    expect(c.townships['T-A']).toMatchObject({ uncovered: 1, inactive: 1 });
    const open = await openAlerts('T-A');
    expect(open).toEqual([expect.objectContaining({ kind: 'uncovered', state: 'raised', level: 1, at: T0 + 30 * MIN, deadline: T0 + 30 * MIN, title: '沭城街道', townshipId: 'T-A', locationId: null })]);
    // The due-soon alert was superseded, not left open.
    const dueSoon = (await admin.alerts('?state=resolved')).find((a) => a.kind === 'due_soon');
    expect(dueSoon?.resolved).toMatchObject({ by: 'system', reason: 'superseded' });
  });

  it('raises one alert for a township however many of its locations go uncovered, and resolves it when the last one is visited', async () => {
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T18:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station', 'hotel'], maxGapMinutes: 30 }));
    await tick(T0);
    const first = await tick(T0 + 31 * MIN);
    expect(first.raised).toBe(1);
    expect((await admin.coverage()).states).toMatchObject({ 'L-1': 'uncovered', 'L-2': 'uncovered' });
    const [alert] = await openAlerts('T-A');
    expect(alert).toMatchObject({ kind: 'uncovered', title: '沭城街道', at: T0 + 30 * MIN, locationId: null });
    clock.set(T0 + 40 * MIN);
    await visit('L-1', 'team-1', T0 + 40 * MIN);
    expect((await openAlerts('T-A')).map((a) => a.id)).toEqual([alert!.id]);
    clock.set(T0 + 45 * MIN);
    await visit('L-2', 'team-1', T0 + 45 * MIN);
    expect(await openAlerts('T-A')).toEqual([]);
    expect((await t.app.alerts.get(alert!.id))?.resolved).toMatchObject({ by: 'system', reason: 'visited', note: 'team-1' });
    // A location of the township lapsing again raises a new one (the hotel is due soon by then).
    await tick(T0 + 71 * MIN);
    expect((await openAlerts('T-A')).map((a) => [a.kind, a.at]).sort()).toEqual([
      ['due_soon', T0 + 75 * MIN - 6 * MIN],
      ['uncovered', T0 + 70 * MIN],
    ]);
  });

  it('keeps visits and settles alerts when the plan changes (the coverage classes are rebuilt)', async () => {
    await stationEvery30();
    await tick(T0);
    clock.set(T0 + 10 * MIN);
    await visit('L-1', 'team-1', T0 + 10 * MIN);
    await tick(T0 + 41 * MIN);
    expect((await openAlerts('T-A')).map((a) => a.kind)).toEqual(['uncovered']);
    // The rule loosens to 60 minutes: the station is covered until 10:10 again.
    const rule = (await json<{ rules: { id: string }[] }>(await admin.get('/api/coverage/rules'))).rules[0]!;
    await json(await admin.put(`/api/coverage/rules/${rule.id}`, { periodId: 'fair', categories: ['station'], maxGapMinutes: 60 }));
    await tick(T0 + 42 * MIN);
    const c = await admin.coverage();
    expect(c.states['L-1']).toBe('covered');
    expect(c.deadlines['L-1']).toBe(T0 + 70 * MIN);
    expect(await openAlerts('T-A')).toEqual([]);
    expect((await admin.alerts('?state=resolved')).find((a) => a.kind === 'uncovered')?.resolved?.reason).toBe('requirement_changed');
  });

  it('keeps a station covered when a team checks in exactly at the deadline', async () => {
    await stationEvery30();
    await tick(T0);
    const deadline = T0 + 30 * MIN;
    clock.set(deadline);
    await visit('L-1', 'team-1', deadline);
    await tick(deadline + 1);
    const c = await admin.coverage();
    expect(c.states['L-1']).toBe('covered');
    expect(c.deadlines['L-1']).toBe(deadline + 30 * MIN);
    expect(await openAlerts('T-A')).toEqual([]);
  });

  it('turns an uncovered station green and resolves its alert when a team visits', async () => {
    await stationEvery30();
    await tick(T0);
    await tick(T0 + 45 * MIN);
    expect((await openAlerts('T-A')).map((a) => a.kind)).toEqual(['uncovered']);
    clock.set(T0 + 50 * MIN);
    await visit('L-1', 'team-2', T0 + 50 * MIN);
    expect((await admin.coverage()).states['L-1']).toBe('covered');
    expect(await openAlerts('T-A')).toEqual([]);
    const resolved = (await admin.alerts('?state=resolved')).find((a) => a.kind === 'uncovered');
    expect(resolved?.resolved).toMatchObject({ by: 'system', reason: 'visited', note: 'team-2' });
  });

  it('never moves a deadline back for a visit older than the latest (replays are harmless)', async () => {
    await stationEvery30();
    await tick(T0);
    clock.set(T0 + 20 * MIN);
    await visit('L-1', 'team-1', T0 + 20 * MIN);
    await visit('L-1', 'team-1', T0 + 10 * MIN);
    await visit('L-1', 'team-1', T0 + 20 * MIN);
    expect((await admin.coverage()).deadlines['L-1']).toBe(T0 + 50 * MIN);
  });

  it('counts a visit from before the period only from the period start (a full gap for everyone)', async () => {
    await stationEvery30('2026-03-10T10:00', '2026-03-10T18:00');
    clock.set(T0);
    await visit('L-1', 'team-1', T0);
    await tick(sh(2026, 3, 10, 10));
    expect((await admin.coverage()).deadlines['L-1']).toBe(sh(2026, 3, 10, 10, 30));
  });

  it('ends the period at its end: the station turns inactive and its alert is resolved as no longer required', async () => {
    await stationEvery30('2026-03-10T09:00', '2026-03-10T10:00');
    await tick(T0);
    await tick(T0 + 40 * MIN);
    expect((await openAlerts('T-A')).map((a) => a.kind)).toEqual(['uncovered']);
    await tick(sh(2026, 3, 10, 9, 59, 59));
    expect((await admin.coverage()).states['L-1']).toBe('uncovered');
    await tick(sh(2026, 3, 10, 10));
    expect((await admin.coverage()).states['L-1']).toBe('inactive');
    expect(await openAlerts('T-A')).toEqual([]);
    expect((await admin.alerts('?state=resolved'))[0]?.resolved?.reason).toBe('not_required');
  });

  it('runs night hours across midnight: active from 20:00, still at 01:59, inactive at 02:00', async () => {
    await json(await admin.post('/api/coverage/periods', { id: 'night', name: '夜间巡防', kind: 'daily', hours: { start: '20:00', end: '02:00' } }));
    await json(await admin.post('/api/coverage/rules', { periodKind: 'daily', categories: ['hotel'], maxGapMinutes: 60 }));
    await tick(sh(2026, 3, 10, 19, 59));
    expect((await admin.coverage()).states['L-2']).toBe('inactive');
    await tick(sh(2026, 3, 10, 20));
    expect((await admin.coverage()).deadlines['L-2']).toBe(sh(2026, 3, 10, 21));
    clock.set(sh(2026, 3, 11, 1, 30));
    await visit('L-2', 'team-1', sh(2026, 3, 11, 1, 30));
    await tick(sh(2026, 3, 11, 1, 59));
    const c = await admin.coverage();
    expect(c.states['L-2']).toBe('covered');
    expect(c.nextChange).toBe(sh(2026, 3, 11, 2));
    await tick(sh(2026, 3, 11, 2));
    expect((await admin.coverage()).states['L-2']).toBe('inactive');
  });

  it('applies the strictest rule where periods overlap, and the looser one when the strict one ends', async () => {
    await json(await admin.post('/api/coverage/periods', { id: 'night', name: '夜间', kind: 'daily', hours: { start: '20:00', end: '02:00' } }));
    await json(await admin.post('/api/coverage/periods', { id: 'week', name: '安保周', kind: 'sensitive', start: '2026-03-09', end: '2026-03-15' }));
    await json(await admin.post('/api/coverage/rules', { periodKind: 'daily', categories: ['hotel'], maxGapMinutes: 60 }));
    await json(await admin.post('/api/coverage/rules', { periodKind: 'sensitive', maxGapMinutes: 180 }));
    await tick(sh(2026, 3, 10, 19));
    // 180 minutes since the last night window ended at 02:00.
    expect((await admin.coverage()).deadlines['L-2']).toBe(sh(2026, 3, 10, 5));
    clock.set(sh(2026, 3, 10, 19, 30));
    await visit('L-2', 'team-1', sh(2026, 3, 10, 19, 30));
    expect((await admin.coverage()).deadlines['L-2']).toBe(sh(2026, 3, 10, 22, 30));
    // 20:00: the 60-minute night rule wins, counted from its start.
    await tick(sh(2026, 3, 10, 20));
    expect((await admin.coverage()).deadlines['L-2']).toBe(sh(2026, 3, 10, 21));
    const detail = await json<{ requirement: { gapMinutes: number; periods: { id: string }[] } }>(await admin.get('/api/coverage/locations/L-2'));
    expect(detail.requirement.gapMinutes).toBe(60);
    expect(detail.requirement.periods.map((p) => p.id)).toEqual(['night', 'week']);
  });

  it('treats a make-up working day of Spring Festival as an ordinary day, and the festival itself as holiday', async () => {
    await json(await admin.post('/api/coverage/periods', { id: 'holidays', name: '法定节假日', kind: 'holiday' }));
    await json(await admin.post('/api/coverage/rules', { periodKind: 'holiday', categories: ['station'], maxGapMinutes: 30 }));
    await tick(sh(2026, 2, 14, 12)); // Saturday, worked for Spring Festival
    expect((await admin.coverage()).states['L-1']).toBe('inactive');
    await tick(sh(2026, 2, 15, 0, 10));
    const c = await admin.coverage();
    expect(c.states['L-1']).toBe('covered');
    expect(c.deadlines['L-1']).toBe(sh(2026, 2, 15, 0, 30));
    expect(c.activePeriods.map((p) => p.id)).toEqual(['holidays']);
  });

  it('says so when the holiday calendar has no data for the year', async () => {
    await json(await admin.post('/api/coverage/periods', { id: 'holidays', name: '法定节假日', kind: 'holiday' }));
    await json(await admin.post('/api/coverage/rules', { periodKind: 'holiday', maxGapMinutes: 30 }));
    await tick(sh(2027, 2, 6, 12)); // Spring Festival 2027: chinese-days 1.5 has no 2027
    // Eleven months on, the sign-in made at T0 is past its absolute maximum: sign in again.
    const during = await signInAdmin(t);
    const c = await during.coverage();
    expect(c.states['L-1']).toBe('inactive');
    expect(c.warnings).toEqual([expect.objectContaining({ code: 'calendar_year_missing', year: 2027 })]);
    const cal = await json<{ known: boolean; message: string }>(await during.get('/api/coverage/calendar?year=2027'));
    expect(cal.known).toBe(false);
    expect(cal.message).toContain('2027');
  });

  it('needs two different agencies within the gap when the rule says so', async () => {
    await json(await admin.post('/api/coverage/periods', { id: 'meeting', name: '县两会', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T18:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'meeting', categories: ['station'], maxGapMinutes: 30, minAgencies: 2 }));
    await tick(T0);
    clock.set(T0 + 10 * MIN);
    await visit('L-1', 'team-1', T0 + 10 * MIN); // police
    clock.set(T0 + 20 * MIN);
    await visit('L-1', 'team-1', T0 + 20 * MIN); // police again: still one agency
    expect((await admin.coverage()).deadlines['L-1']).toBe(T0 + 30 * MIN);
    clock.set(T0 + 25 * MIN);
    await visit('L-1', 'team-2', T0 + 25 * MIN); // security: the window now holds two
    expect((await admin.coverage()).deadlines['L-1']).toBe(T0 + 50 * MIN);
    // The tick (deadline math in JS) agrees with the visit (in the Redis script) to the millisecond.
    await tick(T0 + 50 * MIN);
    expect((await admin.coverage()).states['L-1']).toBe('due_soon');
    await tick(T0 + 50 * MIN + 1);
    expect(await openAlerts('T-A')).toEqual([expect.objectContaining({ kind: 'uncovered', at: T0 + 50 * MIN })]);
  });

  it('raises the level of a hotel in a key grid', async () => {
    const county = smallCounty();
    county.grids.find((g) => g.id === 'G-A2')!.key = true;
    await t.app.geography.store.replaceAll((({ teams: _teams, ...geo }) => geo)(county));
    try {
      await json(await admin.post('/api/coverage/periods', { id: 'meeting', name: '县两会', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T18:00' }));
      await json(await admin.post('/api/coverage/rules', { periodId: 'meeting', priorities: [1], maxGapMinutes: 20 }));
      await tick(T0);
      const c = await admin.coverage();
      expect(c.states).toMatchObject({ 'L-1': 'covered', 'L-2': 'covered', 'L-3': 'inactive' });
    } finally {
      await seedCounty(t.app, smallCounty());
    }
  });
});
