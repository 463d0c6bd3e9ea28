/**
 * Cross-origin forgery: a page on another origin (here another port of the same host, which
 * SameSite cookies treat as the same site) rides the signed-in user's cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { freePort } from '../../helpers/redis.ts';
import { as, signIn, TEST_PASSWORD, type SignedIn } from '../../helpers/auth.ts';

describe('cross-origin requests', () => {
  let t: TestApp;
  let session: SignedIn;
  let otherPort: string;
  beforeAll(async () => {
    t = await startTestApp({ coverageTickMs: 0, incidentTickMs: 0, trustProxy: 1 });
    session = await signIn(t, 'dispatcher');
    otherPort = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => t?.stop());

  const logout = (headers: Record<string, string>) => as(session)(`${t.url}/api/auth/logout`, { method: 'POST', headers });
  const signedIn = async () => (await as(session)(`${t.url}/api/auth/me`)).status === 200;

  const handshake = (origin: string, transport: 'websocket' | 'polling') =>
    new Promise<'connected' | string>((resolve) => {
      const socket: Socket = connect(t.url, { transports: [transport], reconnection: false, extraHeaders: { cookie: session.cookie, origin } });
      socket.on('connect', () => {
        socket.disconnect();
        resolve('connected');
      });
      socket.on('connect_error', (err) => {
        socket.disconnect();
        resolve(err.message);
      });
    });

  it('a cross-origin POST and socket handshake are refused', async () => {
    const post = await logout({ origin: otherPort });
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ message: expect.stringMatching(/cross-origin/) });
    // Without an Origin, the browser's Sec-Fetch-Site says the same: another port is "same-site", not "same-origin".
    expect((await logout({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await logout({ origin: 'null' })).status).toBe(403);
    expect(await signedIn()).toBe(true);

    for (const transport of ['websocket', 'polling'] as const) {
      expect(await handshake(otherPort, transport)).not.toBe('connected');
      expect(await handshake(t.url, transport)).toBe('connected');
    }
  });

  it('refuses a forged sign-in from another origin', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: otherPort },
      body: JSON.stringify({ username: session.username, password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(403);
  });

  it('lets our own pages, and clients that send no Origin (curl, tracker apps), write', async () => {
    expect((await as(session)(`${t.url}/api/teams`, { headers: { origin: otherPort } })).status).toBe(200); // reads are not writes
    const own = await signIn(t, 'dispatcher');
    expect((await as(own)(`${t.url}/api/auth/logout`, { method: 'POST', headers: { origin: t.url, 'sec-fetch-site': 'same-origin' } })).status).toBe(204);
    const curl = await signIn(t, 'dispatcher');
    expect((await as(curl)(`${t.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
  });

  it('sends HSTS on requests that came over TLS (through a trusted proxy) and not over plain http', async () => {
    const tls = await fetch(`${t.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const plain = await fetch(`${t.url}/api/health`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});
