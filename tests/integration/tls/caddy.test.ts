/**
 * The repository's Caddyfile (docker compose's `caddy` service) in front of the app with
 * TRUST_PROXY=1: HTTPS from Caddy's internal CA, sessions marked Secure because the app believes
 * the one proxy hop's X-Forwarded-Proto, and Caddy's CA offered
 * to phones at the same path the app uses for its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../../helpers/app.ts';
import { TEST_PASSWORD } from '../../helpers/auth.ts';
import { httpsRequest } from '../../helpers/tls.ts';

const CADDYFILE = new URL('../../../Caddyfile', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let t: TestApp;
let caddy: ChildProcess;
let dir: string;
let base: string;
let ca: string;
let caddyLog = '';

beforeAll(async () => {
  t = await startTestApp({ trustProxy: 1 });
  dir = mkdtempSync(join(tmpdir(), 'lianfang-caddy-'));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  caddy = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
    env: {
      ...process.env,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      CADDY_DATA: join(dir, 'data', 'caddy'),
      CADDY_ADMIN: 'off',
      HTTP_PORT: String(httpPort),
      HTTPS_PORT: String(httpsPort),
      LIANFANG_HOST: 'localhost',
      LIANFANG_UPSTREAM: new URL(t.url).host,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  caddy.stdout!.on('data', (c) => (caddyLog += c));
  caddy.stderr!.on('data', (c) => (caddyLog += c));
  base = `https://localhost:${httpsPort}`;
  const root = join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
  await waitFor(() => existsSync(root), 30_000, 100).catch((err) => {
    throw new Error(`caddy made no CA: ${String(err)}\n${caddyLog}`);
  });
  ca = readFileSync(root, 'utf8');
  await waitFor(async () => (await httpsRequest(`${base}/api/health`, ca)).status === 200, 30_000, 200);
});

afterAll(async () => {
  if (caddy && caddy.exitCode === null) {
    const exited = new Promise((r) => caddy.once('exit', r));
    caddy.kill('SIGTERM');
    await exited;
  }
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Caddyfile in front of the app (TRUST_PROXY=1)', () => {
  it("serves the app over HTTPS with a certificate from Caddy's internal CA", async () => {
    const res = await httpsRequest(`${base}/api/health`, ca);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ redis: 'up' });
    // The app believes the hop: the request came over HTTPS.
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('marks the session cookie Secure behind the proxy', async () => {
    await t.app.access.createUser({ username: 'caddy-dispatcher', name: '测试', role: 'dispatcher', organisationId: null, teamId: null, password: TEST_PASSWORD });
    const res = await httpsRequest(`${base}/api/auth/login`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: 'caddy-dispatcher', password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lf_session='));
    expect(cookie).toMatch(/;\s*Secure/i);
  });

  it("offers Caddy's root CA at /api/public/ca.crt for phones", async () => {
    const res = await httpsRequest(`${base}/api/public/ca.crt`, ca);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(res.body.trim()).toBe(ca.trim());
  });
});
