/**
 * Wall displays (显示屏) with real Redis and two server processes: only admins register them,
 * scopes are checked, the token signs a wall in without a session and reads like a leader of its
 * scope but writes nothing, a retried create answers the same display, and a revoked display is
 * refused (HTTP 401, sockets closed) on both processes, every step audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@lianfang/server/events';
import type { CreatedDisplay, DisplaysResponse } from '../../../server/src/displays/schemas.ts';
import type { WallFigures } from '../../../server/src/wall/schemas.ts';
import { WALL_ROUTES } from '../../../server/src/displays/plugin.ts';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, type Client } from '../coverage/helpers.ts';

type Sock = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('wall displays', () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let admin: Client;
  let dispatcher: Client;
  const sockets: Sock[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestApp({ redis, coverageTickMs: 0, orderTickMs: 0 });
    b = await startTestApp({ redis, coverageTickMs: 0, orderTickMs: 0 });
    await seedCounty(a.app, smallCounty());
    admin = client(a, await signIn(a, 'admin'));
    dispatcher = client(a, await signIn(a, 'dispatcher'));
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await b?.stop();
    await a?.stop();
    await redis?.stop();
  });

  /** Registers a display; answers it, its URL and the cookie its sign-in sets. */
  async function register(body: object): Promise<CreatedDisplay & { cookie: string }> {
    const res = await admin.post('/api/displays', body);
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedDisplay;
    return { ...created, cookie: await exchange(a, created.url) };
  }

  /** Opens the display URL as the wall's browser does once: answers the cookie it is given. */
  async function exchange(t: TestApp, url: string): Promise<string> {
    const res = await fetch(t.url + new URL(url).pathname + new URL(url).search, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/wall');
    const set = res.headers.getSetCookie().find((c) => c.startsWith('lf_display='));
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    return set!.split(';')[0]!;
  }

  const read = (t: TestApp, cookie: string, path: string, init: RequestInit = {}) =>
    fetch(t.url + path, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });

  const openSocket = (t: TestApp, cookie: string): Promise<Sock> =>
    new Promise((resolve, reject) => {
      const s: Sock = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
      sockets.push(s);
      s.on('connect', () => resolve(s));
      s.on('connect_error', reject);
    });

  it('lets only admins register a display (a dispatcher gets 403)', async () => {
    const res = await dispatcher.post('/api/displays', { name: '指挥中心大屏', scope: { kind: 'county' } });
    expect(res.status).toBe(403);
    expect((await dispatcher.get('/api/displays')).status).toBe(403);
  });

  it('refuses a bad scope with 400 naming the field', async () => {
    let res = await admin.post('/api/displays', { name: '大屏', scope: { kind: 'townships', townshipIds: ['T-A', 'T-NOPE'] } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'body.scope.townshipIds', code: 'unknown_township' });
    res = await admin.post('/api/displays', { name: '大屏', scope: { kind: 'city' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toMatch(/^body\.scope/);
    res = await admin.post('/api/displays', { name: '', scope: { kind: 'county' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe('body.name');
  });

  it('answers a token of at least 32 random bytes once, stores only its hash, and lists the display with its last read', async () => {
    const d = await register({ name: '指挥中心大屏', scope: { kind: 'county' } });
    const token = new URL(d.url).searchParams.get('display')!;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const dump = JSON.stringify([await a.app.redis.hGetAll(a.app.keys.displays), await a.app.redis.hGetAll(a.app.keys.displayTokens)]);
    expect(dump).not.toContain(token);
    expect((await read(a, d.cookie, '/api/wall/figures')).status).toBe(200);
    await waitFor(async () => {
      const list = (await (await admin.get('/api/displays')).json()) as DisplaysResponse;
      return list.displays.find((x) => x.id === d.display.id)?.lastSeenAt !== null;
    });
  });

  it('reads the figures and the live feed with the token alone, no user session', async () => {
    const d = await register({ name: '大屏', scope: { kind: 'county' } });
    const res = await read(b, d.cookie, '/api/wall/figures');
    expect(res.status).toBe(200);
    const figures = (await res.json()) as WallFigures;
    expect(figures.scope).toBe('county');
    expect(figures.coverage.townships.map((t) => t.id).sort()).toEqual(['T-A', 'T-B']);
    expect((await read(a, d.cookie, '/api/teams')).status).toBe(200);
    const s = await openSocket(b, d.cookie);
    expect(s.connected).toBe(true);
  });

  it('shows incidents on the wall without the resident who called', async () => {
    const d = await register({ name: '大屏', scope: { kind: 'county' } });
    // The live feed too, on the other process: the wall's socket hears the incident, not who called.
    const s = await openSocket(b, d.cookie);
    const heard = new Map<string, { reporter: unknown }>();
    s.on('incident:changed', (batch) => {
      for (const i of batch.incidents) heard.set(i.id, i);
    });
    const created = await dispatcher.post('/api/incidents', { id: `wall-${Date.now()}`, category: 'help', lon: 118.76, lat: 33.84, description: '老人摔倒', reporterName: '王大妈', reporterPhone: '13800001111' });
    expect(created.status).toBe(201);
    const { incident } = (await created.json()) as { incident: { id: string; reporter: unknown } };
    expect(incident.reporter).not.toBeNull();
    await waitFor(async () => heard.has(incident.id));
    expect(heard.get(incident.id)!.reporter).toBeNull();
    const list = (await (await read(a, d.cookie, '/api/incidents?state=new')).json()) as { incidents: { id: string; reporter: unknown }[] };
    expect(list.incidents.find((i) => i.id === incident.id)).toMatchObject({ reporter: null });
    const one = (await (await read(b, d.cookie, `/api/incidents/${incident.id}`)).json()) as { reporter: unknown };
    expect(one.reporter).toBeNull();
    expect((await read(a, d.cookie, '/api/incidents?q=13800001111')).status).toBe(200);
    const searched = (await (await read(a, d.cookie, '/api/incidents?q=13800001111')).json()) as { incidents: unknown[] };
    expect(searched.incidents.length).toBeGreaterThan(0); // the search is ignored, not answered by the phone
  });

  it('narrows a township display to its townships', async () => {
    const d = await register({ name: '胡集大屏', scope: { kind: 'townships', townshipIds: ['T-B'] } });
    const figures = (await (await read(a, d.cookie, '/api/wall/figures')).json()) as WallFigures;
    expect(figures.scope).toEqual(['T-B']);
    expect(figures.coverage.townships.map((t) => t.id)).toEqual(['T-B']);
  });

  it('registers an event display only for an event there is, 400 naming body.scope.eventId otherwise', async () => {
    for (const [scope, code] of [[{ kind: 'event' }, 'required'], [{ kind: 'event', eventId: 'no-such-event' }, 'unknown_event']] as const) {
      const res = await admin.post('/api/displays', { name: '活动大屏', scope });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field: 'body.scope.eventId', code });
    }
  });

  it("lets an event display read its own event's board and no other (403), and a county display none", async () => {
    const event = (id: string) => ({ id, name: '五一庙会', start: Date.now(), end: Date.now() + 3_600_000, perimeter: { gridIds: ['G-A1'] }, posts: [{ name: '车站岗', lon: 118.62, lat: 33.85, radius: 100, headcount: 1, teamIds: ['team-1'] }] });
    for (const id of ['wall-event-one', 'wall-event-two']) expect((await dispatcher.post('/api/events', event(id))).status).toBe(201);
    const d = await register({ name: '庙会大屏', scope: { kind: 'event', eventId: 'wall-event-one' } });
    expect(d.display.scope).toEqual({ kind: 'event', eventId: 'wall-event-one' });
    const figures = (await (await read(b, d.cookie, '/api/wall/figures')).json()) as WallFigures;
    expect(figures).toMatchObject({ eventId: 'wall-event-one', scope: 'county' });
    const own = await read(b, d.cookie, '/api/events/wall-event-one/board');
    expect(own.status).toBe(200);
    expect(((await own.json()) as { posts: { name: string; state: string }[] }).posts).toMatchObject([{ name: '车站岗' }]);
    const other = await read(a, d.cookie, '/api/events/wall-event-two/board');
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'display_read_only' });
    expect((await read(a, d.cookie, '/api/events')).status).toBe(403);
    const county = await register({ name: '大屏', scope: { kind: 'county' } });
    expect((await read(a, county.cookie, '/api/events/wall-event-one/board')).status).toBe(403);
  });

  it("refuses the token (403) on every route the wall does not read: writes, members' phones, tracks, exports, the audit log", async () => {
    const d = await register({ name: '大屏', scope: { kind: 'county' } });
    const failures: string[] = [];
    for (const route of a.app.routeTable) {
      if (route.access === 'public' || route.access === 'device') continue;
      if (route.method === 'GET' && WALL_ROUTES.has(route.url)) continue;
      const init: RequestInit = { method: route.method };
      if (route.method !== 'GET' && route.method !== 'DELETE') init.headers = { 'content-type': 'application/json' };
      if (init.headers) init.body = '{}';
      const res = await read(a, d.cookie, route.url.replace(/:(\w+)/g, 'none'), init);
      await res.arrayBuffer();
      if (res.status !== 403) failures.push(`${route.method} ${route.url}: ${res.status}`);
    }
    // The routes a leader may read but a public screen must not were among those refused.
    const gets = new Set(a.app.routeTable.filter((r) => r.method === 'GET').map((r) => r.url));
    for (const url of ['/api/teams/:id', '/api/teams/:id/track', '/api/incidents/export', '/api/admin/audit', '/api/roster/teams', '/api/checkins']) {
      if (!gets.has(url)) failures.push(`no GET ${url} to check`);
    }
    expect(failures).toEqual([]);
    expect(a.app.routeTable.filter((r) => r.method !== 'GET').length).toBeGreaterThan(10);
    // A socket event that would write is refused too.
    const s = await openSocket(a, d.cookie);
    const answer = await new Promise((resolve) => s.emit('patrol:whoami', resolve));
    expect(answer).toMatchObject({ error: { code: 'display_read_only' } });
  });

  it('answers a retried create with the same display, and 409 for the same id with another body', async () => {
    const body = { id: 'wall-retry-0001', name: '重试大屏', scope: { kind: 'townships', townshipIds: ['T-A'] } };
    const first = await admin.post('/api/displays', body);
    expect(first.status).toBe(201);
    const one = (await first.json()) as CreatedDisplay;
    const again = await admin.post('/api/displays', body);
    expect(again.status).toBe(200);
    const two = (await again.json()) as CreatedDisplay;
    expect(two.display.id).toBe(one.display.id);
    const list = (await (await admin.get('/api/displays')).json()) as DisplaysResponse;
    expect(list.displays.filter((x) => x.id === 'wall-retry-0001')).toHaveLength(1);
    // Only the last URL answered works.
    await exchange(a, two.url);
    const stale = await fetch(a.url + new URL(one.url).pathname + new URL(one.url).search, { redirect: 'manual' });
    expect(stale.headers.getSetCookie().some((c) => c.startsWith('lf_display='))).toBe(false);
    const other = await admin.post('/api/displays', { ...body, name: '别的名字' });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ field: 'body.id' });
  });

  it('revokes: sockets on both processes close, the next request is 401 on both, and the steps are audited', async () => {
    const d = await register({ name: '撤销大屏', scope: { kind: 'county' } });
    const onA = await openSocket(a, d.cookie);
    const onB = await openSocket(b, d.cookie);
    const closed = (s: Sock) => new Promise<string>((resolve) => s.on('disconnect', resolve));
    const closing = Promise.all([closed(onA), closed(onB)]);
    expect((await admin.del(`/api/displays/${d.display.id}`)).status).toBe(204);
    expect(await closing).toEqual(['io server disconnect', 'io server disconnect']);
    for (const t of [a, b]) {
      const res = await read(t, d.cookie, '/api/wall/figures');
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'display_revoked' });
    }
    await expect(openSocket(b, d.cookie)).rejects.toThrow('display_revoked');
    const list = (await (await admin.get('/api/displays')).json()) as DisplaysResponse;
    expect(list.displays.some((x) => x.id === d.display.id)).toBe(false);
    expect((await admin.del(`/api/displays/${d.display.id}`)).status).toBe(404);

    const audit = (await (await admin.get('/api/admin/audit?limit=200')).json()) as { entries: { action: string; target: string; role: string }[] };
    const mine = audit.entries.filter((e) => e.target === `display:${d.display.id}`).map((e) => [e.action, e.role]);
    expect(mine).toEqual([
      ['display_revoke', 'admin'],
      ['display_create', 'admin'],
    ]);
  });
});
