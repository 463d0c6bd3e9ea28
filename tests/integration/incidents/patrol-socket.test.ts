/**
 * The patrol page's incident events, from a device link on `/patrol` and from a signed-in
 * patrol account on `/`: report what it saw (at its latest position by default), list the
 * incidents sent to its team, accept / arrive / resolve / escalate them — its own team's only,
 * every payload checked and refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { IncidentView } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { registerDevice, type Client } from '../tracking/helpers.ts';
import { FakeClock, sh } from '../coverage/helpers.ts';
import { clientId, incidentClient, type IncidentClient } from './helpers.ts';

type Ack<T> = { data: T } | { error: { message: string; field?: string } };

function patrolSocket(url: string, options: { device?: string; cookie?: string; namespace?: string }): Promise<Client> {
  const socket: Client = connect(`${url}${options.namespace ?? '/patrol'}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.device ? { device: options.device } : {},
    extraHeaders: options.cookie ? { cookie: options.cookie } : {},
  });
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (err) => reject(err));
  });
}

const T0 = sh(2026, 3, 10, 9);

describe('patrol incident events', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcherSession: SignedIn;
  let dispatcher: IncidentClient;
  let device: Client; // team-1's phone, by device link
  let account: Client; // team-2's patrol account on the main namespace
  let deviceId: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, incidentTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    dispatcherSession = await signIn(t, 'dispatcher');
    dispatcher = incidentClient(t, dispatcherSession);
    const registered = await registerDevice(t, 'team-1', '张伟', dispatcherSession);
    deviceId = registered.device.id;
    device = await patrolSocket(t.url, { device: registered.identifier });
    account = await patrolSocket(t.url, { cookie: (await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' })).cookie, namespace: '/' });
  });
  afterAll(async () => {
    device?.disconnect();
    account?.disconnect();
    await t?.stop();
  });

  it("reports an incident at the team's latest position, once however often it is sent", async () => {
    await report(t.app, 'team-1', [{ lon: 118.63, lat: 33.86, time: clock.now() }]);
    const payload = { id: clientId(), category: 'suspicious_person' as const, description: '可疑人员在车站徘徊' };
    const first = (await device.emitWithAck('patrol:incident:report', payload)) as Ack<{ incident: IncidentView; created: boolean }>;
    const again = (await device.emitWithAck('patrol:incident:report', payload)) as Ack<{ incident: IncidentView; created: boolean }>;
    if (!('data' in first) || !('data' in again)) throw new Error(JSON.stringify([first, again]));
    expect(first.data.created).toBe(true);
    expect(first.data.incident).toMatchObject({ source: 'patrol', lon: 118.63, lat: 33.86, gridId: 'G-A1', severity: 2, history: [{ by: '沭城巡01' }] });
    expect(again.data).toEqual({ incident: first.data.incident, created: false });
    const audit = await t.app.audit.list({ action: 'incident_create', limit: 10 });
    expect(audit.find((e) => e.target === `incident:${first.data.incident.id}`)).toMatchObject({ actor: `device:${deviceId}`, role: 'patrol' });
  });

  it('refuses a bad report naming the field, and a team without a position asks for one', async () => {
    const bad = (await device.emitWithAck('patrol:incident:report', { id: clientId(), category: 'fire', description: 'x' } as never)) as Ack<unknown>;
    expect(bad).toMatchObject({ error: { field: 'category' } });
    const noPosition = (await account.emitWithAck('patrol:incident:report', { id: clientId(), category: 'traffic', description: '路口拥堵' })) as Ack<unknown>;
    expect(noPosition).toMatchObject({ error: { field: 'lon', message: 'lon is required: your team has not reported a position yet' } });
  });

  it('lists the open incidents sent to its team, and steps them to resolved', async () => {
    const i = await dispatcher.create({ grid: 'G-A1' });
    await dispatcher.step(i.id, 'dispatch', { teamId: 'team-1', version: 1 });
    const listed = (await device.emitWithAck('patrol:incidents')) as Ack<{ incidents: IncidentView[] }>;
    expect('data' in listed && listed.data.incidents.map((x) => x.id)).toContain(i.id);
    const theirs = (await account.emitWithAck('patrol:incidents')) as Ack<{ incidents: IncidentView[] }>;
    expect('data' in theirs && theirs.data.incidents.map((x) => x.id)).not.toContain(i.id);

    for (const action of ['accept', 'arrive', 'resolve'] as const) {
      const r = (await device.emitWithAck('patrol:incident:step', { incidentId: i.id, action })) as Ack<{ incident: IncidentView; changed: boolean }>;
      expect(r).toMatchObject({ data: { changed: true, incident: { state: { accept: 'accepted', arrive: 'on_scene', resolve: 'resolved' }[action] } } });
    }
    const after = (await device.emitWithAck('patrol:incidents')) as Ack<{ incidents: IncidentView[] }>;
    expect('data' in after && after.data.incidents.map((x) => x.id)).not.toContain(i.id);
  });

  it("refuses another team's incident, an illegal step with its reason, and an escalation without a reason", async () => {
    const i = await dispatcher.create();
    await dispatcher.step(i.id, 'dispatch', { teamId: 'team-1', version: 1 });
    expect(await account.emitWithAck('patrol:incident:step', { incidentId: i.id, action: 'accept' })).toEqual({ error: { message: `incident ${i.id} is not dispatched to your team`, field: 'incidentId', code: 'forbidden' } });
    expect(await device.emitWithAck('patrol:incident:step', { incidentId: i.id, action: 'arrive' })).toEqual({ error: { message: 'cannot arrive at an incident that is dispatched: accept it first', code: 'state_changed' } });
    expect(await device.emitWithAck('patrol:incident:step', { incidentId: i.id, action: 'escalate' })).toMatchObject({ error: { field: 'note' } });
    expect(await device.emitWithAck('patrol:incident:step', { incidentId: i.id, action: 'dispatch' } as never)).toMatchObject({ error: { field: 'action' } });
    const up = (await device.emitWithAck('patrol:incident:step', { incidentId: i.id, action: 'escalate', note: '需要增援' })) as Ack<{ incident: IncidentView }>;
    expect(up).toMatchObject({ data: { incident: { state: 'escalated', history: expect.arrayContaining([expect.objectContaining({ event: 'escalate', note: '需要增援', by: '沭城巡01' })]) } } });
  });
});
