/**
 * A session is more than its handshake: logout, disabling a user, a role change and a password
 * change reach live sockets at once (in every server process), and sessions slide with use up
 * to an absolute maximum. Time is a fake clock; socket closes are awaited with a 1 s budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { whenReady } from '../../../server/src/plugins/redis.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { as, signIn, TEST_PASSWORD, type SignedIn } from '../../helpers/auth.ts';
import { tokenHash } from '../../../server/src/access/store.ts';

async function liveSocket(t: TestApp, session: SignedIn): Promise<Socket> {
  const socket = connect(t.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves the disconnect reason; rejects when the socket is still open after `budgetMs`. */
function closedWithin(socket: Socket, budgetMs = 1000): Promise<string> {
  return watchClose(socket).within(budgetMs);
}

/** Watches for the close now; `within(ms)` starts the budget later (after a slow request returns). */
function watchClose(socket: Socket) {
  let reason: string | undefined;
  const closed = new Promise<string>((resolve) => socket.once('disconnect', (r) => resolve((reason = r))));
  return {
    within: (budgetMs: number) =>
      reason !== undefined
        ? Promise.resolve(reason)
        : new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`socket still open after ${budgetMs} ms`)), budgetMs);
            void closed.then((r) => {
              clearTimeout(timer);
              resolve(r);
            });
          }),
  };
}

/** Waits until `other` process sees the user's socket through the adapter (its pub/sub is up). */
const seenBy = (other: TestApp, userId: string) => waitFor(async () => (await other.app.io.in(`user:${userId}`).fetchSockets()).length > 0, 10_000);

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('live sockets follow the session', () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    redis = await startRedis();
    // Two server processes on one Redis: a change made through one closes sockets held by the other.
    a = await startTestApp({ redis, redisPrefix: 'lf:' });
    await whenReady(a.app.redis, 10_000);
    b = await startTestApp({ redis, redisPrefix: 'lf:' });
    await whenReady(b.app.redis, 10_000);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  it('logout closing a live socket within a second', async () => {
    const leader = await signIn(a, 'leader');
    const socket = await liveSocket(a, leader);
    const closed = closedWithin(socket);
    expect((await as(leader)(`${a.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
  });

  it('logout through another server process closes the socket held by this one', async () => {
    const leader = await signIn(a, 'leader');
    const socket = await liveSocket(a, leader);
    await seenBy(b, leader.userId);
    const closed = closedWithin(socket);
    expect((await as(leader)(`${b.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
  });

  it("leaves the user's other devices signed in and connected at logout", async () => {
    const phone = await signIn(a, 'dispatcher', { username: 'two-screens' });
    const desk = await signIn(a, 'dispatcher', { username: 'two-screens' });
    const deskSocket = await liveSocket(a, desk);
    const phoneSocket = await liveSocket(a, phone);
    const phoneClosed = closedWithin(phoneSocket);
    await as(phone)(`${a.url}/api/auth/logout`, { method: 'POST' });
    await phoneClosed;
    const pong = await deskSocket.timeout(1000).emitWithAck('system:ping');
    expect(pong).toMatchObject({ data: { at: expect.any(Number) } });
    expect((await as(desk)(`${a.url}/api/auth/me`)).status).toBe(200);
    deskSocket.disconnect();
  });

  it("disabling a user closes the user's live sockets and ends the sessions", async () => {
    const admin = await signIn(a, 'admin');
    const coordinator = await signIn(a, 'coordinator');
    const socket = await liveSocket(a, coordinator);
    await seenBy(b, coordinator.userId);
    const closed = closedWithin(socket);
    expect((await as(admin)(`${b.url}/api/admin/users/${coordinator.userId}`, { method: 'PATCH', ...json({ disabled: true }) })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await as(coordinator)(`${a.url}/api/auth/me`)).status).toBe(401);
  });

  it('a role change closes the live socket, which reconnects with what the new role may see', async () => {
    const admin = await signIn(a, 'admin');
    const dispatcher = await signIn(a, 'dispatcher');
    const socket = await liveSocket(a, dispatcher);
    const closed = closedWithin(socket);
    await as(admin)(`${a.url}/api/admin/users/${dispatcher.userId}`, { method: 'PATCH', ...json({ role: 'patrol', organisationId: 'O-SC', teamId: 'team-2' }) });
    expect(await closed).toBe('io server disconnect');
    const again = await liveSocket(a, dispatcher);
    const viewers = await a.app.io.in('dashboards').fetchSockets();
    expect(viewers.map((s) => s.id)).not.toContain(again.id);
    again.disconnect();
  });
});

describe('password change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await whenReady(t.app.redis, 10_000);
  });
  afterAll(async () => t?.stop());

  it("ends the user's other sessions and their sockets, and keeps the one that changed it", async () => {
    const here = await signIn(t, 'leader', { username: 'careful-leader' });
    const stolen = await signIn(t, 'leader', { username: 'careful-leader' });
    const stolenSocket = await liveSocket(t, stolen);
    const close = watchClose(stolenSocket);
    // The budget starts when the change is answered: checking and hashing passwords takes its time.
    const res = await as(here)(`${t.url}/api/auth/password`, { method: 'POST', ...json({ currentPassword: TEST_PASSWORD, password: 'a new long password' }) });
    expect(res.status).toBe(204);
    expect(await close.within(1000)).toBe('io server disconnect');
    expect((await as(stolen)(`${t.url}/api/auth/me`)).status).toBe(401);
    expect((await as(here)(`${t.url}/api/auth/me`)).status).toBe(200);
  });

  it('refuses a change without the current password', async () => {
    const leader = await signIn(t, 'leader');
    const res = await as(leader)(`${t.url}/api/auth/password`, { method: 'POST', ...json({ currentPassword: 'a guess', password: 'a new long password' }) });
    expect(res.status).toBe(403);
    expect((await as(leader)(`${t.url}/api/auth/me`)).status).toBe(200);
  });

  it("ends every session of a user whose password an admin resets, and not the admin's", async () => {
    const admin = await signIn(t, 'admin');
    const user = await signIn(t, 'dispatcher');
    const res = await as(admin)(`${t.url}/api/admin/users/${user.userId}`, { method: 'PATCH', ...json({ password: 'reset by the admin' }) });
    expect(res.status).toBe(200);
    expect((await as(user)(`${t.url}/api/auth/me`)).status).toBe(401);
    expect((await as(admin)(`${t.url}/api/auth/me`)).status).toBe(200);
  });
});

describe('sliding sessions', () => {
  const start = Date.UTC(2025, 4, 1, 8);
  let now = start;
  const clock = { now: () => now };
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ clock, sessionTtlHours: 1, sessionMaxHours: 3 });
    await whenReady(t.app.redis, 10_000);
  });
  afterAll(async () => t?.stop());

  const sessionKey = (s: SignedIn) => t.app.keys.session(tokenHash(s.cookie.split('=')[1]!));

  it('renews an idle session that is used again, so an active user is not signed out mid-shift', async () => {
    now = start;
    const s = await signIn(t, 'dispatcher');
    await t.app.redis.pExpire(sessionKey(s), 60_000); // as if nearly an hour had passed idle
    now += 10 * 60_000;
    expect((await as(s)(`${t.url}/api/auth/me`)).status).toBe(200);
    expect(await t.app.redis.pTTL(sessionKey(s))).toBeGreaterThan(59 * 60_000);
  });

  it('does not rewrite the session on every request (only after a few minutes)', async () => {
    now = start;
    const s = await signIn(t, 'dispatcher');
    await t.app.redis.pExpire(sessionKey(s), 600_000);
    now += 60_000;
    expect((await as(s)(`${t.url}/api/auth/me`)).status).toBe(200);
    expect(await t.app.redis.pTTL(sessionKey(s))).toBeLessThanOrEqual(600_000);
  });

  it('ends a session at its absolute maximum however much it is used', async () => {
    now = start;
    const s = await signIn(t, 'leader');
    now = start + 2.5 * 3600_000;
    expect((await as(s)(`${t.url}/api/auth/me`)).status).toBe(200);
    // Renewed, but only up to the maximum.
    expect(await t.app.redis.pTTL(sessionKey(s))).toBeLessThanOrEqual(0.5 * 3600_000);
    now = start + 3 * 3600_000;
    expect((await as(s)(`${t.url}/api/auth/me`)).status).toBe(401);
    expect(await t.app.redis.exists(sessionKey(s))).toBe(0);
  });

  it('keeps the cookie as long as the session may last, so renewal is not cut short by the browser', async () => {
    now = start;
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', ...json({ username: (await signIn(t, 'leader')).username, password: TEST_PASSWORD }) });
    expect(res.headers.getSetCookie().join(';')).toMatch(/Max-Age=10800/);
  });
});
