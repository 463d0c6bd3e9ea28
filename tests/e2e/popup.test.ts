import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { GridDetail, GridsResponse } from '@lianfang/server/api';
import { labelPoint } from '../../web/src/lib/map/geometry.ts';
import { TEST_PASSWORD, signIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, waitForMap, waitForRendered, type HookWindow } from './browser.ts';

let app: MapApp;
let browser: Browser;
let grid: GridDetail;
let gridCentre: [number, number];

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  const grids = await app.get<GridsResponse>('/api/geo/grids');
  for (const feature of grids.features) {
    const detail = await app.get<GridDetail>(`/api/geo/grids/${feature.properties.id}`);
    if (detail.leader && detail.workers.length > 0) {
      grid = detail;
      gridCentre = labelPoint(feature.geometry)!;
      break;
    }
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Flies to the grid and clicks a point of it with nothing else (team, location) on top. */
async function clickGrid(page: Page): Promise<void> {
  await page.evaluate((center) => (window as HookWindow).__lianfang!.map.jumpTo({ center, zoom: 15 }), gridCentre);
  await waitForRendered(page, 'grid-fill');
  const point = await page.waitForFunction(
    (id) => {
      const map = (window as HookWindow).__lianfang!.map;
      const { width, height } = map.getCanvas().getBoundingClientRect();
      for (let dy = 0; dy < 120; dy += 12) {
        for (let dx = 0; dx < 120; dx += 12) {
          for (const [x, y] of [
            [width / 2 + dx, height / 2 + dy],
            [width / 2 - dx, height / 2 - dy],
          ] as const) {
            const box: [[number, number], [number, number]] = [
              [x - 8, y - 8],
              [x + 8, y + 8],
            ];
            const top = map.queryRenderedFeatures(box, { layers: ['teams', 'locations'] });
            const here = map.queryRenderedFeatures([x, y], { layers: ['grid-fill'] });
            if (top.length === 0 && here[0]?.properties.id === id) return { x, y };
          }
        }
      }
      return null;
    },
    grid.id,
    { timeout: 20_000, polling: 200 },
  );
  const { x, y } = (await point.jsonValue())!;
  const box = (await page.locator('canvas.maplibregl-canvas').boundingBox())!;
  await page.mouse.click(box.x + x, box.y + y);
}

describe('popups', () => {
  it("a grid's popup shows its leader and workers with their phone numbers to call", { timeout: 90_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      await clickGrid(page);
      const leader = page.locator('.lf-popup--grid [data-role=leader] .lf-popup__contact');
      await leader.waitFor({ timeout: 20_000 });
      expect(await page.locator('.lf-popup__title').textContent()).toBe(grid.name);
      expect(await leader.locator('.lf-popup__name').textContent()).toBe(grid.leader!.name);
      const phone = leader.locator('a.lf-popup__phone');
      expect(await phone.textContent()).toBe(grid.leader!.phone);
      expect(await phone.getAttribute('href')).toBe(`tel:${grid.leader!.phone.replace(/[^\d+]/g, '')}`);
      expect(await page.locator('.lf-popup--grid [data-role=workers] .lf-popup__contact').count()).toBe(grid.workers.length);
    } finally {
      await context.close();
    }
  });

  it('untrusted names in a popup are shown as text, never run as markup', { timeout: 90_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    const hostile = '<img src=x onerror="window.__pwned=1"><b>王</b>';
    try {
      await page.route(`**/api/geo/grids/${grid.id}`, (route) =>
        route.fulfill({
          json: { ...grid, name: hostile, leader: { name: hostile, phone: 'javascript:alert(1)' }, workers: [{ name: '<script>window.__pwned=2</script>', phone: '138 0000 0000' }] },
        }),
      );
      await clickGrid(page);
      const leader = page.locator('.lf-popup--grid [data-role=leader] .lf-popup__contact');
      await leader.waitFor({ timeout: 20_000 });
      expect(await leader.locator('.lf-popup__name').textContent()).toBe(hostile);
      expect(await page.locator('.lf-popup__title').textContent()).toBe(hostile);
      expect(await page.locator('.maplibregl-popup img, .maplibregl-popup script, .maplibregl-popup b').count()).toBe(0);
      expect(await leader.locator('a').getAttribute('href')).toBe('tel:1');
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      await context.close();
    }
  });
});

describe('header and search', () => {
  it('switching the language to English changes the header, and the choice survives a reload', { timeout: 60_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      expect(await page.locator('header h1').textContent()).toBe('沭阳县联防指挥图');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await page.click('button[data-locale=en]');
      await page.waitForFunction(() => document.querySelector('header h1')?.textContent === 'Shuyang County joint patrol map');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.locator('[data-testid=connection]').textContent()).toMatch(/Live|Connecting|Reconnecting/);
      await page.reload();
      await waitForMap(page);
      expect(await page.locator('header h1').textContent()).toBe('Shuyang County joint patrol map');
    } finally {
      await context.close();
    }
  });

  it('searching a grid by name flies the map to it', { timeout: 60_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      await page.fill('input[type=search]', grid.name);
      const option = page.locator('#search-results [role=option] button', { hasText: grid.name }).first();
      await option.waitFor({ timeout: 20_000 });
      await option.click();
      await page.waitForFunction(
        ([lon, lat]) => {
          const map = (window as HookWindow).__lianfang!.map;
          return !map.isMoving() && map.getZoom() >= 13 && map.getBounds().contains([lon, lat]);
        },
        gridCentre,
        { timeout: 20_000, polling: 200 },
      );
    } finally {
      await context.close();
    }
  });

  it('a dispatcher signs in through the form and sees the map', { timeout: 60_000 }, async () => {
    const { username } = await signIn(app.testApp, 'leader');
    const { context, page } = await openMap(browser, app, { signedIn: false });
    try {
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', 'not the password');
      await page.click('button[type=submit]');
      await page.waitForSelector('[role=alert][data-problem=wrong]');
      await page.fill('input[name=password]', TEST_PASSWORD);
      await page.click('button[type=submit]');
      await waitForMap(page);
    } finally {
      await context.close();
    }
  });
});
