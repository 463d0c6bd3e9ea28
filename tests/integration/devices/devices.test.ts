import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevicesResponse, NewDeviceResponse, TeamsResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { fakeClock, postJson, registerDevice, storeDigest, T0 } from '../tracking/helpers.ts';

describe('devices', () => {
  const clock = fakeClock(T0);
  let t: TestApp;
  let dispatcher: SignedIn;
  const register = (s: SignedIn, teamId: string, body: unknown) =>
    as(s)(`${t.url}/api/teams/${teamId}/devices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    // A county that wants phones swapped earlier than the default 20 %.
    t = await startTestApp({ clock, batteryLowPercent: 30 });
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher');
  });
  afterAll(async () => t?.stop());

  it('registers a device for a team member: an unguessable identifier, shown once, with set-up links', async () => {
    const res = await register(dispatcher, 'team-1', { memberName: '张伟', label: '华为 Mate 60' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as NewDeviceResponse;
    // 26 base32 characters = 130 bits of room for 128 random bits.
    expect(body.identifier).toMatch(/^[a-z2-7]{26}$/);
    expect(body.device).toMatchObject({ teamId: 'team-1', memberName: '张伟', memberPhone: '13911110001', label: '华为 Mate 60', revokedAt: null, lastSeenAt: null });
    expect(body.links.patrol).toBe(`${t.url}/patrol#device=${body.identifier}`);
    expect(body.links.osmandServer).toBe(`http://127.0.0.1:${t.app.osmand.port}`);
    expect(body.links.osmandTemplate).toContain(`?id=${body.identifier}&lat={0}&lon={1}`);
    expect(body.links.owntracks).toBe(`${t.url}/api/owntracks?id=${body.identifier}`);

    const list = await as(dispatcher)(`${t.url}/api/teams/team-1/devices`);
    const text = await list.text();
    expect((JSON.parse(text) as DevicesResponse).devices.map((d) => d.id)).toContain(body.device.id);
    expect(text).not.toContain(body.identifier);
    // Nowhere in Redis either: only its hash is kept.
    expect((await storeDigest(t)).join('\n')).not.toContain(body.identifier);
    const [audit] = await t.app.audit.list({ action: 'device_issue', limit: 1 });
    expect(audit).toMatchObject({ actor: dispatcher.username, target: body.device.id });
    expect(JSON.stringify(audit)).not.toContain(body.identifier);
  });

  it('gives every device its own identifier', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await registerDevice(t, 'team-2', '李强', dispatcher)).identifier);
    expect(ids.size).toBe(20);
  });

  it('refuses someone who is not a member of the team, naming body.memberName', async () => {
    const res = await register(dispatcher, 'team-1', { memberName: '李强' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'body.memberName' });
    expect((await register(dispatcher, 'no-such-team', { memberName: '张伟' })).status).toBe(404);
  });

  it("lets a security-company coordinator equip only the company's own teams; leaders and patrols none", async () => {
    const coordinator = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    expect((await register(coordinator, 'team-1', { memberName: '张伟' })).status).toBe(403);
    expect((await register(coordinator, 'team-2', { memberName: '李强' })).status).toBe(201);
    expect((await as(coordinator)(`${t.url}/api/teams/team-1/devices`)).status).toBe(403);
    expect((await register(await signIn(t, 'leader'), 'team-2', { memberName: '李强' })).status).toBe(403);
    expect((await register(await signIn(t, 'patrol'), 'team-2', { memberName: '李强' })).status).toBe(403);
  });

  it('revokes a device: its next position is refused with 403 and writes nothing, and the revocation is audited', async () => {
    const { identifier, device } = await registerDevice(t, 'team-1', '张伟', dispatcher);
    const fix = { deviceId: identifier, lon: 118.62, lat: 33.85, time: clock.now() };
    expect((await postJson(`${t.url}/api/positions`, fix)).status).toBe(200);
    const revoke = await as(dispatcher)(`${t.url}/api/teams/team-1/devices/${device.id}`, { method: 'DELETE' });
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toMatchObject({ device: { id: device.id, revokedAt: clock.now(), lastSeenAt: clock.now() } });

    const before = await storeDigest(t);
    clock.advance(5000);
    const refused = await postJson(`${t.url}/api/positions`, { ...fix, lon: 118.64, time: clock.now() });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ field: 'body.deviceId' });
    expect(await storeDigest(t)).toEqual(before);
    const teams = ((await (await as(dispatcher)(`${t.url}/api/teams`)).json()) as TeamsResponse).teams;
    expect(teams.find((x) => x.id === 'team-1')).toMatchObject({ lon: 118.62 });

    const [audit] = await t.app.audit.list({ action: 'device_revoke', limit: 1 });
    expect(audit).toMatchObject({ actor: dispatcher.username, target: device.id });
    const stats = (await (await as(dispatcher)(`${t.url}/api/tracking/stats`)).json()) as { counters: Record<string, number> };
    expect(stats.counters['rejected:http:403']).toBeGreaterThanOrEqual(1);
    expect(stats.counters['accepted:http']).toBeGreaterThanOrEqual(1);
  });

  it("shows each phone's battery on the team's phones list and on the map, from whichever app reported it", async () => {
    const osmand = await registerDevice(t, 'team-2', '李强', dispatcher);
    const owntracks = await registerDevice(t, 'team-2', '李强', dispatcher);
    const quiet = await registerDevice(t, 'team-2', '李强', dispatcher);
    clock.advance(1000);
    const osmandUrl = `http://127.0.0.1:${t.app.osmand.port}/?id=${osmand.identifier}&lat=33.86&lon=118.73&timestamp=${Math.floor(clock.now() / 1000)}&batt=64`;
    expect((await fetch(osmandUrl, { method: 'POST' })).status).toBe(200);
    clock.advance(1000);
    const ot = await postJson(`${t.url}/api/owntracks?id=${owntracks.identifier}`, { _type: 'location', lat: 33.861, lon: 118.731, tst: Math.floor(clock.now() / 1000), batt: 12 });
    expect(ot.status).toBe(200);

    const list = (await (await as(dispatcher)(`${t.url}/api/teams/team-2/devices`)).json()) as DevicesResponse;
    const byId = new Map(list.devices.map((d) => [d.id, d]));
    expect(byId.get(osmand.device.id)).toMatchObject({ battery: 64, batteryAt: clock.now() - 1000 });
    expect(byId.get(owntracks.device.id)).toMatchObject({ battery: 12, batteryAt: clock.now() });
    expect(byId.get(quiet.device.id)).toMatchObject({ battery: null, batteryAt: null });
    // The team's marker carries the latest report's battery (the low one).
    const teams = ((await (await as(dispatcher)(`${t.url}/api/teams`)).json()) as TeamsResponse).teams;
    expect(teams.find((x) => x.id === 'team-2')).toMatchObject({ battery: 12 });
    // Screens mark a phone low where the low-battery alert does: at the deployment's threshold.
    expect(await (await as(dispatcher)(`${t.url}/api/config`)).json()).toMatchObject({ batteryLowPercent: 30 });
  });

  it("answers 404 for another team's device id, and leaves it working", async () => {
    const { identifier, device } = await registerDevice(t, 'team-2', '李强', dispatcher);
    expect((await as(dispatcher)(`${t.url}/api/teams/team-1/devices/${device.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await postJson(`${t.url}/api/positions`, { deviceId: identifier, lon: 118.72, lat: 33.85, time: clock.now() })).status).toBe(200);
  });
});
