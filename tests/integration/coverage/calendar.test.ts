/**
 * The holiday calendar: an admin enters next year's arrangement (over HTTP or with the import
 * command), the coverage engine of every process treats its days as holidays, bad entries are
 * refused naming the field, every change is audited, and from 1 October the command map warns
 * while next year has no holidays.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CalendarResponse, CalendarStatusResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/auth.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, sh, signInAdmin } from './helpers.ts';

const SPRING_FESTIVAL_2027 = ['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'];
const Y2027 = {
  year: 2027,
  holidays: [{ date: '2027-01-01', name: '元旦' }, ...SPRING_FESTIVAL_2027.map((date) => ({ date, name: '春节' }))],
  makeUpWorkdays: [{ date: '2027-02-20', name: '春节' }],
};

function runImport(args: string[], redisUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], { env: { ...process.env, REDIS_URL: redisUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe('the holiday calendar', () => {
  const clock = new FakeClock(sh(2026, 9, 30, 12));
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({ clock, coverageTickMs: 0 });
    b = await startTestApp({ clock, coverageTickMs: 0, redis: a.redis });
    await seedCounty(a.app, smallCounty());
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  beforeEach(async () => {
    clock.set(sh(2026, 9, 30, 12));
    const k = a.app.keys;
    await a.app.redis.del([k.covCalendar, k.covPeriods, k.covRules]);
    await a.app.redis.incr(k.covVersion);
  });

  it('answers known: true with the entered dates once an admin enters 2027, and goes back to built-in when deleted', async () => {
    const admin = await signInAdmin(a);
    const before = await json<CalendarResponse>(await admin.get('/api/coverage/calendar?year=2027'));
    expect(before).toMatchObject({ known: false, source: null, holidays: [] });

    const put = await json<CalendarResponse>(await admin.put('/api/coverage/calendar/2027', Y2027));
    expect(put).toMatchObject({ year: 2027, known: true, source: 'entered', message: null });
    const after = await json<CalendarResponse>(await admin.get('/api/coverage/calendar?year=2027'));
    expect(after.holidays.map((d) => d.date)).toEqual(['2027-01-01', ...SPRING_FESTIVAL_2027]);
    expect(after.holidays[1]).toEqual({ date: '2027-02-06', name: '春节', nameEn: 'Spring Festival' });
    expect(after.makeUpWorkdays).toEqual([{ date: '2027-02-20', name: '春节', nameEn: 'Spring Festival' }]);
    // What GET answers can be sent back as it is.
    expect((await admin.put('/api/coverage/calendar/2027', after)).status).toBe(200);

    expect(await json<CalendarResponse>(await admin.del('/api/coverage/calendar/2027'))).toMatchObject({ known: false, source: null });
    expect((await admin.del('/api/coverage/calendar/2027')).status).toBe(404);
    expect(await json<CalendarResponse>(await admin.get('/api/coverage/calendar?year=2026'))).toMatchObject({ known: true, source: 'builtin' });

    const audit = (await a.app.audit.list({ action: 'config_change', limit: 20 })).filter((e) => e.target === 'calendar:2027');
    expect(audit.map((e) => Object.keys(e.detail)[0])).toEqual(['deleted', 'replaced', 'entered']);
  });

  it('refuses a bad entry with 400 naming the field, and lets only admins change the calendar', async () => {
    const admin = await signInAdmin(a);
    const refused = async (body: unknown, year = 2027) => {
      const res = await admin.put(`/api/coverage/calendar/${year}`, body);
      expect(res.status).toBe(400);
      return ((await res.json()) as { field: string }).field;
    };
    const days = (...dates: string[]) => dates.map((date) => ({ date, name: '春节' }));
    expect(await refused({ ...Y2027, holidays: days('2027-02-06', '2027-02-07', '2027-02-08', '2028-02-09') })).toBe('body.holidays[3].date');
    expect(await refused({ ...Y2027, holidays: days('2027-02-30') })).toBe('body.holidays[0].date');
    expect(await refused({ ...Y2027, holidays: days('6 Feb') })).toBe('body.holidays.0.date');
    expect(await refused({ ...Y2027, holidays: days('2027-02-20') })).toBe('body.makeUpWorkdays[0].date');
    expect(await refused({ ...Y2027, holidays: [{ date: '2027-02-06', name: '春'.repeat(33) }] })).toBe('body.holidays.0.name');
    expect(await refused(Y2027, 2028)).toBe('body.year');
    expect((await json<CalendarResponse>(await admin.get('/api/coverage/calendar?year=2027'))).known).toBe(false);

    for (const role of ['dispatcher', 'coordinator', 'leader'] as const) {
      const other = client(a, await signIn(a, role));
      expect((await other.put('/api/coverage/calendar/2027', Y2027)).status).toBe(403);
      expect((await other.get('/api/coverage/calendar?year=2027')).status).toBe(200);
    }
  });

  it('makes every process treat the entered Spring Festival as a holiday period', async () => {
    const admin = await signInAdmin(a);
    await json(await admin.post('/api/coverage/periods', { id: 'holidays', name: '法定节假日', kind: 'holiday' }));
    await json(await admin.post('/api/coverage/rules', { periodKind: 'holiday', categories: ['station'], maxGapMinutes: 30 }));
    await json(await admin.put('/api/coverage/calendar/2027', Y2027));
    const festival = sh(2027, 2, 8, 12);
    clock.set(festival);
    // Process b learns of the change from the plan version alone.
    await b.app.coverage.engine.tick(festival);
    const onB = await signInAdmin(b);
    const c = await onB.coverage();
    expect(c.activePeriods.map((p) => p.id)).toEqual(['holidays']);
    // A station every 30 minutes since the festival began two days ago, and no visit: overdue.
    expect(c.states['L-1']).toBe('uncovered');
    expect(c.warnings).toEqual([]);
    // The make-up working day is an ordinary day.
    await b.app.coverage.engine.tick(clock.set(sh(2027, 2, 20, 12)));
    expect((await (await signInAdmin(b)).coverage()).activePeriods).toEqual([]);
  });

  it('the missing-calendar warning appears from 1 October (injected clock)', async () => {
    const status = async () => {
      const dispatcher = client(a, await signIn(a, 'dispatcher'));
      return json<CalendarStatusResponse>(await dispatcher.get('/api/coverage/calendar/status'));
    };
    clock.set(sh(2026, 9, 30, 23, 59));
    expect((await status()).warning).toBeNull();
    clock.set(sh(2026, 10, 1, 0, 0));
    expect((await status()).warning).toMatchObject({ code: 'calendar_next_year_missing', year: 2027 });
    const leader = client(a, await signIn(a, 'leader'));
    expect((await leader.get('/api/coverage/calendar/status')).status).toBe(403);

    const admin = await signInAdmin(a);
    expect((await json<CalendarStatusResponse>(await admin.get('/api/coverage/calendar/status'))).warning?.year).toBe(2027);
    await json(await admin.put('/api/coverage/calendar/2027', Y2027));
    expect((await status()).warning).toBeNull();
  });

  // Two runs of the command (node + tsx start-up each): a ceiling for a loaded CI machine.
  it('imports a CSV with Chinese headers from the command line, audited, and names a bad row', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lianfang-holidays-'));
    const good = join(dir, '2027.csv');
    writeFileSync(good, '\uFEFF日期,名称,类型\n' + SPRING_FESTIVAL_2027.map((d) => `${d},春节,放假`).join('\n') + '\n2027-02-20,春节,调休上班\n');
    const ok = await runImport(['holidays', good], a.redis.url);
    expect(ok.code, ok.out).toBe(0);
    const admin = await signInAdmin(a);
    const cal = await json<CalendarResponse>(await admin.get('/api/coverage/calendar?year=2027'));
    expect(cal).toMatchObject({ known: true, source: 'entered' });
    expect(cal.holidays.map((d) => d.date)).toEqual(SPRING_FESTIVAL_2027);
    expect((await a.app.audit.list({ action: 'import', limit: 5 }))[0]).toMatchObject({ actor: 'cli', target: 'calendar:2027' });

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ year: 2027, holidays: [{ date: '2027-02-06', name: '春节' }], makeUpWorkdays: [{ date: '2027-02-06', name: '春节' }] }));
    const refused = await runImport(['holidays', bad], a.redis.url);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('makeUpWorkdays[0].date');
  });
});
