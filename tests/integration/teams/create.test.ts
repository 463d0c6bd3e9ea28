import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterResponse, TeamChangedResponse, TeamsResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';

describe('POST /api/teams', () => {
  let t: TestApp;
  let coordinator: SignedIn;
  const send = (s: SignedIn, method: string, path: string, body: unknown) =>
    as(s)(`${t.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const newTeam = (over: Record<string, unknown> = {}) => ({
    callSign: '金盾03',
    agency: 'security',
    organisationId: 'O-SC',
    gridIds: ['G-B2'],
    members: [{ name: '王芳', phone: '13911110003', role: 'security_guard' }],
    ...over,
  });

  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
    coordinator = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
  });
  afterAll(async () => t?.stop());

  it("lets a security company's coordinator create a team of the company, audited and on the map's list", async () => {
    const res = await send(coordinator, 'POST', '/api/teams', newTeam({ id: 'jd-03' }));
    expect(res.status).toBe(201);
    const { team } = (await res.json()) as TeamChangedResponse;
    expect(team).toMatchObject({ id: 'jd-03', callSign: '金盾03', organisationId: 'O-SC', townshipId: 'T-B', gridIds: ['G-B2'], members: [{ name: '王芳' }] });
    const { teams } = (await (await as(coordinator)(`${t.url}/api/teams`)).json()) as TeamsResponse;
    expect(teams.map((x) => x.callSign)).toContain('金盾03');
    const [audit] = await t.app.audit.list({ action: 'team_create', limit: 1 });
    expect(audit).toMatchObject({ actor: coordinator.username, target: 'jd-03' });
  });

  it('does not create a team twice when the same request is sent again', async () => {
    const body = newTeam({ id: 'jd-04', callSign: '金盾04' });
    const first = await send(coordinator, 'POST', '/api/teams', body);
    const again = await send(coordinator, 'POST', '/api/teams', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(((await again.json()) as TeamChangedResponse).team.id).toBe('jd-04');
    const { teams } = (await (await as(coordinator)(`${t.url}/api/teams`)).json()) as TeamsResponse;
    expect(teams.filter((x) => x.callSign === '金盾04')).toHaveLength(1);
    expect(await t.app.audit.list({ action: 'team_create', limit: 10 })).toHaveLength(2);
    // The same id with other content is another team: refused.
    const other = await send(coordinator, 'POST', '/api/teams', { ...body, callSign: '金盾05' });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: 'team_id_taken', field: 'body.id' });
  });

  it('gives a team sent without an id the next TMnnn', async () => {
    const res = await send(coordinator, 'POST', '/api/teams', newTeam({ callSign: '金盾06', gridIds: [] }));
    expect(res.status).toBe(201);
    expect(((await res.json()) as TeamChangedResponse).team.id).toBe('TM001');
  });

  it("refuses a coordinator a team of another organisation with 403 other_organisation", async () => {
    const res = await send(coordinator, 'POST', '/api/teams', newTeam({ organisationId: 'O-PS', agency: 'police', callSign: '沭城巡09' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'other_organisation', field: 'body.organisationId' });
    expect(await t.app.teams.count()).toBe(5);
  });

  it('refuses a call sign another team has with 409 call_sign_taken, on create and on rename', async () => {
    const dispatcher = await signIn(t, 'dispatcher');
    const res = await send(dispatcher, 'POST', '/api/teams', newTeam({ callSign: ' 沭城巡01 ', organisationId: 'O-PS', agency: 'police' }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'call_sign_taken', field: 'body.callSign', params: { callSign: '沭城巡01' } });
    const rename = await send(coordinator, 'PATCH', '/api/teams/team-2', { callSign: '沭城巡01' });
    expect(rename.status).toBe(409);
    expect(await rename.json()).toMatchObject({ code: 'call_sign_taken' });
    // Keeping its own call sign is no clash.
    expect((await send(coordinator, 'PATCH', '/api/teams/team-2', { callSign: '金盾02' })).status).toBe(200);
  });

  it('answers a bad field with 400 naming it', async () => {
    const phone = await send(coordinator, 'POST', '/api/teams', newTeam({ callSign: '金盾07', members: [{ name: '赵六', phone: 'call me', role: 'security_guard' }] }));
    expect(phone.status).toBe(400);
    expect(await phone.json()).toMatchObject({ field: 'body.members.0.phone', code: 'bad_format' });
    const blank = await send(coordinator, 'POST', '/api/teams', newTeam({ callSign: '   ' }));
    expect(blank.status).toBe(400);
    expect(await blank.json()).toMatchObject({ field: 'body.callSign' });
    const grid = await send(coordinator, 'POST', '/api/teams', newTeam({ callSign: '金盾07', gridIds: ['G-NOPE'] }));
    expect(grid.status).toBe(400);
    expect(await grid.json()).toMatchObject({ field: 'body.gridIds', code: 'unknown_grid' });
    const agency = await send(coordinator, 'POST', '/api/teams', newTeam({ callSign: '金盾07', agency: 'army' }));
    expect(agency.status).toBe(400);
    expect(await agency.json()).toMatchObject({ field: 'body.agency' });
  });

  it("lets a coordinator change the members of the company's team, not another organisation's", async () => {
    const members = [
      { name: '李强', phone: '13911110002', role: 'security_guard' },
      { name: '陈静', phone: '13911110008', role: 'security_guard' },
    ];
    const res = await send(coordinator, 'PATCH', '/api/teams/team-2', { members });
    expect(res.status).toBe(200);
    expect(((await res.json()) as TeamChangedResponse).team.members.map((m) => m.name)).toEqual(['李强', '陈静']);
    const other = await send(coordinator, 'PATCH', '/api/teams/team-1', { members });
    expect(other.status).toBe(403);
    expect((await t.app.teams.get('team-1'))!.members.map((m) => m.name)).toEqual(['张伟']);
  });

  it('lists organisations by name for the team form, and refuses leaders and patrols a new team', async () => {
    const res = await as(coordinator)(`${t.url}/api/organisations`);
    expect(await res.json()).toMatchObject({ organisations: expect.arrayContaining([{ id: 'O-SC', name: '金盾保安公司', kind: 'security_company', townshipId: null }]) });
    expect((await send(await signIn(t, 'leader'), 'POST', '/api/teams', newTeam({ callSign: '金盾08' }))).status).toBe(403);
    expect((await send(await signIn(t, 'patrol'), 'POST', '/api/teams', newTeam({ callSign: '金盾08' }))).status).toBe(403);
  });
});

describe('GET /api/roster/teams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
  });
  afterAll(async () => t?.stop());

  it("shows a coordinator every team's counts but only its own organisation's members", async () => {
    const coordinator = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    const { teams } = (await (await as(coordinator)(`${t.url}/api/roster/teams`)).json()) as RosterResponse;
    expect(teams.find((x) => x.id === 'team-2')).toMatchObject({ callSign: '金盾02', memberCount: 1, members: [{ name: '李强' }], gridIds: ['G-B1'], status: 'off_duty' });
    expect(teams.find((x) => x.id === 'team-1')).toMatchObject({ callSign: '沭城巡01', memberCount: 1, members: null });
    const dispatcher = await signIn(t, 'dispatcher');
    const all = (await (await as(dispatcher)(`${t.url}/api/roster/teams`)).json()) as RosterResponse;
    expect(all.teams.find((x) => x.id === 'team-1')!.members).toEqual([{ name: '张伟', phone: '13911110001', role: 'police_officer' }]);
  });
});
