/**
 * Key periods, rules and plan templates through the API, as an admin sets up a holiday or an
 * event: bad input is refused naming the field and writes nothing, retries are harmless,
 * applying a template is one step, and every change is audited and takes effect at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeriodsResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, sh, type Client } from './helpers.ts';

const T0 = sh(2026, 9, 30, 12);

describe('coverage plan API', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let admin: Client;
  let leader: Client;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    admin = client(t, await signIn(t, 'admin'));
    leader = client(t, await signIn(t, 'leader'));
  });
  afterAll(async () => t?.stop());

  const field = async (res: Response) => {
    expect(res.status).toBe(400);
    return ((await res.json()) as { field: string }).field;
  };
  const periodIds = async () => (await json<PeriodsResponse>(await admin.get('/api/coverage/periods'))).periods.map((p) => p.id);

  it('refuses a bad period naming the field, and writes nothing', async () => {
    const before = await periodIds();
    expect(await field(await admin.post('/api/coverage/periods', { name: '国庆', kind: 'event', start: '2026-10-07', end: '2026-10-01' }))).toBe('body.end');
    expect(await field(await admin.post('/api/coverage/periods', { name: '国庆', kind: 'event', start: '2026-02-30', end: '2026-03-01' }))).toBe('body.start');
    expect(await field(await admin.post('/api/coverage/periods', { name: '夜间', kind: 'daily', hours: { start: '25:00', end: '02:00' } }))).toBe('body.hours.start');
    expect(await field(await admin.post('/api/coverage/periods', { name: '夜间', kind: 'daily' }))).toBe('body.hours');
    expect(await field(await admin.post('/api/coverage/periods', { name: '庙会', kind: 'event', start: '2026-10-01', end: '2026-10-02', scope: { gridIds: ['G-A1', 'G-ZZ'] } }))).toBe('body.scope.gridIds');
    expect(await field(await admin.post('/api/coverage/periods', { name: '庙会', kind: 'fair' }))).toBe('body.kind');
    expect(await periodIds()).toEqual(before);
  });

  it('refuses a rule that says neither (or both) in which periods it applies, or names an unknown period', async () => {
    expect(await field(await admin.post('/api/coverage/rules', { maxGapMinutes: 30 }))).toBe('body.periodKind');
    expect(await field(await admin.post('/api/coverage/rules', { periodKind: 'event', periodId: 'x', maxGapMinutes: 30 }))).toBe('body.periodKind');
    expect(await field(await admin.post('/api/coverage/rules', { periodId: 'nope', maxGapMinutes: 30 }))).toBe('body.periodId');
    expect(await field(await admin.post('/api/coverage/rules', { periodKind: 'event', maxGapMinutes: 0 }))).toBe('body.maxGapMinutes');
    expect(await field(await admin.post('/api/coverage/rules', { periodKind: 'event', maxGapMinutes: 30, minAgencies: 9 }))).toBe('body.minAgencies');
  });

  it('answers a retried create with the same id and content 200, with other content 409', async () => {
    const period = { id: 'national-day', name: '国庆安保', kind: 'holiday', holidays: ['国庆节'] };
    expect((await admin.post('/api/coverage/periods', period)).status).toBe(201);
    expect((await admin.post('/api/coverage/periods', { ...period })).status).toBe(200);
    expect((await admin.post('/api/coverage/periods', { ...period, holidays: ['春节'] })).status).toBe(409);
  });

  it('lists periods with whether they are on and their next stretch, in the configured time zone', async () => {
    const { periods, timeZone } = await json<PeriodsResponse>(await leader.get('/api/coverage/periods'));
    expect(timeZone).toBe('Asia/Shanghai');
    expect(periods.find((p) => p.id === 'national-day')).toMatchObject({ activeNow: false, next: { start: sh(2026, 10, 1), end: sh(2026, 10, 8) } });
  });

  it('applies a plan template to a date range in one step, and deleting the period takes its rules with it', async () => {
    const template = await json<{ template: { id: string } }>(
      await admin.post('/api/coverage/templates', {
        name: '重大活动安保',
        kind: 'event',
        rules: [
          { categories: ['station'], maxGapMinutes: 20, minAgencies: 2 },
          { categories: ['hotel'], maxGapMinutes: 60 },
        ],
      }),
    );
    expect(await field(await admin.post(`/api/coverage/templates/${template.template.id}/apply`, { start: '2026-09-30T14:00', end: '2026-09-30T10:00' }))).toBe('body.end');
    const applied = await admin.post(`/api/coverage/templates/${template.template.id}/apply`, { name: '县运动会', start: '2026-09-30T11:30', end: '2026-09-30T20:00', scope: { townshipIds: ['T-A'] } });
    expect(applied.status).toBe(201);
    const { period, rules } = (await applied.json()) as { period: { id: string; name: string }; rules: { id: string; periodId: string }[] };
    expect(period.name).toBe('县运动会');
    expect(rules.map((r) => r.periodId)).toEqual([period.id, period.id]);
    // In force at once: the station and the hotel of T-A, not the school of T-B.
    const c = await admin.coverage();
    expect(c.states).toMatchObject({ 'L-1': 'uncovered', 'L-2': 'covered', 'L-3': 'inactive' });
    // It began at 11:30: the station needed two agencies by 11:50 (none came), the hotel has until 12:30.
    const removed = await json<{ rules: string[] }>(await admin.del(`/api/coverage/periods/${period.id}`));
    expect(removed.rules.sort()).toEqual(rules.map((r) => r.id).sort());
    expect((await admin.coverage()).states).toMatchObject({ 'L-1': 'inactive', 'L-2': 'inactive' });
    expect((await admin.alerts()).filter((a) => a.locationId === 'L-1')).toEqual([]);
  });

  it('audits every change of the plan', async () => {
    const entries = await t.app.audit.list({ action: 'config_change', limit: 50 });
    expect(entries.map((e) => e.target)).toEqual(expect.arrayContaining(['period:national-day', expect.stringMatching(/^template:T/)]));
  });

  it('lets a leader read the plan but change nothing, and answers 404 for what does not exist', async () => {
    expect((await leader.get('/api/coverage/rules')).status).toBe(200);
    expect((await leader.post('/api/coverage/periods', { name: 'x', kind: 'holiday' })).status).toBe(403);
    expect((await admin.put('/api/coverage/periods/none', { name: 'x', kind: 'holiday' })).status).toBe(404);
    expect((await admin.del('/api/coverage/rules/none')).status).toBe(404);
    expect((await admin.post('/api/coverage/templates/none/apply', { start: '2026-10-01', end: '2026-10-02' })).status).toBe(404);
  });

  it('shows a year the holiday calendar knows, with its make-up working days', async () => {
    const cal = await json<{ known: boolean; holidays: { date: string }[]; makeUpWorkdays: { date: string; name: string }[] }>(await leader.get('/api/coverage/calendar?year=2026'));
    expect(cal.known).toBe(true);
    expect(cal.holidays.some((h) => h.date === '2026-10-01')).toBe(true);
    expect(cal.makeUpWorkdays).toContainEqual({ date: '2026-02-14', name: '春节', nameEn: 'Spring Festival' });
  });
});
