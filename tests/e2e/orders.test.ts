/**
 * Orders (指令) end to end: a dispatcher on the command map sends an order to a team from its
 * popup; the team's patrol phone shows it at once; the patrol taps 收到 and the sender's panel
 * shows it read.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { NewDeviceResponse, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import { as } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, openPhone, openTeamPopup, type HookWindow } from './browser.ts';

let app: MapApp;
let browser: Browser;
let team: TeamDetailResponse['team'];
let deviceId: string;
const at = { lon: 0, lat: 0 };
const SHOTS = '/tmp/orders-shots';

beforeAll(async () => {
  // No simulator: the team stands where its fix put it, so a click finds it.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  mkdirSync(SHOTS, { recursive: true });
  const { teams } = await app.get<TeamsResponse>('/api/teams');
  team = (await app.get<TeamDetailResponse>(`/api/teams/${teams[0]!.id}`)).team;
  const res = await as(app.session)(`${app.url}/api/teams/${team.id}/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberName: team.members[0]!.name }),
  });
  ({ identifier: deviceId } = (await res.json()) as NewDeviceResponse);
  const { features } = await app.get<{ features: { properties: { gridId: string | null }; geometry: { coordinates: number[] } }[] }>('/api/geo/locations');
  const place = features.find((f) => team.gridIds.includes(f.properties.gridId ?? ''))!;
  [at.lon, at.lat] = place.geometry.coordinates as [number, number];
  const sent = await fetch(`${app.url}/api/positions/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId, positions: [{ lon: at.lon, lat: at.lat, time: Date.now(), accuracy: 5 }] }),
  });
  if (!sent.ok) throw new Error(`positions: ${sent.status} ${await sent.text()}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('orders', () => {
  it('an order sent from the map reaches a patrol page and its read receipt comes back to the sender', { timeout: 120_000 }, async () => {
    const phone = await openPhone(browser, { longitude: at.lon + 0.003, latitude: at.lat });
    const { context, page } = await openMap(browser, app);
    try {
      const patrol = await phone.newPage();
      await patrol.goto(`${app.url}/patrol#device=${deviceId}`);
      await patrol.getByText(team.callSign).first().waitFor({ timeout: 30_000 });

      await page.evaluate(({ lon, lat }) => (window as HookWindow).__lianfang!.map.jumpTo({ center: [lon, lat], zoom: 16 }), at);
      await openTeamPopup(page, team.id);
      await page.click('.maplibregl-popup [data-action=order]');
      const form = page.getByTestId('order-form');
      await form.locator('textarea[name=text]').fill('到东门集合');
      await form.locator('button[type=submit]').click();
      await form.getByTestId('order-receipt').first().waitFor({ timeout: 10_000 });

      const card = patrol.getByTestId('order-card');
      await card.waitFor({ timeout: 15_000 });
      expect(await card.textContent()).toContain('到东门集合');
      await patrol.screenshot({ path: `${SHOTS}/patrol-order.png` });
      await card.getByRole('button', { name: '收到' }).click();
      await card.getByTestId('order-read').waitFor({ timeout: 10_000 });

      await form.getByTestId('receipt-read').waitFor({ timeout: 15_000 });
      expect(await form.getByTestId('receipt-read').first().textContent()).toContain('已读');
      await page.screenshot({ path: `${SHOTS}/map-order.png` });
    } finally {
      await context.close();
      await phone.close();
    }
  });
});
