import { createHash } from 'node:crypto';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type TestApp } from '../helpers/app.ts';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const page = (script: string) => `<!doctype html><html><head><script>${script}</script></head><body></body></html>`;

describe('security headers', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'lianfang-web-'));
    writeFileSync(join(webRoot, 'index.html'), page('boot(1)'));
    t = await startTestApp({ webRoot });
  });
  afterAll(async () => t?.stop());

  it('allows scripts from our own origin and the page’s own inline bootstrap only', async () => {
    const csp = (await fetch(`${t.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`script-src 'self' ${sha('boot(1)')}`);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).not.toMatch(/https?:/);
  });

  it('follows a rebuilt web app without a server restart', async () => {
    writeFileSync(join(webRoot, 'index.html'), page('boot(2)'));
    const later = new Date(Date.now() + 5000);
    utimesSync(join(webRoot, 'index.html'), later, later);
    await waitFor(async () => ((await fetch(`${t.url}/`)).headers.get('content-security-policy') ?? '').includes(sha('boot(2)')), 5000);
  });

  it('sends the SPA for a deep link and a JSON 404 for an unknown API path', async () => {
    const deep = await fetch(`${t.url}/patrol`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('boot(');
    const api = await fetch(`${t.url}/api/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ message: 'no route GET /api/nope' });
  });
});

describe('security headers with an intranet basemap', () => {
  it('lets the map load tiles from the configured XYZ server and from nowhere else', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'lianfang-web-'));
    writeFileSync(join(webRoot, 'index.html'), page('boot(3)'));
    const t = await startTestApp({ webRoot, basemapTilesUrl: 'http://tiles.intranet:8080/{z}/{x}/{y}.png' });
    try {
      const csp = (await fetch(`${t.url}/`)).headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/img-src [^;]*http:\/\/tiles\.intranet:8080/);
      expect(csp).toMatch(/connect-src [^;]*http:\/\/tiles\.intranet:8080/);
      expect(csp).toMatch(/script-src 'self' 'sha256-[^;]*;/);
      expect(csp).not.toMatch(/script-src[^;]*tiles/);
    } finally {
      await t.stop();
    }
  });
});

