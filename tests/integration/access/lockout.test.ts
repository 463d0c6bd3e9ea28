/**
 * Attacks on sign-in: locking someone else out by name, spraying one password over many names,
 * and drowning the audit log in failures. Requests come from real sockets bound to different
 * loopback addresses (127.0.0.2, 127.0.0.3 …), as different clients would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { whenReady } from '../../../server/src/plugins/redis.ts';
import { as, signIn, TEST_PASSWORD } from '../../helpers/auth.ts';
import { loginFrom } from '../../helpers/fromAddress.ts';
import { FakeClock } from '../coverage/helpers.ts';

describe('sign-in back-off', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A clock that stands still: a back-off of one second holds however slowly a loaded machine sends the twenty attempts.
    t = await startTestApp({ clock: new FakeClock(Date.UTC(2026, 11, 4, 1, 0)) });
    await whenReady(t.app.redis, 10_000);
  });
  afterAll(async () => t?.stop());

  it('lock-out from another address: twenty wrong passwords for dispatcher from 127.0.0.2, then the real dispatcher signs in from 127.0.0.3', async () => {
    await signIn(t, 'dispatcher', { username: 'dispatcher' });
    const attempts: number[] = [];
    for (let i = 0; i < 20; i++) attempts.push((await loginFrom('127.0.0.2', t.url, 'dispatcher', `guess ${i}`)).status);
    expect(attempts.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attempts.slice(5).every((s) => s === 429)).toBe(true);

    const real = await loginFrom('127.0.0.3', t.url, 'dispatcher', TEST_PASSWORD);
    expect(real.status).toBe(200);
    expect(String(real.headers['set-cookie'])).toMatch(/lf_session=/);
  });

  it('keeps holding the attacking address back, even when it finally sends the right password', async () => {
    await signIn(t, 'leader', { username: 'night-leader' });
    for (let i = 0; i < 5; i++) expect((await loginFrom('127.0.0.4', t.url, 'night-leader', `guess ${i}`)).status).toBe(401);
    const attacker = await loginFrom('127.0.0.4', t.url, 'night-leader', TEST_PASSWORD);
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('password spraying: one address failing for twenty different names is held back for every name', async () => {
    await signIn(t, 'coordinator', { username: 'sprayed-chief' });
    for (let i = 0; i < 20; i++) expect((await loginFrom('127.0.0.5', t.url, `name-${i}`, 'Spring2024!')).status).toBe(401);
    expect((await loginFrom('127.0.0.5', t.url, 'sprayed-chief', TEST_PASSWORD)).status).toBe(429);
    // Another address is not held by that.
    expect((await loginFrom('127.0.0.6', t.url, 'sprayed-chief', TEST_PASSWORD)).status).toBe(200);
  });

  it('lets an admin clear a back-off, and audits the unlock', async () => {
    const admin = await signIn(t, 'admin');
    const target = await signIn(t, 'leader', { username: 'fumbling-leader' });
    for (let i = 0; i < 6; i++) await loginFrom('127.0.0.7', t.url, 'fumbling-leader', `typo ${i}`);
    expect((await loginFrom('127.0.0.7', t.url, 'fumbling-leader', TEST_PASSWORD)).status).toBe(429);

    const res = await as(admin)(`${t.url}/api/admin/users/${target.userId}/lockout`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ addresses: 1 });
    expect((await loginFrom('127.0.0.7', t.url, 'fumbling-leader', TEST_PASSWORD)).status).toBe(200);
    const [entry] = await t.app.audit.list({ action: 'lockout_clear', limit: 1 });
    expect(entry).toMatchObject({ actor: admin.username, action: 'lockout_clear', target: 'fumbling-leader', detail: { addresses: 1 } });
  });

  it('refuses the unlock to anyone but an admin', async () => {
    const dispatcher = await signIn(t, 'dispatcher');
    const res = await as(dispatcher)(`${t.url}/api/admin/users/${dispatcher.userId}/lockout`, { method: 'DELETE' });
    expect(res.status).toBe(403);
  });
});

describe('failed sign-ins in the audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A clock that stands still: a back-off of one second holds however slowly a loaded machine sends the twenty attempts.
    t = await startTestApp({ clock: new FakeClock(Date.UTC(2026, 11, 4, 1, 0)) });
    await whenReady(t.app.redis, 10_000);
  });
  afterAll(async () => t?.stop());

  it('spraying random names leaves the record of actions untouched: failures go to a stream of their own', async () => {
    const admin = await signIn(t, 'admin');
    await as(admin)(`${t.url}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'new-leader', name: '新领导', role: 'leader', password: TEST_PASSWORD }),
    });
    const actionsBefore = await t.app.redis.xLen(t.app.keys.audit);

    for (let i = 0; i < 15; i++) expect((await loginFrom('127.0.0.8', t.url, `random-${i}`, 'x')).status).toBe(401);

    expect(await t.app.redis.xLen(t.app.keys.audit)).toBe(actionsBefore);
    expect(await t.app.redis.xLen(t.app.keys.auditLoginFailures)).toBe(15);
    // Admins still read both: failures on their own, and merged newest first.
    expect(await t.app.audit.list({ action: 'login_failed', limit: 100 })).toHaveLength(15);
    const all = await t.app.audit.list({ limit: 100 });
    expect(all[0]).toMatchObject({ action: 'login_failed', actor: 'random-14', ip: '127.0.0.8' });
    expect(all.some((e) => e.action === 'user_create' && e.target === 'new-leader')).toBe(true);
  });
});
