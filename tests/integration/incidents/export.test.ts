/**
 * The incident list as a spreadsheet (issue 18's exports): the XLSX opens (read back with
 * exceljs) and holds the same incidents, words and county times as the JSON list; the CSV is
 * UTF-8 with a BOM; a coordinator's file holds their area only; a bad format names the field.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentsResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { FakeClock, MIN, sh } from '../coverage/helpers.ts';
import { incidentClient, type IncidentClient } from './helpers.ts';

/** 2026-03-10 09:00 in Shuyang. */
const T0 = sh(2026, 3, 10, 9);

describe('GET /api/incidents/export', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: IncidentClient;
  let dispatcherSession: SignedIn;
  let patrol1: IncidentClient;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, incidentTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    dispatcherSession = await signIn(t, 'dispatcher');
    dispatcher = incidentClient(t, dispatcherSession);
    patrol1 = incidentClient(t, await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' }));
    // A help request in 胡集镇, handled by 沭城巡01 step by step; a quarrel in 沭城街道 left new.
    const help = await dispatcher.create({ category: 'help', grid: 'G-B2', reporterName: '王大妈', reporterPhone: '13800001111', description: '=老人摔倒' });
    clock.advance(MIN);
    await dispatcher.step(help.id, 'dispatch', { teamId: 'team-1', version: help.version });
    clock.advance(2 * MIN);
    await patrol1.step(help.id, 'accept');
    clock.advance(10 * MIN);
    await patrol1.step(help.id, 'arrive');
    clock.advance(MIN);
    await dispatcher.create({ category: 'dispute', grid: 'G-A1' });
    // A traffic report settled by the dispatcher: resolved, so not among the open ones.
    const traffic = await dispatcher.create({ category: 'traffic', grid: 'G-A2' });
    await dispatcher.step(traffic.id, 'resolve');
  });
  afterAll(async () => t?.stop());

  const download = (query: string, session = dispatcherSession) => as(session)(`${t.url}/api/incidents/export?${query}`);

  it('downloads an XLSX that opens with the same incidents as the list, in Chinese, with county times', async () => {
    const res = await download('format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="incidents-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await res.arrayBuffer()) as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet('事件')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['查询号', '类别', '状态']);
    const list = ((await (await as(dispatcherSession)(`${t.url}/api/incidents`)).json()) as IncidentsResponse).incidents;
    expect(sheet.rowCount - 1).toBe(list.length);
    const rows = [...Array(list.length).keys()].map((i) => (sheet.getRow(i + 2).values as unknown[]).slice(1));
    expect(rows.map((r) => r[0])).toEqual(list.map((x) => x.reference));
    const help = rows.find((r) => r[1] === '求助')!;
    const col = (name: string) => header.indexOf(name);
    expect(help[col('状态')]).toBe('已到场');
    expect(help[col('乡镇')]).toBe('胡集镇');
    expect(help[col('处置队伍')]).toBe('沭城巡01');
    expect(help[col('报告人电话')]).toBe('13800001111');
    // Excel has no time zones: the cell holds the county's wall time (09:01 dispatched, 09:03 accepted).
    expect((help[col('派警时间')] as Date).toISOString()).toBe('2026-03-10T09:01:00.000Z');
    expect((help[col('接警时间')] as Date).toISOString()).toBe('2026-03-10T09:03:00.000Z');
    expect((help[col('到场时间')] as Date).toISOString()).toBe('2026-03-10T09:13:00.000Z');
    expect(help[col('办结时间')]).toBeUndefined();
  });

  it('downloads a CSV in UTF-8 with a BOM, in English on request, a formula-like description kept as text', async () => {
    const res = await download('format=csv&lang=en&category=help');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Reference,Category,State,/);
    expect(lines[1]).toContain(",Help,On scene,1,Dispatcher,胡集镇,");
    expect(lines[1]).toContain(",'=老人摔倒,");
    expect(lines[1]).toContain(',2026-03-10 09:01,2026-03-10 09:03,2026-03-10 09:13,');
  });

  it("gives a coordinator only their area's incidents, audits the export, and names a bad format", async () => {
    const company = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    const csv = await (await download('format=csv', company)).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1); // the header: neither incident is theirs
    // The panel's default filter, open incidents: the resolved traffic report stays out.
    const open = (await (await download('format=csv&state=open&lang=en')).text()).trimEnd().split('\r\n').slice(1);
    expect(open.map((l) => l.split(',')[1]).sort()).toEqual(['Dispute', 'Help']);
    const bad = await download('format=pdf');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'querystring.format' });
    const admin = await signIn(t, 'admin');
    const audit = (await (await as(admin)(`${t.url}/api/admin/audit?action=export`)).json()) as { entries: { actor: string; target: string; detail: { rows: number } }[] };
    expect(audit.entries.filter((e) => e.target === 'incidents').map((e) => [e.actor, e.detail.rows])).toEqual(expect.arrayContaining([[dispatcherSession.username, 3], [company.username, 0]]));
  });
});
