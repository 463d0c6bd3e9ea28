/**
 * The roster (排班表) as planners meet it: a week of every team's shifts, narrowed to what a
 * coordinator may see; editing a shift (times, places, handover note) without overlapping
 * another; and a holiday's shifts for many teams made in one go, all or nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Assignment, AssignmentsResponse, BulkAssignmentsResponse, BulkConflictsProblem } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, MIN, sh, type Client } from '../coverage/helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
let seq = 0;
const newId = () => `roster-${process.pid}-${++seq}`;

describe('the roster', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: Client;
  let companyCoordinator: Client; // 金盾保安公司 (O-SC): team-2
  let stationCoordinator: Client; // 沭城派出所 (O-PS, township T-A): team-1
  let leader: Client;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, broadcastTickMs: 50 });
    await seedCounty(t.app, smallCounty());
    dispatcher = client(t, await signIn(t, 'dispatcher'));
    companyCoordinator = client(t, await signIn(t, 'coordinator', { organisationId: 'O-SC' }));
    stationCoordinator = client(t, await signIn(t, 'coordinator', { organisationId: 'O-PS' }));
    leader = client(t, await signIn(t, 'leader'));
  });
  afterAll(async () => t?.stop());

  beforeEach(async () => {
    const k = t.app.keys;
    await t.app.redis.del([k.assignments, k.assignmentStarts, k.teamAssignments('team-1'), k.teamAssignments('team-2')]);
    await t.app.redis.incr(k.assignmentVersion);
    clock.set(T0);
  });

  const shift = (over: Partial<Assignment> = {}) => ({ id: newId(), teamId: 'team-2', gridIds: ['G-B2'], locationIds: ['L-3'], from: T0 + HOUR, to: T0 + 9 * HOUR, ...over });

  const problem = async (res: Response) => ({ status: res.status, ...((await res.json()) as { code: string; field?: string; message: string; params?: Record<string, unknown> }) });

  async function weekOf(c: Client, query = ''): Promise<Assignment[]> {
    return (await json<AssignmentsResponse>(await c.get(`/api/assignments?from=${T0 - DAY}&to=${T0 + 6 * DAY}${query}`))).assignments;
  }


  it("lists a week's shifts of every team, and a coordinator only its area's, with the filters narrowing them", async () => {
    const a1 = await json<Assignment>(await dispatcher.post('/api/assignments', shift({ teamId: 'team-1', gridIds: ['G-A1'], locationIds: [] })));
    const a2 = await json<Assignment>(await dispatcher.post('/api/assignments', shift({ from: T0 + 2 * DAY, to: T0 + 2 * DAY + 8 * HOUR })));
    await json(await dispatcher.post('/api/assignments', shift({ from: T0 + 10 * DAY, to: T0 + 10 * DAY + HOUR })));

    expect((await weekOf(leader)).map((a) => a.id)).toEqual([a1.id, a2.id]);
    expect((await weekOf(companyCoordinator)).map((a) => a.id)).toEqual([a2.id]);
    expect((await weekOf(stationCoordinator)).map((a) => a.id)).toEqual([a1.id]);
    expect((await weekOf(dispatcher, '&townshipId=T-B')).map((a) => a.id)).toEqual([a2.id]);
    expect((await weekOf(dispatcher, '&organisationId=O-PS')).map((a) => a.id)).toEqual([a1.id]);
    expect((await weekOf(dispatcher, '&agency=security')).map((a) => a.id)).toEqual([a2.id]);
    expect((await weekOf(dispatcher, '&teamId=team-1')).map((a) => a.id)).toEqual([a1.id]);

    const tooLong = await problem(await leader.get(`/api/assignments?from=${T0}&to=${T0 + 63 * DAY}`));
    expect(tooLong).toMatchObject({ status: 400, field: 'querystring.to', code: 'too_big' });
    expect(await problem(await leader.get(`/api/assignments?from=${T0}`))).toMatchObject({ status: 400, field: 'querystring.to' });
  });

  it('edits a shift with a handover note, audited before and after, and refuses an overlap naming the other shift', async () => {
    const first = await json<Assignment>(await companyCoordinator.post('/api/assignments', shift()));
    const second = await json<Assignment>(await companyCoordinator.post('/api/assignments', shift({ from: T0 + 9 * HOUR, to: T0 + 17 * HOUR })));

    const edited = await companyCoordinator.put(`/api/assignments/${first.id}`, { gridIds: ['G-B1'], locationIds: [], from: T0 + 2 * HOUR, to: T0 + 9 * HOUR, note: '注意学校放学时段' });
    expect(edited.status).toBe(200);
    const after = (await edited.json()) as Assignment;
    expect(after).toMatchObject({ id: first.id, teamId: 'team-2', gridIds: ['G-B1'], locationIds: [], from: T0 + 2 * HOUR, to: T0 + 9 * HOUR, note: '注意学校放学时段', editedBy: expect.stringMatching(/^coordinator-/) });
    expect((await weekOf(leader)).find((a) => a.id === first.id)).toEqual(after);
    const audit = (await t.app.audit.list({ action: 'assignment', limit: 50 })).find((e) => e.target === `assignment:${first.id}` && (e.detail as { op?: string }).op === 'update');
    expect(audit?.detail).toMatchObject({ before: { from: T0 + HOUR, gridIds: ['G-B2'], note: null }, after: { from: T0 + 2 * HOUR, gridIds: ['G-B1'], note: '注意学校放学时段' } });

    const overlap = await problem(await companyCoordinator.put(`/api/assignments/${first.id}`, { gridIds: ['G-B1'], locationIds: [], from: T0 + 2 * HOUR, to: T0 + 10 * HOUR }));
    expect(overlap).toMatchObject({ status: 409, code: 'shift_overlap', field: 'body.from', params: { from: second.from, to: second.to, id: second.id } });
    expect(overlap.message).toContain(second.id);
    expect((await weekOf(leader)).find((a) => a.id === first.id)).toEqual(after);

    expect(await problem(await stationCoordinator.put(`/api/assignments/${first.id}`, { gridIds: ['G-B1'], locationIds: [], from: T0 + 2 * HOUR, to: T0 + 9 * HOUR }))).toMatchObject({ status: 403 });
    expect(await problem(await companyCoordinator.put('/api/assignments/none-such-shift', { gridIds: ['G-B1'], locationIds: [], from: T0 + 2 * HOUR, to: T0 + 9 * HOUR }))).toMatchObject({ status: 404, field: 'params.id' });
    const long = await problem(await companyCoordinator.put(`/api/assignments/${first.id}`, { gridIds: ['G-B1'], locationIds: [], from: T0, to: T0 + 9 * HOUR, note: 'x'.repeat(501) }));
    expect(long).toMatchObject({ status: 400, field: 'body.note' });

    clock.set(T0 + 10 * HOUR);
    const ended = await problem(await companyCoordinator.put(`/api/assignments/${first.id}`, { gridIds: ['G-B1'], locationIds: [], from: T0 + 11 * HOUR, to: T0 + 12 * HOUR }));
    expect(ended).toMatchObject({ status: 409, code: 'shift_ended' });
  });

  const festival = (over: Record<string, unknown> = {}) => ({
    id: newId(),
    teamIds: ['team-1', 'team-2'],
    fromDay: '2026-03-11',
    toDay: '2026-03-13',
    shifts: [
      { start: '00:00', end: '08:00' },
      { start: '08:00', end: '16:00' },
      { start: '16:00', end: '24:00' },
    ],
    note: '节日加强巡逻',
    ...over,
  });

  it("makes a holiday's shifts for many teams in county time, once however often it is retried, with one audit entry", async () => {
    const body = festival();
    const res = await dispatcher.post('/api/assignments/bulk', body);
    expect(res.status).toBe(201);
    const made = (await res.json()) as BulkAssignmentsResponse;
    expect(made).toMatchObject({ batch: body.id, created: 18, existing: 0 });
    const team1 = made.assignments.filter((a) => a.teamId === 'team-1');
    expect(team1.map((a) => [a.from, a.to])).toEqual(
      [11, 12, 13].flatMap((d) => [
        [sh(2026, 3, d, 0), sh(2026, 3, d, 8)],
        [sh(2026, 3, d, 8), sh(2026, 3, d, 16)],
        [sh(2026, 3, d, 16), sh(2026, 3, d + 1, 0)],
      ]),
    );
    expect(team1[0]).toMatchObject({ gridIds: ['G-A1', 'G-A2'], note: '节日加强巡逻', batch: body.id });
    expect(made.assignments.find((a) => a.teamId === 'team-2')?.gridIds).toEqual(['G-B1']);

    const again = await dispatcher.post('/api/assignments/bulk', body);
    expect(again.status).toBe(200);
    const retried = (await again.json()) as BulkAssignmentsResponse;
    expect(retried).toMatchObject({ created: 0, existing: 18 });
    expect(retried.assignments.map((a) => a.id)).toEqual(made.assignments.map((a) => a.id));
    const all = (await json<AssignmentsResponse>(await leader.get(`/api/assignments?from=${T0}&to=${T0 + 7 * DAY}`))).assignments;
    expect(all).toHaveLength(18);
    const audit = (await t.app.audit.list({ action: 'assignment', limit: 100 })).filter((e) => e.target === `assignment-batch:${body.id}`);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ op: 'bulk', created: 18 });
  });

  it('writes nothing when one shift of the batch conflicts, and names every conflict', async () => {
    const inTheWay = await json<Assignment>(await dispatcher.post('/api/assignments', shift({ teamId: 'team-2', gridIds: ['G-B1'], locationIds: [], from: sh(2026, 3, 12, 7), to: sh(2026, 3, 12, 9) })));
    const res = await dispatcher.post('/api/assignments/bulk', festival());
    expect(res.status).toBe(409);
    const body = (await res.json()) as BulkConflictsProblem;
    expect(body).toMatchObject({ code: 'bulk_conflicts', field: 'body.teamIds', params: { count: 2 } });
    expect(body.conflicts).toEqual([
      { teamId: 'team-2', callSign: '金盾02', from: sh(2026, 3, 12, 0), to: sh(2026, 3, 12, 8), other: { id: inTheWay.id, from: inTheWay.from, to: inTheWay.to } },
      { teamId: 'team-2', callSign: '金盾02', from: sh(2026, 3, 12, 8), to: sh(2026, 3, 12, 16), other: { id: inTheWay.id, from: inTheWay.from, to: inTheWay.to } },
    ]);
    const all = (await json<AssignmentsResponse>(await leader.get(`/api/assignments?from=${T0}&to=${T0 + 7 * DAY}`))).assignments;
    expect(all.map((a) => a.id)).toEqual([inTheWay.id]);
  });

  it("refuses a coordinator another organisation's team, naming it, and refuses what is too much or malformed naming the field", async () => {
    const other = await problem(await companyCoordinator.post('/api/assignments/bulk', festival()));
    expect(other).toMatchObject({ status: 403, field: 'body.teamIds.0', code: 'team_not_yours', params: { team: '沭城巡01' } });
    expect(other.message).toContain('沭城巡01');
    const own = await companyCoordinator.post('/api/assignments/bulk', festival({ teamIds: ['team-2'] }));
    expect(own.status).toBe(201);

    expect(await problem(await dispatcher.post('/api/assignments/bulk', festival({ toDay: '2026-04-30' })))).toMatchObject({ status: 400, field: 'body.toDay', code: 'too_many' });
    expect(await problem(await dispatcher.post('/api/assignments/bulk', festival({ teamIds: Array.from({ length: 51 }, (_, i) => `t-${i}`) })))).toMatchObject({ status: 400, field: 'body.teamIds' });
    expect(
      await problem(await dispatcher.post('/api/assignments/bulk', festival({ shifts: [1, 2, 3, 4, 5].map(() => ({ start: '08:00', end: '09:00' })) }))),
    ).toMatchObject({ status: 400, field: 'body.shifts' });
    expect(await problem(await dispatcher.post('/api/assignments/bulk', festival({ shifts: [{ start: '08:00', end: '20:00' }, { start: '18:00', end: '08:00' }] })))).toMatchObject({
      status: 400,
      field: 'body.shifts',
      code: 'pattern_overlap',
    });
    expect(await problem(await dispatcher.post('/api/assignments/bulk', festival({ fromDay: '2026-03-01', toDay: '2026-03-02' })))).toMatchObject({ status: 400, code: 'shift_ended' });
    expect(await problem(await dispatcher.post('/api/assignments/bulk', festival({ teamIds: ['no-team'] })))).toMatchObject({ status: 400, field: 'body.teamIds.0' });
    expect(await problem(await leader.post('/api/assignments/bulk', festival()))).toMatchObject({ status: 403 });
  });

  it('lets exactly one of two racing overlapping batches through, and takes listed dates', async () => {
    const [a, b] = await Promise.all([
      dispatcher.post('/api/assignments/bulk', festival({ teamIds: ['team-2'], fromDay: undefined, toDay: undefined, dates: ['2026-03-12', '2026-03-11'] })),
      companyCoordinator.post('/api/assignments/bulk', festival({ teamIds: ['team-2'], fromDay: '2026-03-12', toDay: '2026-03-12', shifts: [{ start: '06:00', end: '18:00' }] })),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const all = (await json<AssignmentsResponse>(await leader.get(`/api/assignments?from=${T0}&to=${T0 + 7 * DAY}`))).assignments;
    expect(all).toHaveLength(a.status === 201 ? 6 : 1);
  });

  it('makes two shifts a day across midnight (08–20, 20–08)', async () => {
    const res = await dispatcher.post('/api/assignments/bulk', festival({ teamIds: ['team-1'], toDay: '2026-03-12', shifts: [{ start: '08:00', end: '20:00' }, { start: '20:00', end: '08:00' }] }));
    const made = await json<BulkAssignmentsResponse>(res);
    expect(made.assignments.map((a) => [a.from, a.to])).toEqual([
      [sh(2026, 3, 11, 8), sh(2026, 3, 11, 20)],
      [sh(2026, 3, 11, 20), sh(2026, 3, 12, 8)],
      [sh(2026, 3, 12, 8), sh(2026, 3, 12, 20)],
      [sh(2026, 3, 12, 20), sh(2026, 3, 13, 8)],
    ]);
  });
});
