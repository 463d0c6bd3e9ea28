/**
 * The alert lifecycle as dispatchers, coordinators and leaders meet it: raised → acknowledged
 * (who, when, note) → resolved (automatically or by hand with a reason), escalation to level 2,
 * team alerts and SOS, who may do what, and the record of every transition.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertView } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { clearCoverage, client, FakeClock, json, MIN, sh, type Client } from '../coverage/helpers.ts';

const T0 = sh(2026, 3, 10, 9);

describe('alerts', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let admin: Client;
  let dispatcher: Client;
  let leader: Client;
  let companyCoordinator: Client; // 金盾保安公司: no township, team-2
  let stationCoordinator: Client; // 沭城派出所: township T-A

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, escalateAfterMin: 10, outsideGraceS: 60 });
    await seedCounty(t.app, smallCounty());
    admin = client(t, await signIn(t, 'admin'));
    dispatcher = client(t, await signIn(t, 'dispatcher'));
    leader = client(t, await signIn(t, 'leader'));
    companyCoordinator = client(t, await signIn(t, 'coordinator', { organisationId: 'O-SC' }));
    stationCoordinator = client(t, await signIn(t, 'coordinator', { organisationId: 'O-PS' }));
    // Stations and schools every 30 minutes, 09:00–18:00.
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '花木节', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T18:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station', 'school'], maxGapMinutes: 30 }));
  });
  afterAll(async () => t?.stop());

  beforeEach(async () => {
    await clearCoverage(t);
    await t.app.coverage.engine.recompute(clock.set(T0));
  });

  /** Lets the station (T-A) and the school (T-B) go uncovered; answers the station's township's alert. */
  async function uncoveredStation(): Promise<AlertView> {
    await t.app.coverage.engine.tick(clock.set(T0 + 31 * MIN));
    const alert = (await dispatcher.alerts()).find((a) => a.townshipId === 'T-A' && a.kind === 'uncovered');
    if (!alert) throw new Error('no uncovered alert for T-A');
    return alert;
  }

  it('lists open alerts most urgent first', async () => {
    await uncoveredStation();
    await t.app.alerts.raise('sos', 'team-2', { teamId: 'team-2', note: '有人持刀' }, true);
    const alerts = await dispatcher.alerts();
    expect(alerts.map((a) => [a.kind, a.title])).toEqual([
      ['sos', '金盾02'],
      ['uncovered', '沭城街道'],
      ['uncovered', '胡集镇'],
    ]);
  });

  it('records who acknowledged, when and why, answers a repeat unchanged, and audits it once', async () => {
    const alert = await uncoveredStation();
    clock.set(T0 + 33 * MIN);
    const first = await json<{ alert: AlertView; changed: boolean }>(await dispatcher.post(`/api/alerts/${alert.id}/acknowledge`, { note: '已通知沭城巡01' }));
    expect(first.changed).toBe(true);
    expect(first.alert).toMatchObject({ state: 'acknowledged', acknowledged: { at: T0 + 33 * MIN, note: '已通知沭城巡01', by: expect.stringMatching(/^dispatcher-/) } });
    const again = await json<{ alert: AlertView; changed: boolean }>(await dispatcher.post(`/api/alerts/${alert.id}/acknowledge`, { note: 'twice' }));
    expect(again).toEqual({ alert: first.alert, changed: false });
    const audit = await t.app.audit.list({ action: 'acknowledge', limit: 10 });
    expect(audit.filter((e) => e.target === `alert:${alert.id}`)).toHaveLength(1);
  });

  it('resolves by hand only with a reason, keeps the record, and refuses to acknowledge it afterwards', async () => {
    const alert = await uncoveredStation();
    const missing = await dispatcher.post(`/api/alerts/${alert.id}/resolve`, {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { field: string }).field).toBe('body.reason');
    expect((await json<{ alerts: AlertView[] }>(await dispatcher.get('/api/alerts'))).alerts.some((a) => a.id === alert.id)).toBe(true);

    const resolved = await json<{ alert: AlertView }>(await dispatcher.post(`/api/alerts/${alert.id}/resolve`, { reason: '车站封闭检修', note: '无需巡查' }));
    expect(resolved.alert).toMatchObject({ state: 'resolved', resolved: { reason: '车站封闭检修', note: '无需巡查' } });
    expect(resolved.alert.history.map((h) => h.event)).toEqual(['raised', 'resolved']);
    const late = await dispatcher.post(`/api/alerts/${alert.id}/acknowledge`, {});
    expect(late.status).toBe(409);
    // The location stays uncovered, but the township's alert is not raised again until one of its locations lapses anew.
    await t.app.coverage.engine.tick(clock.set(T0 + 40 * MIN));
    expect((await dispatcher.alerts()).filter((a) => a.townshipId === 'T-A')).toEqual([]);
  });

  it('escalates to level 2 when nobody acknowledged within ESCALATE_AFTER_MIN, not before, and not once acknowledged', async () => {
    const station = await uncoveredStation();
    const school = (await dispatcher.alerts()).find((a) => a.townshipId === 'T-B')!;
    clock.set(T0 + 35 * MIN);
    await json(await dispatcher.post(`/api/alerts/${school.id}/acknowledge`, {}));
    await t.app.alerts.escalate(T0 + 31 * MIN + 10 * MIN - 1);
    expect((await t.app.alerts.get(station.id))?.level).toBe(1);
    await t.app.alerts.escalate(T0 + 31 * MIN + 10 * MIN);
    expect(await t.app.alerts.get(station.id)).toMatchObject({ level: 2, escalatedAt: T0 + 41 * MIN });
    expect((await t.app.alerts.get(school.id))?.level).toBe(1);
    // Leaders see it, with the level.
    expect((await leader.alerts('?level=2')).map((a) => a.id)).toEqual([station.id]);
  });

  it('lets a leader see alerts but neither acknowledge nor resolve them', async () => {
    const alert = await uncoveredStation();
    expect((await leader.post(`/api/alerts/${alert.id}/acknowledge`, {})).status).toBe(403);
    expect((await leader.post(`/api/alerts/${alert.id}/resolve`, { reason: 'x' })).status).toBe(403);
    expect((await leader.get(`/api/alerts/${alert.id}`)).status).toBe(200);
  });

  it('lets a coordinator acknowledge alerts in its township or of its own teams, and no others', async () => {
    const station = await uncoveredStation(); // T-A
    const school = (await dispatcher.alerts()).find((a) => a.townshipId === 'T-B')!;
    expect((await companyCoordinator.post(`/api/alerts/${station.id}/acknowledge`, {})).status).toBe(403);
    expect((await stationCoordinator.post(`/api/alerts/${school.id}/acknowledge`, {})).status).toBe(403);
    expect((await stationCoordinator.post(`/api/alerts/${station.id}/acknowledge`, {})).status).toBe(200);
    const { alert: sos } = await t.app.alerts.raise('sos', 'team-2', { teamId: 'team-2' }, true);
    expect((await companyCoordinator.post(`/api/alerts/${sos!.id}/acknowledge`, {})).status).toBe(200);
    expect((await companyCoordinator.post(`/api/alerts/${sos!.id}/resolve`, { reason: 'x' })).status).toBe(403);
  });

  it('answers 404 naming the id for an unknown alert, never 5xx', async () => {
    const res = await dispatcher.post('/api/alerts/9999/acknowledge', {});
    expect(res.status).toBe(404);
    expect(((await res.json()) as { field: string }).field).toBe('params.id');
  });

  it('raises a team-offline alert while on duty and resolves it when the team reports again', async () => {
    clock.set(T0);
    await report(t.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: T0 }]);
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(T0);
    expect((await dispatcher.alerts('?kind=team_offline'))).toEqual([]);
    clock.set(T0 + 4 * MIN); // OFFLINE_AFTER_S is 180
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(T0 + 4 * MIN);
    await t.app.alerts.sweepTeams(T0 + 4 * MIN);
    const offline = await dispatcher.alerts('?kind=team_offline');
    expect(offline).toEqual([expect.objectContaining({ teamId: 'team-1', title: '沭城巡01', at: T0 + 3 * MIN, state: 'raised' })]);
    clock.set(T0 + 5 * MIN);
    await report(t.app, 'team-1', [{ lon: 118.62, lat: 33.85, time: T0 + 5 * MIN }]);
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(T0 + 5 * MIN);
    expect(await dispatcher.alerts('?kind=team_offline')).toEqual([]);
    expect((await t.app.alerts.get(offline[0]!.id))?.resolved).toMatchObject({ by: 'system', reason: 'back_online' });
  });

  it('raises a team-outside alert after the grace outside its grids, and resolves it when the team is back', async () => {
    // team-2 patrols G-B1 (118.70–118.75); G-B2 lies east of it.
    clock.set(T0);
    await report(t.app, 'team-2', [{ lon: 118.77, lat: 33.85, time: T0 }]);
    await t.app.teams.status.sweep();
    await t.app.alerts.sweepTeams(T0);
    clock.set(T0 + 59_000);
    await report(t.app, 'team-2', [{ lon: 118.771, lat: 33.85, time: T0 + 59_000 }]);
    await t.app.alerts.sweepTeams(T0 + 59_000);
    expect(await dispatcher.alerts('?kind=team_outside')).toEqual([]);
    await t.app.alerts.sweepTeams(T0 + 60_000);
    expect(await dispatcher.alerts('?kind=team_outside')).toEqual([expect.objectContaining({ teamId: 'team-2', at: T0 })]);
    clock.set(T0 + 90_000);
    await report(t.app, 'team-2', [{ lon: 118.72, lat: 33.85, time: T0 + 90_000 }]);
    await t.app.alerts.sweepTeams(T0 + 90_000);
    expect(await dispatcher.alerts('?kind=team_outside')).toEqual([]);
  });

  it('takes an SOS from a patrol account for its own team once, and lets the dispatcher resolve it', async () => {
    const patrol = client(t, await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' }));
    const first = await patrol.post('/api/alerts/sos', { lon: 118.72, lat: 33.85, note: '求助' });
    expect(first.status).toBe(201);
    const { alert } = (await first.json()) as { alert: AlertView };
    expect(alert).toMatchObject({ kind: 'sos', teamId: 'team-2', lon: 118.72, lat: 33.85, note: '求助', level: 1 });
    const again = await patrol.post('/api/alerts/sos', {});
    expect(again.status).toBe(200);
    expect(((await again.json()) as { alert: AlertView }).alert.id).toBe(alert.id);
    expect((await patrol.post('/api/alerts/sos', { lon: 118.72 })).status).toBe(400);
    await json(await dispatcher.post(`/api/alerts/${alert.id}/resolve`, { reason: '已到场处置' }));
    expect(await dispatcher.alerts('?kind=sos')).toEqual([]);
  });

  it('keeps every transition in the log, newest first, pageable', async () => {
    const alert = await uncoveredStation();
    await json(await dispatcher.post(`/api/alerts/${alert.id}/acknowledge`, { note: 'ok' }));
    await json(await dispatcher.post(`/api/alerts/${alert.id}/resolve`, { reason: 'done' }));
    const log = await json<{ entries: { alertId: string; event: string; note: string }[]; before: string | null }>(await leader.get('/api/alerts/log?limit=3'));
    // One stream entry per step (a tick's raises share one), so a page may run past the limit.
    expect(log.entries.slice(0, 3).map((e) => [e.alertId, e.event])).toEqual([
      [alert.id, 'resolved'],
      [alert.id, 'acknowledged'],
      [expect.any(String), 'raised'],
    ]);
    expect(log.before).not.toBeNull();
    const older = await json<{ entries: unknown[] }>(await leader.get(`/api/alerts/log?limit=3&before=${log.before}`));
    expect(older.entries.length).toBeGreaterThan(0);
  });
});
