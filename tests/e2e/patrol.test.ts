/**
 * The patrol page on a phone (390×844, geolocation granted and faked): positions and check-ins
 * taken offline reach the command centre once the phone is back, a resend counts once, a
 * check-in too far away says how far, and a refused device link says why.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AlertsResponse, CheckInCodeResponse, CheckInsResponse, LocationsResponse, NewDeviceResponse, TeamDetailResponse, TrackResponse } from '@lianfang/server/api';
import { signIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openPhone as openPhoneAt } from './browser.ts';

let app: MapApp;
let browser: Browser;

/** A phone: iPhone 12–15 sized. */
/** Screenshots to look at by hand, when PATROL_SCREENSHOTS names a folder (e.g. /tmp/lf-patrol). */
const SHOTS = process.env.PATROL_SCREENSHOTS;

beforeAll(async () => {
  // No simulator: the only positions and check-ins are the page's.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** As a dispatcher. */
async function send(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method,
    headers: { cookie: app.session.cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

interface Patrol {
  teamId: string;
  callSign: string;
  memberName: string;
  device: NewDeviceResponse;
  /** A key location of the team's grids. */
  location: { id: string; lon: number; lat: number; radius: number };
}

/** Registers a device for the first member of `teamId`, as the dispatcher would, and picks one of its key locations. */
async function issueDevice(teamId: string): Promise<Patrol> {
  const { team } = await app.get<TeamDetailResponse>(`/api/teams/${teamId}`);
  const memberName = team.members[0]!.name;
  const res = await send('POST', `/api/teams/${teamId}/devices`, { memberName });
  expect(res.status).toBe(201);
  const device = (await res.json()) as NewDeviceResponse;
  const grids = new Set(team.gridIds);
  const locations = await app.get<LocationsResponse>('/api/geo/locations');
  const feature = locations.features.find((f) => f.properties.gridId !== null && grids.has(f.properties.gridId) && f.properties.radius >= 40);
  if (!feature) throw new Error(`team ${teamId} has no key location with a radius of 40 m or more`);
  const [lon, lat] = feature.geometry.coordinates as [number, number];
  return { teamId, callSign: team.callSign, memberName, device, location: { id: feature.properties.id, lon, lat, radius: feature.properties.radius } };
}

/** `metres` east and north of a point. */
function offset(lon: number, lat: number, east: number, north: number) {
  return {
    longitude: lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)),
    latitude: lat + north / 110_574,
  };
}

function openPhone(at: { longitude: number; latitude: number }): Promise<BrowserContext> {
  return openPhoneAt(browser, at);
}

const queued = (page: Page) => page.getAttribute('[data-testid=queued]', 'data-count').then(Number);

async function waitForQueued(page: Page, test: (n: number) => boolean, timeout = 20_000): Promise<number> {
  let n = NaN;
  await expect.poll(async () => test((n = await queued(page))), { timeout, interval: 100 }).toBe(true);
  return n;
}

async function waitForConnection(page: Page, status: 'online' | 'offline' | 'refused', timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-testid=patrol-connection][data-status=${status}]`, { timeout });
}

/** Every `patrol:checkin` the page sends, over WebSocket frames or long-polling requests. */
function recordCheckInsSent(page: Page): string[] {
  const sent: string[] = [];
  const note = (payload: string | Buffer | null) => {
    const text = String(payload ?? '');
    if (text.includes('"patrol:checkin"')) sent.push(text);
  };
  page.on('websocket', (ws) => ws.on('framesent', (frame) => note(frame.payload)));
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/socket.io/')) note(request.postData());
  });
  return sent;
}

/** The outbox the page keeps in localStorage, as stored. */
function storedQueue(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (key.startsWith('lianfang.patrol.queue.')) out[key] = localStorage.getItem(key)!;
    }
    return out;
  });
}

/** Presses SOS and holds it until the page answers (it takes 2 s), not for a fixed time. */
async function holdSos(page: Page, state: 'sent' | 'unsupported') {
  const box = (await page.getByTestId('sos').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  const sheet = page.locator(`[data-testid=sos-sheet][data-state=${state}]`);
  try {
    await sheet.waitFor({ timeout: 10_000 });
  } finally {
    await page.mouse.up();
  }
  return sheet;
}

type StoredItem = { kind: 'fix'; fix: { lon: number; lat: number; time: number } } | { kind: 'checkin'; checkIn: { id: string; locationId: string } };

describe('the patrol page', () => {
  it('positions and a check-in taken offline reach the command centre once back online, and a resend is counted once', { timeout: 120_000 }, async () => {
    const patrol = await issueDevice('TM001');
    const { location } = patrol;
    const from = Date.now() - 1000;
    const context = await openPhone(offset(location.lon, location.lat, 0, 0));
    try {
      let page = await context.newPage();
      await page.goto(`${app.url}/patrol#device=${patrol.device.identifier}`);

      // Who the phone reports for, and that the identifier left the address bar.
      await waitForConnection(page, 'online');
      await page.waitForSelector(`[data-location-id="${location.id}"]`);
      expect(await page.textContent('[data-testid=call-sign]')).toBe(patrol.callSign);
      expect(await page.textContent('[data-testid=member-name]')).toBe(patrol.memberName);
      expect(page.url()).not.toContain(patrol.device.identifier);
      await waitForQueued(page, (n) => n === 0);
      await shot(page, '01-online');

      // Signal lost: three moves a few metres apart inside the location, then a check-in there.
      await context.setOffline(true);
      await waitForConnection(page, 'offline');
      let expected = await queued(page);
      for (const [east, north] of [
        [15, 0],
        [15, 15],
        [0, 15],
      ] as const) {
        await context.setGeolocation({ ...offset(location.lon, location.lat, east, north), accuracy: 10 });
        expected = await waitForQueued(page, (n) => n > expected);
      }
      const card = page.locator(`[data-location-id="${location.id}"]`);
      await card.getByTestId('check-in').click();
      await card.locator('[data-testid=check-in-result][data-state=queued]').waitFor();
      await waitForQueued(page, (n) => n > expected);
      await shot(page, '02-offline-queued');

      const snapshot = await storedQueue(page);
      const items = Object.values(snapshot).flatMap((raw) => JSON.parse(raw) as StoredItem[]);
      const fixes = items.flatMap((i) => (i.kind === 'fix' ? [i.fix] : []));
      const checkIns = items.flatMap((i) => (i.kind === 'checkin' ? [i.checkIn] : []));
      expect(fixes.length).toBeGreaterThanOrEqual(3);
      expect(checkIns).toHaveLength(1);
      const checkInId = checkIns[0]!.id;
      expect(checkInId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

      // The phone closes the tab while still offline; the page is opened again once back online.
      await page.close();
      await context.setOffline(false);
      page = await context.newPage();
      const firstSends = recordCheckInsSent(page);
      await page.goto(`${app.url}/patrol`);
      await waitForConnection(page, 'online');
      await waitForQueued(page, (n) => n === 0);
      await page.locator(`[data-location-id="${location.id}"] [data-testid=check-in-result][data-state=done]`).waitFor();
      await shot(page, '03-back-online');
      expect(firstSends.some((f) => f.includes(checkInId))).toBe(true);

      // Every fix taken offline is in the team's track; the check-in is recorded once.
      const trackPath = () => `/api/teams/${patrol.teamId}/track?from=${from}&to=${Date.now() + 1000}`;
      const times = (track: TrackResponse) => new Set(track.positions.map((p) => p.time));
      let track = await app.get<TrackResponse>(trackPath());
      for (const fix of fixes) {
        const point = track.positions.find((p) => p.time === fix.time);
        expect(point, `fix taken at ${fix.time} is not in the track`).toBeDefined();
        expect(point!.lon).toBeCloseTo(fix.lon, 5); // stored to 1e-6° (about 0.1 m), as history blocks keep it
        expect(point!.lat).toBeCloseTo(fix.lat, 5);
      }
      const explicitCheckIns = async () => {
        const { checkIns } = await app.get<CheckInsResponse>(`/api/checkins?teamId=${patrol.teamId}&from=${from}&to=${Date.now() + 1000}`);
        return checkIns.filter((c) => c.kind === 'explicit');
      };
      expect((await explicitCheckIns()).map((c) => [c.id, c.locationId])).toEqual([[checkInId, location.id]]);

      // As if the ack had been lost after the server stored everything: the same outbox again, sent again.
      await page.evaluate((stored) => {
        for (const [key, value] of Object.entries(stored)) localStorage.setItem(key, value);
      }, snapshot);
      const resends = recordCheckInsSent(page);
      await page.reload();
      await waitForConnection(page, 'online');
      await waitForQueued(page, (n) => n === 0);
      expect(resends.some((f) => f.includes(checkInId))).toBe(true);
      await page.locator(`[data-location-id="${location.id}"] [data-testid=check-in-result][data-state=done]`).waitFor();
      expect((await explicitCheckIns()).map((c) => c.id)).toEqual([checkInId]);
      track = await app.get<TrackResponse>(trackPath());
      for (const fix of fixes) expect(times(track).has(fix.time)).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('a check-in too far from the location says how far away the patrol is and how near it must be', { timeout: 60_000 }, async () => {
    const patrol = await issueDevice('TM002');
    const { location } = patrol;
    const away = location.radius + 300;
    const context = await openPhone(offset(location.lon, location.lat, 0, away));
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/patrol#device=${patrol.device.identifier}`);
      await waitForConnection(page, 'online');
      const card = page.locator(`[data-location-id="${location.id}"]`);
      await card.getByTestId('check-in').click();
      const result = card.locator('[data-testid=check-in-result][data-state=too-far]');
      await result.waitFor();
      const text = (await result.textContent())!.trim();
      const match = /^距离 (\d+) 米，需在 (\d+) 米内$/.exec(text);
      expect(match, text).not.toBeNull();
      expect(Math.abs(Number(match![1]) - away)).toBeLessThanOrEqual(5);
      expect(Number(match![2])).toBe(location.radius + 10);
      await shot(page, '04-too-far');

      // In English too.
      await page.click('[data-locale=en]');
      expect((await result.textContent())!.trim()).toMatch(/^\d+ m away; must be within \d+ m$/);
      await shot(page, '05-too-far-en');
      await page.click('[data-locale=zh-CN]');

      const { checkIns } = await app.get<CheckInsResponse>(`/api/checkins?locationId=${location.id}`);
      expect(checkIns.filter((c) => c.kind === 'explicit')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('scanning the QR code posted at a key location checks the patrol in there', { timeout: 60_000 }, async () => {
    const patrol = await issueDevice('TM006');
    const { location } = patrol;
    const code = await app.get<CheckInCodeResponse>(`/api/checkins/codes/${location.id}`);
    const from = Date.now() - 1000;
    const context = await openPhone(offset(location.lon, location.lat, 5, 5));
    try {
      // The device link once (the phone remembers it), then the camera opens the code's link.
      const setUp = await context.newPage();
      await setUp.goto(`${app.url}/patrol#device=${patrol.device.identifier}`);
      await waitForConnection(setUp, 'online');
      await setUp.close();
      const page = await context.newPage();
      await page.goto(code.url);
      await waitForConnection(page, 'online');
      await page.locator(`[data-location-id="${location.id}"] [data-testid=check-in-result][data-state=done]`).waitFor();
      await waitForQueued(page, (n) => n === 0);
      const { checkIns } = await app.get<CheckInsResponse>(`/api/checkins?locationId=${location.id}`);
      // The demo's seeded history has earlier visits; this phone's is the one since the test began.
      expect(checkIns.filter((c) => c.teamId === patrol.teamId && c.at >= from).map((c) => c.kind)).toEqual(['qr']);
    } finally {
      await context.close();
    }
  });

  it('a link that names no registered device says so in plain words', { timeout: 60_000 }, async () => {
    const context = await openPhone({ longitude: 118.77, latitude: 34.12 });
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/patrol#device=${'a'.repeat(26)}`);
      await waitForConnection(page, 'refused');
      const sheet = page.locator('[data-testid=refused][data-refusal=unknown]');
      await sheet.waitFor();
      expect(await sheet.textContent()).toContain('设备链接无效');
      await shot(page, '06-unknown-device');
    } finally {
      await context.close();
    }
  });

  it('a device the dispatcher revokes stops reporting and the page says it was disabled', { timeout: 60_000 }, async () => {
    const patrol = await issueDevice('TM003');
    const context = await openPhone(offset(patrol.location.lon, patrol.location.lat, 0, 0));
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/patrol#device=${patrol.device.identifier}`);
      await waitForConnection(page, 'online');
      const res = await send('DELETE', `/api/teams/${patrol.teamId}/devices/${patrol.device.device.id}`);
      expect(res.status).toBe(200);
      await waitForConnection(page, 'refused');
      const sheet = page.locator('[data-testid=refused][data-refusal=revoked]');
      await sheet.waitFor();
      expect(await sheet.textContent()).toContain('已被停用');
    } finally {
      await context.close();
    }
  });

  it('a patrol account holding SOS raises an SOS alert for its team at the command centre', { timeout: 60_000 }, async () => {
    const teamId = 'TM005';
    const { team } = await app.get<TeamDetailResponse>(`/api/teams/${teamId}`);
    const account = await signIn(app.testApp, 'patrol', { teamId, organisationId: team.organisationId });
    const context = await openPhone({ longitude: 118.77, latitude: 34.12 });
    try {
      const [name = '', value = ''] = account.cookie.split('=');
      await context.addCookies([{ name, value, url: app.url }]);
      const page = await context.newPage();
      await page.goto(`${app.url}/patrol`);
      await waitForConnection(page, 'online');
      await page.waitForSelector(`[data-testid=call-sign]:text-is("${team.callSign}")`);
      await holdSos(page, 'sent');
      await shot(page, '08-sos-sent');
      const { alerts } = await app.get<AlertsResponse>('/api/alerts?kind=sos');
      expect(alerts.filter((a) => a.teamId === teamId && a.state !== 'resolved')).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('holding SOS on a device link raises an SOS alert for its team and still offers to call 110', { timeout: 60_000 }, async () => {
    const patrol = await issueDevice('TM004');
    const context = await openPhone(offset(patrol.location.lon, patrol.location.lat, 0, 0));
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/patrol#device=${patrol.device.identifier}`);
      await waitForConnection(page, 'online');
      const sheet = await holdSos(page, 'sent');
      expect(await sheet.locator('a[href="tel:110"]').count()).toBe(1);
      const { alerts } = await app.get<AlertsResponse>('/api/alerts?kind=sos');
      expect(alerts.filter((a) => a.teamId === 'TM004' && a.state !== 'resolved')).toHaveLength(1);
      await shot(page, '07-sos-device');
    } finally {
      await context.close();
    }
  });
});
