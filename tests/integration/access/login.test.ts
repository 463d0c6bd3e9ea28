import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { as, signIn, TEST_PASSWORD } from '../../helpers/auth.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';

const login = (t: TestApp, username: string, password: string) =>
  fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('POST /api/auth/login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
  });
  afterAll(async () => t?.stop());

  it('sets an httpOnly SameSite=Strict session cookie and /api/auth/me knows the user', async () => {
    const s = await signIn(t, 'dispatcher', { username: 'duty-officer' });
    const res = await login(t, 'duty-officer', TEST_PASSWORD);
    const cookie = res.headers.getSetCookie().join(';');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await (await as(s)(`${t.url}/api/auth/me`)).json();
    expect(me).toMatchObject({ user: { username: 'duty-officer', role: 'dispatcher' } });
  });

  it('answers a wrong password and an unknown user alike, with 401', async () => {
    await signIn(t, 'leader', { username: 'county-leader' });
    const wrong = await login(t, 'county-leader', 'not the password');
    const unknown = await login(t, 'no-such-user', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('backs off after five failed sign-ins: even the right password waits, with Retry-After', async () => {
    await signIn(t, 'coordinator', { username: 'guard-chief' });
    for (let i = 0; i < 5; i++) expect((await login(t, 'guard-chief', 'guess ' + i)).status).toBe(401);
    const locked = await login(t, 'guard-chief', TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const entries = await t.app.audit.list({ action: 'login_failed', actor: 'guard-chief', limit: 10 });
    expect(entries).toHaveLength(5);
  });

  it('names the field when the body is malformed', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a b' }) });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toMatch(/^body\./);
  });

  it('ends the session on logout: the cookie no longer opens the map', async () => {
    const s = await signIn(t, 'leader');
    expect((await as(s)(`${t.url}/api/teams`)).status).toBe(200);
    expect((await as(s)(`${t.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
    expect((await as(s)(`${t.url}/api/teams`)).status).toBe(401);
    const entries = await t.app.audit.list({ action: 'logout', actor: s.username, limit: 1 });
    expect(entries[0]).toMatchObject({ actor: s.username, role: 'leader', action: 'logout' });
  });
});

describe('organisation scope', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
  });
  afterAll(async () => t?.stop());

  const rename = (s: Awaited<ReturnType<typeof signIn>>, teamId: string, callSign: string) =>
    as(s)(`${t.url}/api/teams/${teamId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ callSign }) });

  it("refuses a security-company coordinator touching the police's team, and records nothing", async () => {
    const coordinator = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    const res = await rename(coordinator, 'team-1', '改名');
    expect(res.status).toBe(403);
    expect((await t.app.teams.get('team-1'))?.callSign).toBe('沭城巡01');
  });

  it("lets the coordinator rename the company's own team, and audits it", async () => {
    const coordinator = await signIn(t, 'coordinator', { organisationId: 'O-SC' });
    expect((await rename(coordinator, 'team-2', '金盾快反02')).status).toBe(200);
    expect((await t.app.teams.get('team-2'))?.callSign).toBe('金盾快反02');
    const [entry] = await t.app.audit.list({ action: 'team_change', limit: 1 });
    expect(entry).toMatchObject({ actor: coordinator.username, target: 'team-2' });
  });

  it('lets a dispatcher change any team, and a leader none', async () => {
    expect((await rename(await signIn(t, 'dispatcher'), 'team-1', '沭城巡01')).status).toBe(200);
    expect((await rename(await signIn(t, 'leader'), 'team-1', 'x')).status).toBe(403);
  });
});

describe('socket handshake', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.stop());

  it('refuses a socket without a session', async () => {
    const socket = connect(t.url, { transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
    socket.disconnect();
  });

  it('does not give a patrol phone the county-wide live feed', async () => {
    const patrol = await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2' });
    const socket = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: patrol.cookie } });
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const rooms = await t.app.io.in('dashboards').fetchSockets();
    expect(rooms.map((s) => s.id)).not.toContain(socket.id);
    socket.disconnect();
  });
});
