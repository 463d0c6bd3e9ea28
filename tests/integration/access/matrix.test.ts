/**
 * Every route, called as each role and as nobody, answers as its declared access rule says.
 * The cases come from the app's own route table, so a new route cannot be left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../server/src/access/roles.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { signIn, type SignedIn } from '../../helpers/auth.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';

describe('access matrix', () => {
  let t: TestApp;
  const sessions = new Map<Role, SignedIn>();
  beforeAll(async () => {
    t = await startTestApp();
    await seedCounty(t.app, smallCounty());
    for (const role of ROLES) sessions.set(role, await signIn(t, role));
  });
  afterAll(async () => t?.stop());

  it('knows every /api route and its rule', () => {
    expect(t.app.routeTable.length).toBeGreaterThanOrEqual(15);
    expect(t.app.routeTable).toContainEqual({ method: 'GET', url: '/api/health', access: 'public' });
  });

  it('answers every route as each role and as nobody per its access rule (2xx-4xx but never a wrong 401/403)', async () => {
    const failures: string[] = [];
    const table: string[] = [];
    for (const route of t.app.routeTable) {
      const url = t.url + route.url.replace(/:(\w+)/g, 'none');
      const row: string[] = [];
      for (const who of [undefined, ...ROLES] as (Role | undefined)[]) {
        if (route.url === '/api/auth/logout' && who) continue; // would end the session other rows use
        const headers: Record<string, string> = {};
        if (who) headers.cookie = sessions.get(who)!.cookie;
        const init: RequestInit = { method: route.method, headers };
        if (route.method !== 'GET' && route.method !== 'DELETE') {
          headers['content-type'] = 'application/json';
          init.body = route.url === '/api/auth/login' ? JSON.stringify({ username: 'nobody', password: 'x' }) : '{}';
        }
        const res = await fetch(url, init);
        await res.arrayBuffer();
        if (route.access === 'device') {
          // Authenticated by the device id in the request: a made-up one is refused for everybody alike.
          if (res.status < 400 || res.status >= 500) failures.push(`${route.method} ${route.url} as ${who ?? 'nobody'} with an unknown device: got ${res.status}`);
          row.push(`${who ?? 'nobody'}=${res.status}`);
          continue;
        }
        const allowed = route.access === 'public' || (who !== undefined && route.access.includes(who));
        const expected = allowed ? 'allowed' : who ? 403 : 401;
        const ok = allowed ? res.status < 500 && res.status !== 403 && (res.status !== 401 || route.url === '/api/auth/login') : res.status === expected;
        row.push(`${who ?? 'nobody'}=${res.status}`);
        if (!ok) failures.push(`${route.method} ${route.url} as ${who ?? 'nobody'}: got ${res.status}, expected ${expected}`);
      }
      table.push(`${route.method} ${route.url}: ${row.join(' ')}`);
    }
    expect(failures, table.join('\n')).toEqual([]);
  });
});
