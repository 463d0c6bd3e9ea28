/**
 * Names typed by people (a team's call sign and members, a grid imported from a file, an SOS
 * note) reach every dispatcher's screen: they must show as the text they are and never run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { GridsResponse, NewDeviceResponse, TeamsResponse } from '@lianfang/server/api';
import { labelPoint } from '../../web/src/lib/map/geometry.ts';
import { as } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, waitForRendered, type HookWindow } from './browser.ts';

/** A call sign may hold 32 characters: a shorter payload of the same kind. */
const CALL_SIGN = '<img src=x onerror=__xss=1>';
const MEMBER = '<script>__xss=2</script>';
const GRID = '<img src=x onerror="window.__xss=3">鑫淼<script>window.__xss=4</script>网格';
const NOTE = '<img src=x onerror="window.__xss=5"><b>持刀</b>';

let app: MapApp;
let browser: Browser;
let teamId: string;
let gridId: string;
let at: [number, number];

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  const server = app.testApp.app;
  const dispatcher = as(app.session);
  const send = async (method: string, path: string, body: unknown) => {
    const res = await dispatcher(`${app.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };

  // A grid whose name came from a hostile import (seeded through the store the importer writes to).
  const grids = await app.get<GridsResponse>('/api/geo/grids');
  const grid = grids.features.find((f) => labelPoint(f.geometry))!;
  gridId = grid.properties.id;
  at = labelPoint(grid.geometry)!;
  const stored = (await server.geography.store.load()).grids.find((g) => g.id === gridId)!;
  await server.geography.store.merge({ grids: [{ ...stored, name: GRID }] });

  // A dispatcher renames a team and its member; the team reports from inside that grid.
  teamId = (await app.get<TeamsResponse>('/api/teams')).teams[0]!.id;
  await send('PATCH', `/api/teams/${teamId}`, { callSign: CALL_SIGN, members: [{ name: MEMBER, phone: '13800000000', role: 'police_officer' }] });
  const { identifier } = (await send('POST', `/api/teams/${teamId}/devices`, { memberName: MEMBER })) as NewDeviceResponse;
  const res = await fetch(`${app.url}/api/positions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: identifier, lon: at[0], lat: at[1], time: Date.now(), accuracy: 5 }),
  });
  if (!res.ok) throw new Error(`position: ${res.status}`);

  // Its SOS, with a note, lands in the alert panel, titled with the call sign.
  await server.teams.assigned(true);
  await server.alerts.raise('sos', teamId, { teamId, lon: at[0], lat: at[1], note: NOTE }, true);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** No element the payloads could have made, anywhere untrusted text is shown, and nothing ran. */
async function expectInert(page: Page): Promise<void> {
  const made = await page.evaluate(
    () => document.querySelectorAll('.maplibregl-popup img, .maplibregl-popup script, .maplibregl-popup b, [data-testid=alert-panel] img, [data-testid=alert-panel] script, [data-testid=alert-panel] b, [role=search] img, [role=search] script').length,
  );
  expect(made).toBe(0);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
}

/** A point of the grid with no team or location on it, at street zoom. */
async function clickGrid(page: Page): Promise<void> {
  await page.evaluate((center) => (window as HookWindow).__lianfang!.map.jumpTo({ center, zoom: 15 }), at);
  await waitForRendered(page, 'grid-fill');
  const point = await page.waitForFunction(
    (id) => {
      const map = (window as HookWindow).__lianfang!.map;
      const { width, height } = map.getCanvas().getBoundingClientRect();
      for (let r = 30; r < 150; r += 15) {
        for (const [dx, dy] of [[r, 0], [-r, 0], [0, r], [0, -r], [r, r], [-r, -r]] as const) {
          const [x, y] = [width / 2 + dx, height / 2 + dy];
          const near = map.queryRenderedFeatures([[x - 10, y - 10], [x + 10, y + 10]], { layers: ['teams', 'locations'] });
          if (near.length === 0 && map.queryRenderedFeatures([x, y], { layers: ['grid-fill'] })[0]?.properties.id === id) return { x, y };
        }
      }
      return null;
    },
    gridId,
    { timeout: 20_000, polling: 200 },
  );
  const { x, y } = (await point.jsonValue())!;
  const box = (await page.locator('canvas.maplibregl-canvas').boundingBox())!;
  await page.mouse.click(box.x + x, box.y + y);
}

describe('untrusted names on the map', () => {
  it('show as literal text in the alert panel, popups and search results, and never run', { timeout: 120_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      // The alert panel: the SOS titled with the call sign, with its note.
      const card = page.locator('[data-alert-id][data-kind=sos]');
      await card.waitFor({ timeout: 15_000 });
      expect(await card.locator('.title').textContent()).toBe(CALL_SIGN);
      await card.locator('button.summary').click();
      await card.locator('.note').first().waitFor();
      expect(await card.locator('.note').first().textContent()).toContain(NOTE);
      await expectInert(page);

      // The team's popup: call sign and member.
      await page.evaluate((center) => (window as HookWindow).__lianfang!.map.jumpTo({ center, zoom: 16 }), at);
      const teamPoint = await page.waitForFunction(
        (id) => {
          const map = (window as HookWindow).__lianfang!.map;
          const feature = map.queryRenderedFeatures({ layers: ['teams'] }).find((f) => f.properties.id === id);
          return feature?.geometry.type === 'Point' ? map.project(feature.geometry.coordinates as [number, number]) : null;
        },
        teamId,
        { timeout: 20_000, polling: 200 },
      );
      const { x, y } = (await teamPoint.jsonValue())!;
      const box = (await page.locator('canvas.maplibregl-canvas').boundingBox())!;
      await page.mouse.click(box.x + x, box.y + y);
      const member = page.locator('.lf-popup--team [data-role=members] .lf-popup__contact');
      await member.first().waitFor({ timeout: 10_000 });
      expect(await page.locator('.lf-popup--team .lf-popup__title').textContent()).toBe(CALL_SIGN);
      expect(await member.first().locator('.lf-popup__name').textContent()).toContain(MEMBER);
      await expectInert(page);

      // The grid's popup.
      await page.click('.maplibregl-popup-close-button');
      await clickGrid(page);
      await page.locator('.lf-popup--grid').waitFor({ timeout: 10_000 });
      expect(await page.locator('.lf-popup--grid .lf-popup__title').textContent()).toBe(GRID);
      await expectInert(page);

      // Search results.
      await page.fill('input[type=search]', '鑫淼');
      const option = page.locator('#search-results [role=option] button', { hasText: '鑫淼' }).first();
      await option.waitFor({ timeout: 15_000 });
      expect(await option.textContent()).toContain(GRID);
      await expectInert(page);
    } finally {
      await context.close();
    }
  });
});
