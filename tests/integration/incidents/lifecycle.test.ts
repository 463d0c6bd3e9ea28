/**
 * The incident lifecycle as dispatchers, coordinators, patrols and leaders meet it: each legal
 * step and each illegal one, repeats, who may do what, late steps raising alerts, and the
 * dispute mediation ladder with its figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, IncidentView } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { FakeClock, MIN, sh } from '../coverage/helpers.ts';
import { clientId, incidentClient, POINT, type IncidentClient } from './helpers.ts';

const T0 = sh(2026, 3, 10, 9);

describe('incidents', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: IncidentClient;
  let admin: IncidentClient;
  let leader: IncidentClient;
  let stationCoordinator: IncidentClient; // 沭城派出所: township T-A, team-1
  let companyCoordinator: IncidentClient; // 金盾保安公司: no township, team-2
  let patrol1: IncidentClient; // team-1 沭城巡01
  let patrol2: IncidentClient; // team-2 金盾02

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, incidentTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    dispatcher = incidentClient(t, await signIn(t, 'dispatcher'));
    admin = incidentClient(t, await signIn(t, 'admin'));
    leader = incidentClient(t, await signIn(t, 'leader'));
    stationCoordinator = incidentClient(t, await signIn(t, 'coordinator', { organisationId: 'O-PS' }));
    companyCoordinator = incidentClient(t, await signIn(t, 'coordinator', { organisationId: 'O-SC' }));
    patrol1 = incidentClient(t, await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-1' }));
    patrol2 = incidentClient(t, await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' }));
  });
  afterAll(async () => t?.stop());

  const responding = async (teamId: string) => Boolean(await t.app.redis.sIsMember(t.app.keys.teamsResponding, teamId));

  describe('POST /api/incidents', () => {
    it('finds the grid and township from the point, sets the default severity and the first deadline', async () => {
      clock.set(T0);
      const help = await dispatcher.create({ category: 'help', grid: 'G-B2', reporterName: '王大妈', reporterPhone: '13800001111' });
      expect(help).toMatchObject({
        state: 'new',
        source: 'dispatcher',
        severity: 1,
        gridId: 'G-B2',
        townshipId: 'T-B',
        reporter: { name: '王大妈', phone: '13800001111' },
        due: { action: 'dispatch', at: T0 + 2 * MIN },
        version: 1,
        disputeLevel: null,
        history: [{ event: 'created', state: 'new', by: dispatcher.username, at: T0, note: null }],
      });
      expect(help.reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      const outside = await dispatcher.create({ lon: 119.5, lat: 34.5 });
      expect(outside).toMatchObject({ gridId: null, townshipId: null, severity: 2 });
    });

    it('answers a retry of the same client id with the same incident, 200 instead of 201, and makes one', async () => {
      const id = clientId();
      const body = { id, category: 'traffic', lon: 118.62, lat: 33.85, description: '两车剐蹭' };
      const first = await dispatcher.post('/api/incidents', body);
      const again = await dispatcher.post('/api/incidents', { ...body, description: 'changed on retry' });
      expect([first.status, again.status]).toEqual([201, 200]);
      expect(again.body.incident).toEqual(first.body.incident);
      const listed = await dispatcher.get<{ incidents: IncidentView[] }>('/api/incidents?q=两车剐蹭');
      expect(listed.body.incidents.map((i) => i.id)).toEqual([first.body.incident.id]);
    });

    it('refuses a point without lon for a dispatcher, naming the field, and writes nothing', async () => {
      const before = await t.app.redis.hLen(t.app.keys.incidents);
      const r = await dispatcher.post('/api/incidents', { id: clientId(), category: 'traffic', description: '无坐标' });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('body.lon');
      const bad = await dispatcher.post('/api/incidents', { id: clientId(), category: 'fire', lon: 118.62, lat: 33.85, description: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('body.category');
      expect(await t.app.redis.hLen(t.app.keys.incidents)).toBe(before);
    });

    it("puts a patrol's report at its team's latest position", async () => {
      await report(t.app, 'team-1', [{ lon: 118.66, lat: 33.87, time: clock.now() }]);
      const r = await patrol1.post('/api/incidents', { id: clientId(), category: 'safety_hazard', description: '井盖缺失' });
      expect(r.status).toBe(201);
      expect(r.body.incident).toMatchObject({ source: 'patrol', lon: 118.66, lat: 33.87, gridId: 'G-A2', history: [{ by: patrol1.username }] });
    });
  });

  describe('lifecycle', () => {
    it('walks new → dispatched → accepted → on scene → resolved, recording who and when, the team responding meanwhile', async () => {
      clock.set(T0);
      const created = await dispatcher.create({ grid: 'G-A1' });
      clock.set(T0 + MIN);
      const dispatched = await dispatcher.step(created.id, 'dispatch', { teamId: 'team-1', version: created.version });
      expect(dispatched).toMatchObject({ state: 'dispatched', teamId: 'team-1', version: 2, due: { action: 'accept', at: T0 + 10 * MIN } });
      expect(await responding('team-1')).toBe(true);
      clock.set(T0 + 2 * MIN);
      expect(await patrol1.step(created.id, 'accept')).toMatchObject({ state: 'accepted', due: { action: 'arrive', at: T0 + 30 * MIN } });
      clock.set(T0 + 9 * MIN);
      expect(await patrol1.step(created.id, 'arrive', { note: '已到现场' })).toMatchObject({ state: 'on_scene' });
      clock.set(T0 + 20 * MIN);
      const resolved = await patrol1.step(created.id, 'resolve', { note: '双方已和解' });
      expect(resolved).toMatchObject({ state: 'resolved', due: null, teamId: 'team-1', version: 5 });
      expect(resolved.history.map((h) => [h.event, h.state, h.by, h.at])).toEqual([
        ['created', 'new', dispatcher.username, T0],
        ['dispatch', 'dispatched', dispatcher.username, T0 + MIN],
        ['accept', 'accepted', patrol1.username, T0 + 2 * MIN],
        ['arrive', 'on_scene', patrol1.username, T0 + 9 * MIN],
        ['resolve', 'resolved', patrol1.username, T0 + 20 * MIN],
      ]);
      expect(resolved.history[4]!.note).toBe('双方已和解');
      expect(await responding('team-1')).toBe(false);
    });

    it('keeps a team responding until its last open incident is resolved', async () => {
      const a = await dispatcher.create();
      const b = await dispatcher.create();
      await dispatcher.step(a.id, 'dispatch', { teamId: 'team-1', version: 1 });
      await dispatcher.step(b.id, 'dispatch', { teamId: 'team-1', version: 1 });
      await dispatcher.step(a.id, 'accept');
      await dispatcher.step(a.id, 'resolve');
      expect(await responding('team-1')).toBe(true);
      await dispatcher.step(b.id, 'escalate', { reason: '需要领导协调' });
      expect(await responding('team-1')).toBe(false);
    });

    it('refuses each illegal step with 409 and a reason that says what to do', async () => {
      const i = await dispatcher.create();
      const refuse = async (action: string, reason: string, body: unknown = {}) => {
        const r = await dispatcher.post(`/api/incidents/${i.id}/${action}`, body);
        expect([action, r.status, r.body.message]).toEqual([action, 409, reason]);
      };
      await refuse('accept', 'cannot accept an incident that is new: dispatch it first');
      await refuse('arrive', 'cannot arrive at an incident that is new: dispatch it first');
      await refuse('reopen', 'cannot reopen an incident that is new: only an escalated incident goes back to new');
      const d = await dispatcher.step(i.id, 'dispatch', { teamId: 'team-1', version: 1 });
      await refuse('arrive', 'cannot arrive at an incident that is dispatched: accept it first');
      await refuse('resolve', 'cannot resolve an incident that is dispatched: its team must accept it first');
      const a = await dispatcher.step(i.id, 'accept');
      await refuse('dispatch', 'cannot dispatch an incident that is accepted: its team has already accepted it', { teamId: 'team-2', version: a.version });
      await dispatcher.step(i.id, 'arrive');
      await refuse('accept', 'cannot accept an incident that is on scene: it is already accepted');
      const r = await dispatcher.step(i.id, 'resolve');
      for (const action of ['accept', 'arrive', 'escalate', 'reopen']) await refuse(action, `cannot ${action === 'arrive' ? 'arrive at' : action} an incident that is resolved: it is closed`, { reason: 'x' });
      await refuse('dispatch', 'cannot dispatch an incident that is resolved: it is closed', { teamId: 'team-1', version: r.version });
      expect(d.version).toBe(2);
      expect((await t.app.incidents.get(i.id))?.history).toHaveLength(5);
    });

    it('answers a repeated step unchanged (a double tap, a retry)', async () => {
      const i = await dispatcher.create();
      await dispatcher.step(i.id, 'dispatch', { teamId: 'team-1', version: 1 });
      const first = await patrol1.post(`/api/incidents/${i.id}/accept`);
      const again = await patrol1.post(`/api/incidents/${i.id}/accept`);
      expect([first.body.changed, again.body.changed]).toEqual([true, false]);
      expect(again.body.incident).toEqual(first.body.incident);
      const ack1 = await dispatcher.post(`/api/incidents/${i.id}/acknowledge`);
      const ack2 = await dispatcher.post(`/api/incidents/${i.id}/acknowledge`);
      expect([ack1.body.changed, ack2.body.changed]).toEqual([true, false]);
      expect(ack1.body.incident.acknowledged).toEqual({ by: dispatcher.username, at: clock.now() });
    });

    it('reassigns a dispatched incident to another team before anyone accepted it', async () => {
      const i = await dispatcher.create();
      const d = await dispatcher.step(i.id, 'dispatch', { teamId: 'team-1', version: 1 });
      const again = await dispatcher.step(i.id, 'dispatch', { teamId: 'team-2', version: d.version });
      expect(again).toMatchObject({ state: 'dispatched', teamId: 'team-2' });
      expect((await patrol1.post(`/api/incidents/${i.id}/accept`)).status).toBe(403);
      expect((await patrol2.post(`/api/incidents/${i.id}/accept`)).status).toBe(200);
    });

    it('escalates with a reason, then goes back to new to be dispatched again', async () => {
      clock.set(T0);
      const i = await dispatcher.create();
      const missing = await dispatcher.post(`/api/incidents/${i.id}/escalate`, {});
      expect([missing.status, missing.body.field]).toEqual([400, 'body.reason']);
      clock.set(T0 + 3 * MIN);
      const e = await dispatcher.step(i.id, 'escalate', { reason: '涉及多部门' });
      expect(e).toMatchObject({ state: 'escalated', due: { action: 'dispatch', at: T0 + 8 * MIN } });
      expect(e.history.at(-1)).toMatchObject({ event: 'escalate', by: dispatcher.username, note: '涉及多部门' });
      expect((await stationCoordinator.post(`/api/incidents/${i.id}/reopen`)).status).toBe(403);
      const reopened = await dispatcher.step(i.id, 'reopen');
      expect(reopened).toMatchObject({ state: 'new', teamId: null });
      expect(await dispatcher.step(i.id, 'dispatch', { teamId: 'team-2', version: reopened.version })).toMatchObject({ state: 'dispatched' });
    });

    it('answers 404 naming the id for an unknown incident, never 5xx', async () => {
      const r = await dispatcher.post('/api/incidents/999999/accept');
      expect([r.status, r.body.field]).toEqual([404, 'params.id']);
    });

    it('refuses a dispatch to an unknown team naming body.teamId', async () => {
      const i = await dispatcher.create();
      const r = await dispatcher.post(`/api/incidents/${i.id}/dispatch`, { teamId: 'team-9', version: 1 });
      expect([r.status, r.body.field]).toEqual([404, 'body.teamId']);
    });
  });

  describe('who may do what', () => {
    it('refuses a coordinator outside its area with 403, and lists only its area', async () => {
      const inB = await dispatcher.create({ grid: 'G-B2', description: '胡集镇的事' }); // T-B
      const inA = await dispatcher.create({ grid: 'G-A1', description: '沭城的事' }); // T-A
      for (const [path, body] of [
        [`/api/incidents/${inB.id}/acknowledge`, {}],
        [`/api/incidents/${inB.id}/dispatch`, { teamId: 'team-1', version: 1 }],
        [`/api/incidents/${inB.id}/escalate`, { reason: 'x' }],
      ] as const) {
        const r = await stationCoordinator.post(path, body);
        expect([path, r.status, r.body.message]).toEqual([path, 403, `incident ${inB.id} is outside your area`]);
      }
      expect((await stationCoordinator.get(`/api/incidents/${inB.id}`)).status).toBe(403);
      const listed = (await stationCoordinator.get<{ incidents: IncidentView[] }>('/api/incidents')).body.incidents;
      expect(listed.some((i) => i.id === inA.id)).toBe(true);
      expect(listed.some((i) => i.townshipId === 'T-B')).toBe(false);
      // Inside: may acknowledge and dispatch its own team, not another organisation's.
      expect((await stationCoordinator.post(`/api/incidents/${inA.id}/acknowledge`)).status).toBe(200);
      const other = await stationCoordinator.post(`/api/incidents/${inA.id}/dispatch`, { teamId: 'team-2', version: 2 });
      expect([other.status, other.body.field]).toEqual([403, 'body.teamId']);
      expect((await stationCoordinator.post(`/api/incidents/${inA.id}/dispatch`, { teamId: 'team-1', version: 2 })).status).toBe(200);
    });

    it("lets a company coordinator (no township) see incidents dispatched to its own teams", async () => {
      const i = await dispatcher.create({ grid: 'G-B1' });
      expect((await companyCoordinator.get(`/api/incidents/${i.id}`)).status).toBe(403);
      await dispatcher.step(i.id, 'dispatch', { teamId: 'team-2', version: 1 });
      expect((await companyCoordinator.get(`/api/incidents/${i.id}`)).status).toBe(200);
      expect((await companyCoordinator.post(`/api/incidents/${i.id}/acknowledge`)).status).toBe(200);
    });

    it("refuses a patrol of another team: it cannot accept, see or step the incident", async () => {
      const i = await dispatcher.create();
      await dispatcher.step(i.id, 'dispatch', { teamId: 'team-1', version: 1 });
      const r = await patrol2.post(`/api/incidents/${i.id}/accept`);
      expect([r.status, r.body.message]).toEqual([403, `incident ${i.id} is not dispatched to your team`]);
      expect((await patrol2.get(`/api/incidents/${i.id}`)).status).toBe(403);
      expect((await patrol1.get(`/api/incidents/${i.id}`)).status).toBe(200);
      expect((await patrol1.post(`/api/incidents/${i.id}/dispatch`, { teamId: 'team-1', version: 2 })).status).toBe(403);
      expect((await t.app.incidents.get(i.id))?.state).toBe('dispatched');
    });

    it('lets a leader see incidents but change nothing', async () => {
      const i = await dispatcher.create();
      expect((await leader.get(`/api/incidents/${i.id}`)).status).toBe(200);
      expect((await leader.post(`/api/incidents/${i.id}/acknowledge`)).status).toBe(403);
      expect((await leader.post('/api/incidents', { id: clientId(), category: 'other', lon: 118.62, lat: 33.85, description: 'x' })).status).toBe(403);
    });
  });

  describe('late steps', () => {
    /** Open late alerts of the incident at this address (earlier tests leave late incidents behind). */
    const lateAlerts = async (title = '城东二网格3号楼'): Promise<AlertView[]> => (await t.app.alerts.list({ kind: 'incident_late' })).filter((a) => a.title === title);

    it('raises one incident_late alert when a help request is not accepted within 5 minutes, and accepting resolves it', async () => {
      const start = T0 + 60 * MIN;
      clock.set(start);
      const help = await dispatcher.create({ category: 'help', severity: 3, grid: 'G-A2', address: '城东二网格3号楼' });
      clock.set(start + MIN);
      await dispatcher.step(help.id, 'dispatch', { teamId: 'team-1', version: 1 });
      await t.app.incidents.sweep(clock.set(start + 5 * MIN - 1));
      expect(await lateAlerts()).toEqual([]);
      await t.app.incidents.sweep(clock.set(start + 5 * MIN + 1));
      await t.app.incidents.sweep(clock.set(start + 5 * MIN + 1000));
      const [alert, ...more] = await lateAlerts();
      expect(more).toEqual([]);
      expect(alert).toMatchObject({ kind: 'incident_late', incidentId: help.id, state: 'raised', title: '城东二网格3号楼', note: 'late step: accept', deadline: start + 5 * MIN, teamId: 'team-1', townshipId: 'T-A', gridId: 'G-A2', lon: POINT['G-A2'][0], lat: POINT['G-A2'][1] });
      // The alert panel reads which step is late from a field, never from the note.
      const panel = (await (await as(await signIn(t, 'leader'))(`${t.url}/api/alerts/${alert!.id}`)).json()) as AlertView;
      expect(panel).toMatchObject({ kind: 'incident_late', step: 'accept' });
      clock.set(start + 6 * MIN);
      await patrol1.step(help.id, 'accept');
      expect(await lateAlerts()).toEqual([]);
      expect((await t.app.alerts.get(alert!.id))?.resolved).toMatchObject({ by: 'system', reason: 'step_done' });
      // The next step is late in its turn: a new alert.
      await t.app.incidents.sweep(clock.set(start + 121 * MIN));
      expect((await lateAlerts()).map((a) => a.note)).toEqual(['late step: arrive']);
      expect((await lateAlerts()).map((a) => a.step)).toEqual(['arrive']);
      await patrol1.step(help.id, 'arrive');
      await patrol1.step(help.id, 'resolve');
      expect(await lateAlerts()).toEqual([]);
    });

    it('resolves a late alert left open by a process that stopped between the step and the alert', async () => {
      const start = T0 + 200 * MIN;
      clock.set(start);
      const i = await dispatcher.create({ category: 'help', address: '中断的进程' });
      await t.app.incidents.sweep(clock.set(start + 3 * MIN));
      expect((await lateAlerts('中断的进程')).map((a) => a.note)).toEqual(['late step: dispatch']);
      // The step written straight to the store, as if the process died before resolving the alert.
      const stored = (await t.app.incidents.store.get(i.id))!;
      const next = { ...stored, state: 'dispatched' as const, teamId: 'team-1', version: stored.version + 1, due: { action: 'accept' as const, at: start + 5 * MIN } };
      expect((await t.app.incidents.store.write(clock.now(), stored, next)).status).toBe('ok');
      expect(await lateAlerts('中断的进程')).toHaveLength(1);
      await t.app.incidents.sweep(clock.set(start + 4 * MIN));
      expect(await lateAlerts('中断的进程')).toEqual([]);
    });

    it('puts late incidents right after SOS in the alert list', async () => {
      clock.set(T0 + 300 * MIN);
      const i = await dispatcher.create({ category: 'help' });
      await t.app.alerts.raise('sos', 'team-2', { teamId: 'team-2' }, true);
      await t.app.incidents.sweep(clock.set(T0 + 303 * MIN));
      const kinds = (await t.app.alerts.list()).map((a) => a.kind);
      expect(kinds.slice(0, 2)).toEqual(['sos', 'incident_late']);
      await dispatcher.step(i.id, 'resolve', { note: '重复报警' });
    });
  });

  describe('disputes', () => {
    it('climbs village → township → county recording who passed it up and why, and refuses beyond county', async () => {
      clock.set(T0 + 400 * MIN);
      const d = await dispatcher.create({ category: 'dispute', description: '宅基地纠纷' });
      expect(d).toMatchObject({ severity: 3, disputeLevel: 'village' });
      let v = await dispatcher.step(d.id, 'dispatch', { teamId: 'team-1', version: d.version });
      v = await patrol1.step(d.id, 'escalate', { reason: '村调解室调解不成' });
      expect(v).toMatchObject({ state: 'escalated', disputeLevel: 'township' });
      expect(v.history.at(-1)).toMatchObject({ event: 'escalate', by: patrol1.username, note: '村调解室调解不成', level: 'township' });
      // A retry does not climb twice; once someone else touched it, it must be dispatched at the new level first.
      const retry = await patrol1.post(`/api/incidents/${d.id}/escalate`, { reason: '村调解室调解不成' });
      expect([retry.status, retry.body.changed, retry.body.incident.disputeLevel]).toEqual([200, false, 'township']);
      v = await dispatcher.step(d.id, 'acknowledge');
      expect((await dispatcher.post(`/api/incidents/${d.id}/escalate`, { reason: 'x' })).body.message).toBe('cannot escalate an incident that is escalated: dispatch it at its new level first');
      v = await dispatcher.step(d.id, 'dispatch', { teamId: 'team-1', version: v.version });
      v = await dispatcher.step(d.id, 'escalate', { reason: '涉及多个部门' });
      expect(v).toMatchObject({ disputeLevel: 'county' });
      v = await dispatcher.step(d.id, 'dispatch', { teamId: 'team-1', version: v.version });
      const top = await dispatcher.post(`/api/incidents/${d.id}/escalate`, { reason: '还要上报' });
      expect([top.status, top.body.message]).toEqual([409, 'cannot escalate a dispute at county level (三中心): it is the top of the mediation ladder']);
      expect((await t.app.incidents.get(d.id))?.disputeLevel).toBe('county');
    });

    it('counts cases, settled cases and the success rate per mediation level', async () => {
      const from = T0 + 1000 * MIN;
      clock.set(from);
      const settleAt = async (levels: number, settle: boolean) => {
        const d = await dispatcher.create({ category: 'dispute' });
        let v = d;
        for (let i = 0; i < levels; i++) {
          v = await dispatcher.step(d.id, 'dispatch', { teamId: 'team-1', version: v.version });
          v = await dispatcher.step(d.id, 'escalate', { reason: '调解不成' });
        }
        if (settle) await dispatcher.step(d.id, 'resolve', { note: '调解成功' });
      };
      await settleAt(0, true);
      await settleAt(0, true);
      await settleAt(0, false);
      await settleAt(1, true);
      await settleAt(2, false);
      const r = await leader.get<{ rows: unknown[] }>(`/api/disputes/stats?from=${from}&to=${from + MIN}`);
      expect(r.status).toBe(200);
      expect(r.body.rows).toEqual([
        { level: 'village', cases: 5, settled: 2, successRate: 0.4 },
        { level: 'township', cases: 2, settled: 1, successRate: 0.5 },
        { level: 'county', cases: 1, settled: 0, successRate: 0 },
      ]);
      const theirs = await companyCoordinator.get<{ rows: { cases: number }[] }>(`/api/disputes/stats?from=${from}&to=${from + MIN}`);
      expect(theirs.body.rows.map((row) => row.cases)).toEqual([0, 0, 0]);
    });
  });

  describe('retention', () => {
    it('forgets a resolved incident RETENTION_DAYS after it was resolved, reference and retry key too; open ones stay', async () => {
      const start = T0 + 2000 * MIN;
      clock.set(start);
      const done = await dispatcher.create({ description: '将被遗忘' });
      const open = await dispatcher.create({ description: '仍在处理' });
      await dispatcher.step(done.id, 'resolve', { note: '重复' });
      const days = t.config.retentionDays;
      await t.app.incidents.sweep(clock.set(start + days * 86_400_000 - 1));
      expect(await t.app.incidents.get(done.id)).toBeDefined();
      await t.app.incidents.sweep(clock.set(start + days * 86_400_000 + 1));
      expect(await t.app.incidents.get(done.id)).toBeUndefined();
      expect(await t.app.incidents.byReference(done.reference)).toBeUndefined();
      expect(await t.app.redis.hVals(t.app.keys.incidentClients)).not.toContain(done.id);
      expect(await t.app.incidents.get(open.id)).toMatchObject({ state: 'new' });
    });
  });
});
