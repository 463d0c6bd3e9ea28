/**
 * Refusals the web can word in the user's language: every 4xx and 5xx body carries a `code` (and
 * the limits it needs in `params`) besides the field, so no screen shows the server's English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, type Client } from '../coverage/helpers.ts';

type Body = { code: string; field?: string; params?: Record<string, string | number>; message: string };

describe('error codes', () => {
  let t: TestApp;
  let admin: Client;
  let leader: Client;
  beforeAll(async () => {
    t = await startTestApp({ coverageTickMs: 0, incidentTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    admin = client(t, await signIn(t, 'admin'));
    leader = client(t, await signIn(t, 'leader'));
  });
  afterAll(async () => t?.stop());

  const body = async (res: Response) => ({ status: res.status, ...((await res.json()) as Body) });

  it('a name that is too long is refused with the field, the code and the limit the screen shows', async () => {
    const res = await body(await admin.post('/api/admin/users', { username: 'ok_name', name: '名'.repeat(200), role: 'dispatcher', password: 'long enough 1' }));
    expect(res).toMatchObject({ status: 400, field: 'body.name', code: 'too_long' });
    expect(typeof res.params?.limit).toBe('number');
  });

  it('a missing field is "required", naming the field', async () => {
    expect(await body(await admin.post('/api/admin/users', { name: '张三', role: 'dispatcher', password: 'long enough 1' }))).toMatchObject({ status: 400, code: 'required', field: 'body.username' });
  });

  it('a role that may not act gets "forbidden", an unknown id "not_found" and a taken username its own code', async () => {
    expect(await body(await leader.post('/api/admin/users', { username: 'x_user', name: 'x', role: 'dispatcher', password: 'long enough 1' }))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await body(await admin.get('/api/geo/locations/L-nope'))).toMatchObject({ status: 404, code: 'not_found', field: 'params.id' });
    const user = { username: 'twice_user', name: '两次', role: 'dispatcher', password: 'long enough 1' };
    expect((await admin.post('/api/admin/users', user)).status).toBe(201);
    expect(await body(await admin.post('/api/admin/users', user))).toMatchObject({ status: 409, code: 'username_taken', field: 'body.username' });
  });

  it('a wrong password at sign-in is "wrong_credentials"', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'not the password' }) });
    expect(await body(res)).toMatchObject({ status: 401, code: 'wrong_credentials' });
  });
});
