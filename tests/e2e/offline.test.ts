import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TownshipsResponse } from '@lianfang/server/api';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, waitForMap, waitForRendered, type HookWindow } from './browser.ts';

let app: MapApp;
let browser: Browser;

beforeAll(async () => {
  // No simulator: with nothing moving the map can settle (idle) and every request is in.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('offline by construction', () => {
  it('the map loads nothing from any host but its own', { timeout: 90_000 }, async () => {
    const requested: string[] = [];
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    context.on('request', (request) => requested.push(request.url()));
    context.on('weberror', (error) => requested.push(`error:${error.error().message}`));
    const [name = '', value = ''] = app.session.cookie.split('=');
    await context.addCookies([{ name, value, url: app.url }]);
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('websocket', (socket) => requested.push(socket.url()));
    try {
      await page.goto(app.url);
      await waitForMap(page);

      // County zoom: township names. Then street zoom: grid and key location names too.
      await waitForRendered(page, 'township-label', 20);
      const townshipNames = await page.evaluate(() =>
        (window as HookWindow).__lianfang!.map.queryRenderedFeatures({ layers: ['township-label'] }).map((f) => String(f.properties.name)),
      );
      const townships = await app.get<TownshipsResponse>('/api/geo/townships');
      const { labelLon, labelLat } = townships.features[0]!.properties;
      const centre: [number, number] = [labelLon, labelLat];
      await page.evaluate((center) => (window as HookWindow).__lianfang!.map.jumpTo({ center, zoom: 15.5 }), centre);
      await waitForRendered(page, 'grid-label');
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const map = (window as HookWindow).__lianfang!.map;
            if (map.loaded() && !map.isMoving()) resolve();
            else map.once('idle', () => resolve());
          }),
      );

      // The labels were drawn from our own font (Chinese characters and digits alike).
      const fontReady = await page.evaluate(
        (text) => document.fonts.check('16px "Noto Sans SC"', text),
        `${townshipNames.join('')}0123456789`,
      );
      expect(fontReady).toBe(true);
      expect(requested.some((url) => /\.woff2?(\?|$)/.test(url)), 'no font file was fetched').toBe(true);
      expect(requested.some((url) => /maplibre-gl-worker/.test(url)), 'the map worker was not fetched').toBe(true);

      const own = new URL(app.url).host;
      const foreign = requested.filter((url) => {
        if (url.startsWith('error:')) return true;
        const { protocol, host } = new URL(url);
        return !(protocol === 'data:' || protocol === 'blob:' || host === own);
      });
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the residents' help form and its board poster load nothing from any host but their own", { timeout: 90_000 }, async () => {
    const requested: string[] = [];
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    context.on('request', (request) => requested.push(request.url()));
    context.on('weberror', (error) => requested.push(`error:${error.error().message}`));
    try {
      const page = await context.newPage();
      const gridId = (await app.get<{ features: { properties: { id: string } }[] }>('/api/geo/grids')).features[0]!.properties.id;
      await page.goto(`${app.url}/help/${gridId}`);
      await page.getByTestId('help-grid-name').waitFor({ timeout: 30_000 });
      await page.goto(`${app.url}/help/${gridId}/poster`);
      await page.getByTestId('qr').waitFor({ timeout: 30_000 });
      await page.goto(`${app.url}/help/status`);
      await page.getByTestId('help-reference-input').waitFor({ timeout: 30_000 });
      expect(requested.some((url) => /\.woff2?(\?|$)/.test(url)), 'no font file was fetched').toBe(true);
      const own = new URL(app.url).host;
      expect(requested.filter((url) => url.startsWith('error:') || (!/^(data|blob):/.test(url) && new URL(url).host !== own))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the leaders' wall loads nothing from any host but its own", { timeout: 90_000 }, async () => {
    const requested: string[] = [];
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    context.on('request', (request) => requested.push(request.url()));
    context.on('weberror', (error) => requested.push(`error:${error.error().message}`));
    const [name = '', value = ''] = app.session.cookie.split('=');
    await context.addCookies([{ name, value, url: app.url }]);
    try {
      const page = await context.newPage();
      page.on('websocket', (socket) => requested.push(socket.url()));
      await page.goto(`${app.url}/wall`);
      await page.getByTestId('wall-figures').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="wall"][data-live="true"]').waitFor({ timeout: 30_000 });
      expect(requested.some((url) => /\.woff2?(\?|$)/.test(url)), 'no font file was fetched').toBe(true);
      const own = new URL(app.url).host;
      expect(requested.filter((url) => url.startsWith('error:') || (!/^(data|blob):/.test(url) && new URL(url).host !== own))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
