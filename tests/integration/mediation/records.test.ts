/**
 * Mediation records (issue 18): a dispute settled at a village mediation room by a named
 * mediator, one passed up by that room to the township centre and settled there. The statistics
 * by room and by township say exactly that; a room of the wrong level is refused naming the
 * field; the rooms are listed for viewers and added by admins only; the XLSX read back matches
 * the JSON and the CSV starts with a BOM.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView, MediationStats, MediationRoomView } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh } from '../coverage/helpers.ts';
import { incidentClient, type IncidentClient } from '../incidents/helpers.ts';
import { seedRooms } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const DAY = '2026-03-10';

describe('mediation records', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let leader: SignedIn;
  let desk: IncidentClient;
  let first: IncidentView;
  let second: IncidentView;

  const stats = async (query: string) => json<MediationStats>(await as(leader)(`${t.url}/api/mediation/stats?${query}`));

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0 });
    await seedCounty(t.app, smallCounty());
    await seedRooms(client(t, await signIn(t, 'admin')));
    leader = await signIn(t, 'leader');
    desk = incidentClient(t, await signIn(t, 'dispatcher'));

    first = await desk.create({ grid: 'G-A1', category: 'dispute', description: '邻里因宅基地界线争执' });
    second = await desk.create({ grid: 'G-A2', category: 'dispute', description: '拖欠工资纠纷' });
    clock.advance(30 * MIN);
    first = await desk.step(first.id, 'resolve', { roomId: 'VA-mediation', mediator: '张调解', outcome: 'settled', agreement: '界线以老墙为准，双方签字' });
    second = await desk.step(second.id, 'escalate', { reason: '村里调解未果', roomId: 'VA-mediation', mediator: '张调解' });
    clock.advance(2 * 60 * MIN);
    second = await desk.step(second.id, 'resolve', { roomId: 'TA-legal', mediator: '李律师', agreement: '分两期付清' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('shows the room, mediator, outcome and agreement in the dispute history', () => {
    expect(first.history.at(-1)!.mediation).toEqual({ roomId: 'VA-mediation', room: '城东社区调解室', mediator: '张调解', outcome: 'settled', agreement: '界线以老墙为准，双方签字' });
    expect(second.history.map((s) => s.mediation?.outcome ?? null).filter(Boolean)).toEqual(['passed_up', 'settled']);
    expect(second.history.at(-1)!.mediation).toMatchObject({ roomId: 'TA-legal', mediator: '李律师' });
  });

  it('counts by room: the village room mediated two and settled one, the township centre settled one', async () => {
    const s = await stats(`from=${DAY}&to=${DAY}&groupBy=room`);
    expect(s.rows.map((r) => [r.key, r.level, r.records, r.settled, r.passedUp, r.agreements])).toEqual([
      ['VA-mediation', 'village', 2, 1, 1, 1],
      ['TA-legal', 'township', 1, 1, 0, 1],
    ]);
    expect(s.rows[0]!.successRate).toBe(0.5);
    expect(s.total).toMatchObject({ records: 3, settled: 2, passedUp: 1, agreements: 2 });
  });

  it('counts by township: both disputes were 沭城街道 ones, none elsewhere', async () => {
    const s = await stats(`from=${DAY}&to=${DAY}&groupBy=township`);
    expect(s.rows).toEqual([expect.objectContaining({ key: 'T-A', label: '沭城街道', records: 3, settled: 2, passedUp: 1, notSettled: 0, withdrawn: 0 })]);
  });

  it('counts nothing on another day', async () => {
    const s = await stats(`from=2026-03-11&to=2026-03-11&groupBy=room`);
    expect(s.rows).toEqual([]);
    expect(s.total.records).toBe(0);
  });

  it('refuses a room of the wrong level with 400 naming body.roomId', async () => {
    const third = await desk.create({ grid: 'G-A1', category: 'dispute', description: '相邻漏水' });
    const r = await desk.post(`/api/incidents/${third.id}/resolve`, { roomId: 'TA-legal', mediator: '李律师' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field: 'body.roomId', code: 'room_wrong_level' });
    const other = await desk.post(`/api/incidents/${third.id}/resolve`, { roomId: 'VB-mediation', mediator: '王' });
    expect(other.body).toMatchObject({ field: 'body.roomId', code: 'room_wrong_township' });
    const noMediator = await desk.post(`/api/incidents/${third.id}/resolve`, { roomId: 'VA-party' });
    expect(noMediator.body).toMatchObject({ field: 'body.mediator', code: 'required' });
    expect((await desk.get(`/api/incidents/${third.id}`)).body.state).toBe('new');
  });

  it('lists rooms for viewers and lets only admins add them', async () => {
    const rooms = await json<{ rooms: MediationRoomView[] }>(await as(leader)(`${t.url}/api/mediation/rooms?level=township&townshipId=T-A`));
    expect(rooms.rooms.map((r) => r.id).sort()).toEqual(['P-traffic', 'TA-grid', 'TA-legal']);
    const denied = await client(t, leader).post('/api/mediation/rooms', { id: 'X-1', kind: 'village', name: '新调解室', townshipId: 'T-A' });
    expect(denied.status).toBe(403);
  });

  it('lists each dispute with its latest mediation record in the incident export', async () => {
    const csv = await (await as(leader)(`${t.url}/api/incidents/export?format=csv&category=dispute&state=resolved`)).text();
    const lines = csv.split('\r\n');
    expect(lines[0]!.endsWith(',调解室,调解员,调解结果,调解协议')).toBe(true);
    expect(lines.find((l) => l.startsWith(second.reference))).toMatch(/,沭城街道公共法律服务中心,李律师,调解成功,分两期付清$/);
    expect(lines.find((l) => l.startsWith(first.reference))).toMatch(/,城东社区调解室,张调解,调解成功,界线以老墙为准，双方签字$/);
  });

  it("shows a coordinator only their organisation's township, and refuses another", async () => {
    const own = await signIn(t, 'coordinator', { organisationId: 'O-PS' });
    const s = await json<MediationStats>(await as(own)(`${t.url}/api/mediation/stats?from=${DAY}&to=${DAY}&groupBy=township`));
    expect(s.rows.map((r) => r.key)).toEqual(['T-A']);
    expect((await as(own)(`${t.url}/api/mediation/stats?from=${DAY}&to=${DAY}&townshipId=T-B`)).status).toBe(403);
    const noTownship = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    expect((await as(noTownship)(`${t.url}/api/mediation/stats?from=${DAY}&to=${DAY}`)).status).toBe(403);
  });

  it('lets an admin rename a room; past records keep the name they were made under', async () => {
    const admin = client(t, await signIn(t, 'admin'));
    const res = await admin.put('/api/mediation/rooms/VA-mediation', { kind: 'village', name: '城东社区人民调解室', townshipId: 'T-A', villageId: 'V-A' });
    expect(res.status).toBe(200);
    expect((await desk.get(`/api/incidents/${first.id}`)).body.history.at(-1)!.mediation!.room).toBe('城东社区调解室');
    const wrong = await admin.post('/api/mediation/rooms', { id: 'X-2', kind: 'grid_centre', name: '无乡镇中心' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ field: 'body.townshipId', code: 'required' });
  });

  it('exports the same figures as XLSX, and CSV with a BOM', async () => {
    const s = await stats(`from=${DAY}&to=${DAY}&groupBy=room`);
    const res = await as(leader)(`${t.url}/api/mediation/stats?from=${DAY}&to=${DAY}&groupBy=room&format=xlsx`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await res.arrayBuffer()) as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1).slice(0, 4)).toEqual(['名称', '层级', '调解记录', '调解成功']);
    s.rows.forEach((r, i) => expect(values(i + 2).slice(0, 8)).toEqual([r.label, r.level === 'village' ? '村级' : '乡镇级', r.records, r.settled, r.notSettled, r.withdrawn, r.passedUp, r.agreements]));
    expect(values(s.rows.length + 2).slice(0, 3)).toEqual(['合计', undefined, s.total.records]);
    const csv = new Uint8Array(await (await as(leader)(`${t.url}/api/mediation/stats?from=${DAY}&to=${DAY}&groupBy=township&format=csv&lang=en`)).arrayBuffer());
    expect([...csv.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(csv)).toContain('\r\n沭城街道,,3,2,0,0,1,2,66.7\r\n');
  });
});
