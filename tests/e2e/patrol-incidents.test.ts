/**
 * Incidents on the patrol page (390×844 phone, geolocation faked): one a dispatcher sends to the
 * team appears with an alert, how far and which way it is, and the reporter's number; accept →
 * on scene → resolve step it on the server; a step taken offline goes once the phone is back;
 * and a patrol reports what it saw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { IncidentActionResponse, IncidentView, IncidentsResponse, LocationsResponse, NewDeviceResponse, TeamDetailResponse } from '@lianfang/server/api';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openPhone as openPhoneAt } from './browser.ts';

const SHOTS = process.env.HELP_SCREENSHOTS ?? '/tmp';

let app: MapApp;
let browser: Browser;
let seq = 0;

beforeAll(async () => {
  // No simulator: the only positions are the page's, and no incidents but the test's.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** As the dispatcher. */
async function post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { cookie: app.session.cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** `metres` east and north of a point. */
function offset(lon: number, lat: number, east: number, north: number) {
  return { longitude: lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)), latitude: lat + north / 110_574 };
}

interface Patrol {
  teamId: string;
  device: NewDeviceResponse;
  /** Where the phone stands. */
  at: { longitude: number; latitude: number };
}

async function issueDevice(teamId: string): Promise<Patrol> {
  const { team } = await app.get<TeamDetailResponse>(`/api/teams/${teamId}`);
  const res = await fetch(`${app.url}/api/teams/${teamId}/devices`, {
    method: 'POST',
    headers: { cookie: app.session.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ memberName: team.members[0]!.name }),
  });
  expect(res.status).toBe(201);
  const device = (await res.json()) as NewDeviceResponse;
  // The phone stands at one of the team's key locations (a point inside its grids).
  const grids = new Set(team.gridIds);
  const locations = await app.get<LocationsResponse>('/api/geo/locations');
  const feature = locations.features.find((f) => f.properties.gridId !== null && grids.has(f.properties.gridId));
  if (!feature) throw new Error(`team ${teamId} has no key location`);
  const [longitude, latitude] = feature.geometry.coordinates as [number, number];
  return { teamId, device, at: { longitude, latitude } };
}

function openPhone(at: { longitude: number; latitude: number }): Promise<BrowserContext> {
  return openPhoneAt(browser, at);
}

async function openPatrolPage(context: BrowserContext, patrol: Patrol): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.url}/patrol#device=${patrol.device.identifier}`);
  await page.waitForSelector('[data-testid=patrol-connection][data-status=online]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=accuracy]:not(:text-is("—"))', { timeout: 30_000 });
  return page;
}

/** A dispatcher's incident `north` metres north of the patrol, sent to its team. */
async function dispatchNear(patrol: Patrol, north: number, description: string): Promise<IncidentView> {
  const point = offset(patrol.at.longitude, patrol.at.latitude, 0, north);
  const created = await post<IncidentActionResponse>('/api/incidents', {
    id: `e2e-incident-${Date.now()}-${++seq}`,
    category: 'help',
    lon: point.longitude,
    lat: point.latitude,
    address: '幸福路 18 号',
    description,
    reporterName: '张大爷',
    reporterPhone: '13812345678',
  });
  expect(created.status).toBe(201);
  const { incident } = created.body;
  const sent = await post<IncidentActionResponse>(`/api/incidents/${incident.id}/dispatch`, { teamId: patrol.teamId, version: incident.version });
  expect(sent.status).toBe(200);
  return sent.body.incident;
}

const incidentOnServer = (id: string) => app.get<IncidentView>(`/api/incidents/${id}`);

describe('incidents on the patrol page', () => {
  it('an incident sent to the team appears with an alert, and accept → on scene → resolve step it on the server', { timeout: 180_000 }, async () => {
    const patrol = await issueDevice('TM001');
    const context = await openPhone(patrol.at);
    try {
      const page = await openPatrolPage(context, patrol);
      const incident = await dispatchNear(patrol, 400, '老人在家摔倒，需要帮助');

      // It arrives live, flashing, with the way there and the reporter's number.
      const card = page.locator(`[data-testid=incident-card][data-incident-id="${incident.id}"]`);
      await card.waitFor({ timeout: 20_000 });
      await page.getByTestId('incident-alert').waitFor();
      expect(await card.getAttribute('class')).toContain('arrived');
      expect(await card.getByTestId('incident-description').textContent()).toBe('老人在家摔倒，需要帮助');
      const metres = Number(await card.getByTestId('incident-distance').getAttribute('data-metres'));
      expect(Math.abs(metres - 400)).toBeLessThanOrEqual(15);
      expect(await card.getByTestId('incident-distance').textContent()).toMatch(/^在你北方 \d+ 米$/);
      expect(await card.getByTestId('incident-call').getAttribute('href')).toBe('tel:13812345678');
      expect(await card.locator('a[href^="geo:"]').count()).toBe(1);
      // Only the next step is offered.
      expect(await card.getByTestId('incident-arrive').count()).toBe(0);
      expect(await card.getByTestId('incident-resolve').count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/patrol-incident-01-arrived.png` });

      await card.getByTestId('incident-accept').click();
      await page.locator(`[data-incident-id="${incident.id}"][data-state=accepted]`).waitFor({ timeout: 20_000 });
      expect((await incidentOnServer(incident.id)).state).toBe('accepted');
      expect(await page.getByTestId('incident-alert').count()).toBe(0);

      await card.getByTestId('incident-arrive').click();
      await page.locator(`[data-incident-id="${incident.id}"][data-state=on_scene]`).waitFor({ timeout: 20_000 });
      expect((await incidentOnServer(incident.id)).state).toBe('on_scene');
      await page.screenshot({ path: `${SHOTS}/patrol-incident-02-on-scene.png` });

      // Resolve asks for a note; without one it waits.
      await card.getByTestId('incident-resolve').click();
      await card.getByTestId('incident-confirm').click();
      expect(await card.textContent()).toContain('请填写');
      await card.getByTestId('incident-note').fill('已送医，家属已到场');
      await page.screenshot({ path: `${SHOTS}/patrol-incident-03-resolve-note.png` });
      await card.getByTestId('incident-confirm').click();
      await page.locator(`[data-testid=incident-closed][data-incident-id="${incident.id}"][data-state=resolved]`).waitFor({ timeout: 20_000 });
      const resolved = await incidentOnServer(incident.id);
      expect(resolved.state).toBe('resolved');
      expect(resolved.history.map((s) => s.event)).toEqual(['created', 'dispatch', 'accept', 'arrive', 'resolve']);
      expect(resolved.history.at(-1)).toMatchObject({ note: '已送医，家属已到场', teamId: patrol.teamId });
      expect(resolved.history.at(-1)!.by).not.toBe('dispatcher');
      await page.screenshot({ path: `${SHOTS}/patrol-incident-04-resolved.png` });
    } finally {
      await context.close();
    }
  });

  it('accepting while offline is kept on the phone and reaches the server once, and an incident sent meanwhile shows once back online', { timeout: 120_000 }, async () => {
    const patrol = await issueDevice('TM002');
    const context = await openPhone(patrol.at);
    try {
      const page = await openPatrolPage(context, patrol);
      const incident = await dispatchNear(patrol, 1500, '小区门口有人吵架');
      const card = page.locator(`[data-testid=incident-card][data-incident-id="${incident.id}"]`);
      await card.waitFor({ timeout: 20_000 });
      expect(await card.getByTestId('incident-distance').textContent()).toMatch(/^在你北方 1\.5 公里$/);

      // Steps sent over the socket, counted in the frames the page sends.
      const steps: string[] = [];
      const note = (payload: string | Buffer | null) => {
        const text = String(payload ?? '');
        if (text.includes('"patrol:incident:step"')) steps.push(text);
      };
      page.on('websocket', (ws) => ws.on('framesent', (frame) => note(frame.payload)));
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().includes('/socket.io/')) note(request.postData());
      });

      await context.setOffline(true);
      await page.waitForSelector('[data-testid=patrol-connection][data-status=offline]', { timeout: 20_000 });
      await card.getByTestId('incident-accept').click();
      await card.getByTestId('incident-queued').waitFor();
      // Meanwhile the dispatcher sends another: the phone can't hear it now.
      const missed = await dispatchNear(patrol, 300, '商店门口有人晕倒');
      expect(await card.getAttribute('data-state')).toBe('dispatched');
      expect(await card.getAttribute('data-expected')).toBe('accepted');
      // The next step can be queued behind it.
      expect(await card.getByTestId('incident-arrive').isEnabled()).toBe(true);
      await page.screenshot({ path: `${SHOTS}/patrol-incident-05-offline-queued.png` });
      expect((await incidentOnServer(incident.id)).state).toBe('dispatched');

      await context.setOffline(false);
      await page.locator(`[data-incident-id="${incident.id}"][data-state=accepted]`).waitFor({ timeout: 30_000 });
      expect(await card.getByTestId('incident-queued').count()).toBe(0);
      const onServer = await incidentOnServer(incident.id);
      expect(onServer.state).toBe('accepted');
      expect(onServer.history.filter((s) => s.event === 'accept')).toHaveLength(1);
      expect(steps.filter((s) => s.includes(incident.id))).toHaveLength(1);
      // The one sent while offline is there after the reconnect, with its alert.
      await page.locator(`[data-testid=incident-card][data-incident-id="${missed.id}"][data-state=dispatched]`).waitFor({ timeout: 20_000 });
      await page.getByTestId('incident-alert').waitFor();
    } finally {
      await context.close();
    }
  });

  it('an incident the dispatcher sends to another team before it is accepted leaves the card list, saying so', { timeout: 120_000 }, async () => {
    const patrol = await issueDevice('TM004');
    const context = await openPhone(patrol.at);
    try {
      const page = await openPatrolPage(context, patrol);
      const incident = await dispatchNear(patrol, 200, '有人在河边钓鱼，水深危险');
      await page.locator(`[data-testid=incident-card][data-incident-id="${incident.id}"]`).waitFor({ timeout: 20_000 });
      const again = await post<IncidentActionResponse>(`/api/incidents/${incident.id}/dispatch`, { teamId: 'TM005', version: incident.version });
      expect(again.status).toBe(200);
      const closed = page.locator(`[data-testid=incident-closed][data-incident-id="${incident.id}"][data-state=reassigned]`);
      await closed.waitFor({ timeout: 20_000 });
      expect(await closed.textContent()).toContain('已改派他队');
      expect(await page.locator(`[data-testid=incident-card][data-incident-id="${incident.id}"]`).count()).toBe(0);
      expect(await page.getByTestId('incident-alert').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('passing an incident up asks for the reason, and the server records it with the team', { timeout: 120_000 }, async () => {
    const patrol = await issueDevice('TM006');
    const context = await openPhone(patrol.at);
    try {
      const page = await openPatrolPage(context, patrol);
      const incident = await dispatchNear(patrol, 600, '工地夜间施工扰民，多次劝阻无效');
      const card = page.locator(`[data-testid=incident-card][data-incident-id="${incident.id}"]`);
      await card.getByTestId('incident-accept').click();
      await page.locator(`[data-incident-id="${incident.id}"][data-state=accepted]`).waitFor({ timeout: 20_000 });
      await card.getByTestId('incident-escalate').click();
      await card.getByTestId('incident-confirm').click();
      expect(await card.textContent()).toContain('请填写');
      expect((await incidentOnServer(incident.id)).state).toBe('accepted');
      await card.getByTestId('incident-note').fill('涉及城管执法，需上报街道');
      await card.getByTestId('incident-confirm').click();
      await page.locator(`[data-testid=incident-closed][data-incident-id="${incident.id}"][data-state=escalated]`).waitFor({ timeout: 20_000 });
      const escalated = await incidentOnServer(incident.id);
      expect(escalated.state).toBe('escalated');
      expect(escalated.history.at(-1)).toMatchObject({ event: 'escalate', note: '涉及城管执法，需上报街道', teamId: patrol.teamId });
    } finally {
      await context.close();
    }
  });

  it('a patrol reports an incident it saw, at its position, and gets its reference number', { timeout: 120_000 }, async () => {
    const patrol = await issueDevice('TM003');
    const context = await openPhone(patrol.at);
    try {
      const page = await openPatrolPage(context, patrol);
      const description = `路口两车刮擦，占道 ${Date.now()}`;
      await page.getByTestId('report-open').click();
      await page.getByTestId('report-category-traffic').click();
      await page.getByTestId('report-description').fill(description);
      await page.getByTestId('report-address').fill('人民路与幸福路口');
      await page.screenshot({ path: `${SHOTS}/patrol-incident-06-report.png` });
      await page.getByTestId('report-submit').click();
      const result = page.locator('[data-testid=report-result][data-state=done]');
      await result.waitFor({ timeout: 30_000 });

      const { incidents } = await app.get<IncidentsResponse>(`/api/incidents?q=${encodeURIComponent(description)}`);
      expect(incidents).toHaveLength(1);
      const [reported] = incidents;
      expect(reported).toMatchObject({ source: 'patrol', category: 'traffic', address: '人民路与幸福路口', description });
      expect(reported!.lon).toBeCloseTo(patrol.at.longitude, 5);
      expect(reported!.lat).toBeCloseTo(patrol.at.latitude, 5);
      expect(await result.textContent()).toContain(reported!.reference);
      await page.screenshot({ path: `${SHOTS}/patrol-incident-07-reported.png` });
    } finally {
      await context.close();
    }
  });
});
