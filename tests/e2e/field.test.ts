/**
 * Phones in the field: the patrol page over HTTPS with a certificate mkcert made (as
 * `HTTPS=true npm start` does), trusted by Chromium for that key only, and the installed patrol
 * app opening with no network (its service worker) while the outbox still delivers a check-in
 * made offline exactly once.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CheckInsResponse, LocationsResponse, NewDeviceResponse, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import { startTestApp, waitFor, type TestApp } from '../helpers/app.ts';
import { TEST_PASSWORD } from '../helpers/auth.ts';
import { makeCertificate, type TestCertificate } from '../helpers/tls.ts';
import { WEB_BUILD } from './app.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, openPhone } from './browser.ts';

let cert: TestCertificate;
let app: TestApp;
let browser: Browser;
let cookie: string;

/** Screenshots to look at by hand, when FIELD_SCREENSHOTS names a folder. */
const SHOTS = process.env.FIELD_SCREENSHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

beforeAll(async () => {
  cert = makeCertificate();
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  [app, browser] = await Promise.all([
    // No simulator: the only positions and check-ins are the page's.
    startTestApp({ demo: true, simulate: false, webRoot: WEB_BUILD, waitForDemo: true, tlsCertFile: cert.certFile, tlsKeyFile: cert.keyFile, tlsCaFile: cert.caFile }),
    // This certificate's key trusted, and no other: not --ignore-certificate-errors, which would pass any certificate.
    chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${cert.spki}`] }),
  ]);
  await app.app.access.createUser({ username: 'field-dispatcher', name: '测试调度员', role: 'dispatcher', organisationId: null, teamId: null, password: TEST_PASSWORD });
  // The test's own requests go in-process: Node's fetch can't be told to trust a private CA.
  const res = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'field-dispatcher', password: TEST_PASSWORD } });
  expect(res.statusCode).toBe(200);
  cookie = String(res.headers['set-cookie']).split(';')[0]!;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  cert?.remove();
});

/** As the dispatcher, in-process. */
async function api<T>(method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
  const res = await app.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

interface Patrol {
  teamId: string;
  identifier: string;
  location: { id: string; lon: number; lat: number };
}

/** A phone registered for the team's first member, standing at one of the team's key locations. */
async function issueDevice(teamId: string): Promise<Patrol> {
  const { team } = await api<TeamDetailResponse>('GET', `/api/teams/${teamId}`);
  const device = await api<NewDeviceResponse>('POST', `/api/teams/${teamId}/devices`, { memberName: team.members[0]!.name });
  const grids = new Set(team.gridIds);
  const locations = await api<LocationsResponse>('GET', '/api/geo/locations');
  const feature = locations.features.find((f) => f.properties.gridId !== null && grids.has(f.properties.gridId) && f.properties.radius >= 40);
  if (!feature) throw new Error(`team ${teamId} has no key location with a radius of 40 m or more`);
  const [lon, lat] = feature.geometry.coordinates as [number, number];
  return { teamId, identifier: device.identifier, location: { id: feature.properties.id, lon, lat } };
}

async function waitForConnection(page: Page, status: 'online' | 'offline', timeout = 30_000): Promise<void> {
  await page.waitForSelector(`[data-testid=patrol-connection][data-status=${status}]`, { timeout });
}

/**
 * No network for the whole context. Chromium's offline emulation does not reach a service
 * worker's own fetches, so those are refused too (playwright issue 2311): the page can only be
 * answered from the worker's cache.
 */
async function setNetwork(context: BrowserContext, online: boolean): Promise<void> {
  if (online) {
    await context.unrouteAll();
    await context.setOffline(false);
  } else {
    await context.setOffline(true);
    await context.route('**', (route) => route.abort('internetdisconnected'));
  }
}

describe('phones in the field', () => {
  it('/patrol over HTTPS with a generated certificate reports its (emulated) position', { timeout: 90_000 }, async () => {
    expect(app.url).toMatch(/^https:/);
    const patrol = await issueDevice('TM001');
    const at = { longitude: patrol.location.lon + 0.0002, latitude: patrol.location.lat + 0.0001 };
    const context = await openPhone(browser, at);
    // As a phone's browser grants a visible page; headless Chromium refuses unless told.
    await context.grantPermissions(['geolocation', 'screen-wake-lock']);
    try {
      const page = await context.newPage();
      const response = await page.goto(`${app.url}/patrol#device=${patrol.identifier}`);
      expect(response?.status()).toBe(200);
      // A secure context: the browser accepted the certificate (geolocation, wake lock and service workers need one).
      expect(await page.evaluate(() => [location.protocol, window.isSecureContext])).toEqual(['https:', true]);
      await waitForConnection(page, 'online');
      // On duty the screen stays on.
      await page.getByTestId('screen-on').waitFor();
      await shot(page, 'https-patrol');

      await waitFor(async () => {
        const { teams } = await api<TeamsResponse>('GET', '/api/teams');
        const team = teams.find((t) => t.id === patrol.teamId);
        return team?.lon != null && Math.abs(team.lon - at.longitude) < 1e-6 && Math.abs(team.lat! - at.latitude) < 1e-6;
      }, 30_000, 200);

      // Off duty the phone may sleep again.
      await page.getByTestId('duty').click();
      await page.getByTestId('screen-on').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('/patrol opens with the network off after one visit and a queued check-in arrives once on reconnection', { timeout: 120_000 }, async () => {
    const from = Date.now() - 1000;
    const patrol = await issueDevice('TM002');
    const context = await openPhone(browser, { longitude: patrol.location.lon, latitude: patrol.location.lat });
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.warn('page error:', e.message));
      await page.goto(`${app.url}/patrol#device=${patrol.identifier}`);
      await waitForConnection(page, 'online');
      const card = page.locator(`[data-location-id="${patrol.location.id}"]`);
      await card.waitFor();
      // The one visit: the worker installed, controls the page and holds the shell.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
      await page.waitForFunction(async () => {
        for (const key of await caches.keys()) if (await (await caches.open(key)).match('/index.html')) return true;
        return false;
      }, null, { timeout: 30_000, polling: 200 });
      // Installable: the manifest names the app and opens at /patrol.
      const manifest = await page.evaluate(async () => {
        const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.href;
        return href ? ((await (await fetch(href)).json()) as { name: string; start_url: string; display: string; icons: { sizes: string }[] }) : null;
      });
      expect(manifest).toMatchObject({ name: '联防巡逻', start_url: '/patrol', display: 'standalone' });
      expect(manifest!.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512']);

      // No network at all; the page is opened again (as after a reboot in a dead spot).
      await setNetwork(context, false);
      const reopened = await page.reload();
      expect(reopened?.fromServiceWorker()).toBe(true);
      await waitForConnection(page, 'offline');
      await card.waitFor();
      await card.getByTestId('check-in').click();
      await card.locator('[data-testid=check-in-result][data-state=queued]').waitFor();
      expect(Number(await page.getAttribute('[data-testid=queued]', 'data-count'))).toBeGreaterThan(0);
      await shot(page, 'offline-queued');

      const explicit = async () => {
        const { checkIns } = await api<CheckInsResponse>('GET', `/api/checkins?teamId=${patrol.teamId}&from=${from}&to=${Date.now() + 1000}`);
        return checkIns.filter((c) => c.kind === 'explicit');
      };
      expect(await explicit()).toEqual([]);

      // Back online: the same page reconnects by itself and sends what waited.
      await setNetwork(context, true);
      await waitForConnection(page, 'online');
      await card.locator('[data-testid=check-in-result][data-state=done]').waitFor({ timeout: 30_000 });
      await expect.poll(async () => Number(await page.getAttribute('[data-testid=queued]', 'data-count')), { timeout: 20_000 }).toBe(0);
      await shot(page, 'back-online');
      const arrived = await explicit();
      expect(arrived.map((c) => c.locationId)).toEqual([patrol.location.id]);

      // Opened once more online: nothing is sent twice.
      await page.reload();
      await waitForConnection(page, 'online');
      await expect.poll(async () => Number(await page.getAttribute('[data-testid=queued]', 'data-count')), { timeout: 20_000 }).toBe(0);
      expect((await explicit()).map((c) => c.id)).toEqual(arrived.map((c) => c.id));
    } finally {
      await context.close();
    }
  });

  it("the admin screen shows the server's CA as a QR code to scan on phones, with its fingerprint", { timeout: 60_000 }, async () => {
    await app.app.access.createUser({ username: 'field-admin', name: '测试管理员', role: 'admin', organisationId: null, teamId: null, password: TEST_PASSWORD });
    const login = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'field-admin', password: TEST_PASSWORD } });
    const [name = '', value = ''] = String(login.headers['set-cookie']).split(';')[0]!.split('=');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    try {
      await context.addCookies([{ name, value, url: app.url }]);
      const page = await context.newPage();
      await page.goto(`${app.url}/admin#field`);
      const qr = page.getByTestId('field-tab').getByTestId('qr');
      await qr.waitFor();
      expect(await qr.getAttribute('data-text')).toBe(`${app.url}/api/public/ca.crt`);
      expect(await page.getByTestId('ca-sha256').textContent()).toBe(new X509Certificate(cert.ca).fingerprint256);
      expect(await page.getByTestId('field-not-https').count()).toBe(0);
      await shot(page, 'admin-field');
      // What the phone gets when it follows the code: the CA itself, offered for installing.
      const download = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return { type: res.headers.get('content-type'), body: await res.text() };
      }, `${app.url}/api/public/ca.crt`);
      expect(download.type).toBe('application/x-x509-ca-cert');
      expect(download.body.trim()).toBe(cert.ca.trim());
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, 'admin-field-phone');
    } finally {
      await context.close();
    }
  });
});
