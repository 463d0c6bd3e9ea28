/**
 * server/src/app.ts with TLS_CERT_FILE and TLS_KEY_FILE, and server/src/tls/routes.ts: the main
 * port speaks HTTPS with the configured certificate, sign-in cookies are Secure, the private CA is
 * offered to phones, and tracker apps keep reporting over plain HTTP on the OsmAnd port.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaInfoResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { TEST_PASSWORD } from '../../helpers/auth.ts';
import { httpsRequest, makeCertificate, type TestCertificate } from '../../helpers/tls.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';

let cert: TestCertificate;
let t: TestApp;

beforeAll(async () => {
  cert = makeCertificate();
  t = await startTestApp({ tlsCertFile: cert.certFile, tlsKeyFile: cert.keyFile, tlsCaFile: cert.caFile });
});

afterAll(async () => {
  await t?.stop();
  cert?.remove();
});

describe('HTTPS on the main port', () => {
  it('answers over TLS with the configured certificate, trusted through its CA, with HSTS', async () => {
    expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await httpsRequest(`${t.url}/api/health`, cert.ca);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('refuses plain HTTP on the TLS port', async () => {
    await expect(fetch(t.url.replace('https:', 'http:') + '/api/health')).rejects.toThrow();
  });

  it('marks the session cookie Secure when signing in over HTTPS', async () => {
    await t.app.access.createUser({ username: 'tls-dispatcher', name: '测试', role: 'dispatcher', organisationId: null, teamId: null, password: TEST_PASSWORD });
    const res = await httpsRequest(`${t.url}/api/auth/login`, cert.ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tls-dispatcher', password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lf_session='));
    expect(cookie).toMatch(/;\s*Secure/i);
  });

  it('keeps the OsmAnd port plain HTTP for tracker apps', async () => {
    const res = await fetch(`http://127.0.0.1:${t.app.osmand.port}/?id=unknowndevice&lat=33.85&lon=118.72`);
    // Answered (the device is unknown), not a TLS handshake error.
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
  });

  it('gives a phone set up over HTTPS tracker links to the plain-HTTP OsmAnd port, the patrol page over HTTPS', async () => {
    await seedCounty(t.app, smallCounty());
    await t.app.access.createUser({ username: 'tls-coordinator', name: '测试', role: 'dispatcher', organisationId: null, teamId: null, password: TEST_PASSWORD });
    const login = await httpsRequest(`${t.url}/api/auth/login`, cert.ca, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tls-coordinator', password: TEST_PASSWORD }) });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('lf_session='))!.split(';')[0]!;
    const res = await httpsRequest(`${t.url}/api/teams/team-1/devices`, cert.ca, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: t.url }, body: JSON.stringify({ memberName: '张伟' }) });
    expect(res.status).toBe(201);
    const { links } = JSON.parse(res.body) as { links: { patrol: string; osmandServer: string; osmandTemplate: string } };
    expect(links.patrol).toMatch(/^https:\/\//);
    expect(links.osmandServer).toBe(`http://127.0.0.1:${t.app.osmand.port}`);
    expect(links.osmandTemplate).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe('GET /api/public/ca and /api/public/ca.crt', () => {
  it('offers the CA certificate to anyone, as a certificate download', async () => {
    const res = await httpsRequest(`${t.url}/api/public/ca.crt`, cert.ca);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(res.body.trim()).toBe(cert.ca.trim());
  });

  it("names the CA and its SHA-256 fingerprint, to compare on the phone", async () => {
    const res = await httpsRequest(`${t.url}/api/public/ca`, cert.ca);
    expect(res.status).toBe(200);
    const info = JSON.parse(res.body) as CaInfoResponse;
    expect(info.url).toBe('/api/public/ca.crt');
    expect(info.sha256).toBe(new X509Certificate(cert.ca).fingerprint256);
    expect(info.name).toMatch(/^mkcert /);
    expect(info.validUntil).toBeGreaterThan(Date.now());
  });

  it('answers 404 when the server knows no CA (TLS_CA_FILE unset)', async () => {
    const plain = await startTestApp({ redis: t.redis, redisPrefix: 'lf2:' });
    try {
      for (const path of ['/api/public/ca', '/api/public/ca.crt']) expect((await fetch(`${plain.url}${path}`)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});
