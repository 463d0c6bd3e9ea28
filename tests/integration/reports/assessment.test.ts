/**
 * The assessment report (issue 18) against a small hand-made history whose right answers are
 * known: a team that visits its key location on time, one that visits late, one that never
 * does; an incident accepted late; a dispute passed up twice; an SOS; an order never read; a
 * patrol's duty time and distance. Checked as JSON per grouping, as a drill-down, for a
 * coordinator's organisation, and as an XLSX read back with exceljs and a CSV with a BOM.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMetres } from '@lianfang/geo';
import type { AssessmentReport, AssessmentRow } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report as reportFixes } from '../../helpers/positions.ts';
import { client, FakeClock, json, MIN, sh, type Client } from '../coverage/helpers.ts';
import { playHandMadeDay, threeTeamCounty } from './helpers.ts';

/** 2026-03-10 09:00 in Shuyang. */
const T0 = sh(2026, 3, 10, 9);
const DAY = '2026-03-10';

describe('GET /api/reports/assessment', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let leaderSession: SignedIn;
  let coordinatorSession: SignedIn;
  let dispatcher: Client;
  let walked = 0;

  const get = async (query: string, session = leaderSession) => as(session)(`${t.url}/api/reports/assessment?${query}`);
  const assessment = async (query: string, session = leaderSession) => json<AssessmentReport>(await get(query, session));
  const row = (r: AssessmentReport, key: string) => r.rows.find((x) => x.key === key) as AssessmentRow;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0, orderUnreadAlertMin: 5 });
    await seedCounty(t.app, threeTeamCounty());
    const admin = client(t, await signIn(t, 'admin'));
    leaderSession = await signIn(t, 'leader');
    coordinatorSession = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    const dispatcherSession = await signIn(t, 'dispatcher');
    dispatcher = client(t, dispatcherSession);
    const patrol = (teamId: string, org: string) => signIn(t, 'patrol', { organisationId: org, teamId });
    const p1 = await patrol('team-1', 'O-PS');
    const p2 = await patrol('team-2', 'O-SC');
    const p3 = await patrol('team-3', 'O-PS');

    // A key period 09:00–12:00: every location needs a visit within 60 minutes.
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start: `${DAY}T09:00`, end: `${DAY}T12:00` }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station', 'hotel', 'school'], maxGapMinutes: 60 }));
    await t.app.coverage.engine.tick(T0);

    // team-1 walks north five minutes away from L-1, a fix a minute, ~111 m apart, then checks in at L-1 at 09:30.
    const fixes = [...Array(6).keys()].map((i) => ({ lon: 118.605, lat: 33.845 + i * 0.001, time: T0 + i * MIN, accuracy: 5 }));
    for (const f of fixes) {
      clock.set(f.time);
      await reportFixes(t.app, 'team-1', [f]);
    }
    for (let i = 1; i < fixes.length; i++) walked += distanceMetres(fixes[i - 1]!.lon, fixes[i - 1]!.lat, fixes[i]!.lon, fixes[i]!.lat);
    // 09:30–10:50: the visits, the late incident, the dispute passed up twice, the SOS (helpers.ts).
    await playHandMadeDay(t, clock, T0, { dispatcher: dispatcherSession, p1, p2, p3 });
    clock.set(T0 + 120 * MIN);
    await json(await dispatcher.post('/api/orders', { id: 'order-report-1', to: { teamIds: ['team-2'] }, text: '到胡集中学看看' }));
    clock.set(T0 + 126 * MIN);
    await t.app.orders.tick();

    // The roll-up counts the tracks and check-ins (duty, distance, visits).
    await t.app.reports.rollUp.run(clock.set(T0 + 130 * MIN));
  });
  afterAll(async () => t?.stop());

  it('shows each team’s visits on time, late and never, with the longest lapse, in its own grids', async () => {
    const r = await assessment(`from=${DAY}&to=${DAY}&groupBy=team`);
    expect(row(r, 'team-1')).toMatchObject({ label: '沭城巡01', visits: 1, requiredVisits: 1, onTimeShare: 1, missedDeadlines: 0, lateVisits: 0, longestLapseMin: 30 });
    expect(row(r, 'team-3')).toMatchObject({ visits: 1, requiredVisits: 1, onTimeShare: 0, missedDeadlines: 1, lateVisits: 1, longestLapseMin: 80 });
    expect(row(r, 'team-2')).toMatchObject({ visits: 0, requiredVisits: 1, onTimeShare: 0, missedDeadlines: 1, lateVisits: 0, longestLapseMin: null });
    expect(r.total).toMatchObject({ visits: 2, requiredVisits: 3, missedDeadlines: 2 });
  });

  it('counts duty hours and distance from the team’s fixes, leaving out the gap before its check-in', async () => {
    const r = await assessment(`from=${DAY}&to=${DAY}&groupBy=team`);
    // 09:00–09:05 a fix a minute (5 minutes); the check-in's fix at 09:30 is 25 minutes later: not duty.
    expect(row(r, 'team-1').dutyHours).toBe(Math.round((5 * 60) / 36) / 100);
    expect(row(r, 'team-1').distanceKm).toBe(Math.round(walked / 10) / 100);
    expect(row(r, 'team-2').dutyHours).toBe(0);
  });

  it('counts an incident accepted late: dispatched, accepted, arrived, resolved, minutes to accept and arrive, one late step', async () => {
    const r = await assessment(`from=${DAY}&to=${DAY}&groupBy=team`);
    expect(row(r, 'team-1')).toMatchObject({ dispatched: 1, accepted: 1, arrived: 1, resolved: 1, acceptMedianMin: 11, acceptP90Min: 11, arriveMedianMin: 18, arriveP90Min: 18, lateSteps: 1, dispatchesLate: 1, dispatchesUnanswered: 0 });
  });

  it('counts a dispute passed up twice once per level, settled at the county, in its township', async () => {
    const byTeam = await assessment(`from=${DAY}&to=${DAY}&groupBy=team`);
    expect(row(byTeam, 'team-2')).toMatchObject({ dispatched: 1, accepted: 1, disputesPassedUp: 1, resolved: 0 });
    const byTownship = await assessment(`from=${DAY}&to=${DAY}&groupBy=township`);
    expect(row(byTownship, 'T-B')).toMatchObject({ label: '胡集镇', disputesPassedUp: 2, disputesSettled: { village: 0, township: 0, county: 1 } });
    expect(row(byTownship, 'T-A')).toMatchObject({ disputesPassedUp: 0, resolved: 1, requiredVisits: 2 });
  });

  it('counts SOS raised and orders answered late or not at all', async () => {
    const r = await assessment(`from=${DAY}&to=${DAY}&groupBy=team`);
    expect(row(r, 'team-3')).toMatchObject({ sos: 1, orders: 0 });
    expect(row(r, 'team-2')).toMatchObject({ orders: 1, ordersLate: 1, ordersUnanswered: 1 });
  });

  it('drills down from township to organisation to team to member, and tells where each row leads', async () => {
    const top = await assessment(`from=${DAY}&to=${DAY}&groupBy=township`);
    expect(top.drill).toEqual({ groupBy: 'organisation', param: 'township' });
    const orgs = await assessment(`from=${DAY}&to=${DAY}&groupBy=organisation&township=T-A`);
    expect(orgs.rows.map((x) => x.key)).toEqual(['O-PS']);
    expect(row(orgs, 'O-PS')).toMatchObject({ label: '沭城派出所', teams: 2, visits: 2, sos: 1, requiredVisits: 2 });
    const teams = await assessment(`from=${DAY}&to=${DAY}&groupBy=team&organisation=O-PS`);
    expect(teams.rows.map((x) => x.key).sort()).toEqual(['team-1', 'team-3']);
    const members = await assessment(`from=${DAY}&to=${DAY}&groupBy=member&team=team-3`);
    expect(members.rows).toHaveLength(1);
    expect(members.rows[0]).toMatchObject({ label: '王芳（城东03）', sos: 1 });
    expect(members.drill).toBeNull();
  });

  it('compares with the previous period of the same length', async () => {
    const r = await assessment(`from=${DAY}&to=${DAY}&groupBy=team&compare=previous`);
    expect(r.previous).toMatchObject({ from: '2026-03-09', to: '2026-03-09' });
    expect(r.previous!.total.visits).toBe(0);
    const week = await assessment(`from=2026-03-09&to=2026-03-15&groupBy=team`);
    expect(row(week, 'team-1').visits).toBe(1);
  });

  it('shows a coordinator only their organisation’s teams, and refuses another organisation with 403', async () => {
    const r = await assessment(`from=${DAY}&to=${DAY}&groupBy=team`, coordinatorSession);
    expect(r.rows.map((x) => x.key)).toEqual(['team-2']);
    expect(r.filter).toEqual({ organisation: 'O-SC' });
    const other = await get(`from=${DAY}&to=${DAY}&groupBy=team&organisation=O-PS`, coordinatorSession);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'forbidden', field: 'querystring.organisation' });
  });

  it('refuses a period over a year, backwards or not a day, naming the field', async () => {
    const long = await get('from=2025-01-01&to=2026-03-10&groupBy=team');
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ code: 'too_big', field: 'querystring.to', params: { limit: 366 } });
    expect((await get('from=2026-03-10&to=2026-03-01&groupBy=team')).status).toBe(400);
    const bad = await get('from=2026-02-30&to=2026-03-01&groupBy=team');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'querystring.from' });
    expect((await get(`from=${DAY}&to=${DAY}&groupBy=street`)).status).toBe(400);
    const patrol = await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' });
    expect((await get(`from=${DAY}&to=${DAY}&groupBy=team`, patrol)).status).toBe(403);
  });

  it('downloads an XLSX that opens with the same numbers as the JSON, and a CSV with a BOM', async () => {
    const r = await assessment(`from=${DAY}&to=${DAY}&groupBy=team`);
    const res = await get(`from=${DAY}&to=${DAY}&groupBy=team&format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="assessment-${DAY}-${DAY}-team.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await res.arrayBuffer()) as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet('考核')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const rows = [...Array(sheet.rowCount - 1).keys()].map((i) => (sheet.getRow(i + 2).values as unknown[]).slice(1));
    expect(rows).toHaveLength(r.rows.length + 1);
    const col = (name: string) => header.indexOf(name);
    r.rows.forEach((x, i) => {
      const cells = rows[i]!;
      expect(cells[col('名称')]).toBe(x.label);
      expect(cells[col('在岗小时')]).toBe(x.dutyHours);
      expect(cells[col('签到次数')]).toBe(x.visits);
      expect(cells[col('应巡次数')]).toBe(x.requiredVisits);
      expect(cells[col('按时率%')] ?? null).toBe(x.onTimeShare === null ? null : x.onTimeShare * 100);
      expect(cells[col('接警中位(分钟)')] ?? null).toBe(x.acceptMedianMin);
      expect(cells[col('超时环节')]).toBe(x.lateSteps);
      expect(cells[col('一键求助')]).toBe(x.sos);
      expect(cells[col('指令未回应')]).toBe(x.ordersUnanswered);
    });
    expect(rows.at(-1)![col('名称')]).toBe('合计');
    expect(rows.at(-1)![col('签到次数')]).toBe(r.total.visits);
    expect(book.getWorksheet('定义')!.rowCount).toBeGreaterThan(20);

    const csv = await get(`from=${DAY}&to=${DAY}&groupBy=team&format=csv&lang=en`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split(/\r?\n/)[0]).toMatch(/^Name,Teams,Duty hours,/);
    expect(text).toContain('沭城巡01');
  });
});
