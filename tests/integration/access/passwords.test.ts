/**
 * Password hashes at production's cost: scrypt N=2^17 (OWASP), and hashes made with the old,
 * cheaper parameters upgraded at the next sign-in. This file alone signs in at full cost (about a
 * second per hash), so it signs in only a few times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@lianfang/server';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { whenReady } from '../../../server/src/plugins/redis.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../../server/src/access/passwords.ts';
import { TEST_PASSWORD } from '../../helpers/auth.ts';

const login = (t: TestApp, username: string, password: string) =>
  fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('password hashing', () => {
  it('always hashes at N=2^17 in production: no environment variable lowers it', () => {
    expect(loadConfig({}).passwordLogN).toBe(17);
    expect(loadConfig({ PASSWORD_LOG_N: '10', SCRYPT_N: '1024' }).passwordLogN).toBe(17);
  });

  it('refuses a stored hash that asks for absurd memory instead of allocating it', async () => {
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
  });
});

describe('rehash at sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ passwordLogN: 17 });
    await whenReady(t.app.redis, 10_000);
  });
  afterAll(async () => t?.stop());

  it('upgrades a hash made at N=2^14 to N=2^17 when its user signs in, and the password still works', async () => {
    const old = await hashPassword(TEST_PASSWORD, 14);
    expect(old).toMatch(/^scrypt\$16384\$8\$1\$/);
    const user = await t.app.access.store.createUser({ username: 'old-timer', name: '老用户', role: 'leader', organisationId: null, teamId: null, passwordHash: old }, Date.now());
    if (!user) throw new Error('not created');

    expect((await login(t, 'old-timer', TEST_PASSWORD)).status).toBe(200);
    const upgraded = (await t.app.access.store.getUser(user.id))!.passwordHash;
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(needsRehash(upgraded)).toBe(false);

    expect((await login(t, 'old-timer', TEST_PASSWORD)).status).toBe(200);
    expect((await login(t, 'old-timer', 'not the password')).status).toBe(401);
    expect((await t.app.access.store.getUser(user.id))!.passwordHash).toBe(upgraded);
  });

  it('leaves the hash alone after a failed sign-in', async () => {
    const old = await hashPassword(TEST_PASSWORD, 14);
    const user = await t.app.access.store.createUser({ username: 'old-timer-2', name: '老用户', role: 'leader', organisationId: null, teamId: null, passwordHash: old }, Date.now());
    if (!user) throw new Error('not created');
    expect((await login(t, 'old-timer-2', 'a wrong guess')).status).toBe(401);
    expect((await t.app.access.store.getUser(user.id))!.passwordHash).toBe(old);
  });
});
