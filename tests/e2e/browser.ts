/**
 * The system Chromium driven by playwright-core (nothing downloads a browser), and what every
 * browser test does first: open the map signed in and wait for the test hook.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { SignedIn } from '../helpers/auth.ts';
import type { MapApp } from './app.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** The command centre's big screen. */
export const SCREEN = { width: 1600, height: 900 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * What the page exposes for tests as `window.__lianfang` (see web/src/app.d.ts): the MapLibre
 * map and the live teams state. Read it inside `page.evaluate` through {@link hook}.
 */
export interface TestHook {
  map: MapLibreMap;
  teams: {
    loaded: boolean;
    size: number;
    connection: 'connecting' | 'live' | 'reconnecting';
    get(id: string): { lon: number | null; lat: number | null; time: number | null; status?: string } | undefined;
    /** Each team's recent positions, oldest first. */
    trails(): ReadonlyMap<string, readonly { lon: number; lat: number; time: number }[]>;
  };
  coverage: { loaded: boolean; get(id: string): { state: string } | undefined };
  alerts: { loaded: boolean; get(id: string): { state: string } | undefined };
}

/** For use inside `page.evaluate` / `waitForFunction` callbacks, which run in the page. */
export type HookWindow = Window & { __lianfang?: TestHook };

export interface OpenOptions {
  /** Sign in by cookie first (default); false opens the sign-in form. */
  signedIn?: boolean;
  /** Whose session (default the app's dispatcher). */
  session?: SignedIn;
  locale?: 'zh-CN' | 'en';
  /** Default the command centre's big screen. */
  viewport?: { width: number; height: number };
  /** How long the map may take to load (several software-rendered pages at once take longer). */
  timeout?: number;
}

/** A fresh browser context on the app, signed in, at `path` (a screen without a map: nothing to wait for). */
export async function openPage(
  browser: Browser,
  app: MapApp,
  path: string,
  options: OpenOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport ?? SCREEN, locale: 'zh-CN' });
  if (options.locale) await context.addInitScript((locale) => localStorage.setItem('lianfang.locale', locale), options.locale);
  if (options.signedIn !== false) {
    const [name = '', value = ''] = (options.session ?? app.session).cookie.split('=');
    await context.addCookies([{ name, value, url: app.url }]);
  }
  const page = await context.newPage();
  // An error in the page is the likeliest cause of a timeout waiting for it: say it.
  page.on('pageerror', (e) => console.warn('page error:', e.message));
  await page.goto(`${app.url}${path}`);
  return { context, page };
}

/** A fresh browser context on the app, signed in, at the map with its test hook ready. */
export async function openMap(
  browser: Browser,
  app: MapApp,
  options: OpenOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openPage(browser, app, '/', options);
  if (options.signedIn !== false) await waitForMap(opened.page, options.timeout);
  return opened;
}

/**
 * Waits until the map has loaded (the hook is set on its `load` event) and the first team snapshot
 * has arrived. Not `isStyleLoaded()`: with teams streaming in, some source is nearly always loading.
 */
export async function waitForMap(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => Boolean((window as HookWindow).__lianfang?.teams.loaded),
    null,
    { timeout },
  );
}

/** Waits until `layer` has drawn at least `count` features (labels count once placed). */
export async function waitForRendered(page: Page, layer: string, count = 1, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ({ layer, count }) => {
      const map = (window as HookWindow).__lianfang?.map;
      return Boolean(map?.getLayer(layer) && map.queryRenderedFeatures({ layers: [layer] }).length >= count);
    },
    { layer, count },
    { timeout, polling: 200 },
  );
}

/** Clicks a team's dot on the map once it is drawn (the map already shows where the team is). */
export async function clickTeam(page: Page, teamId: string, timeout = 20_000): Promise<void> {
  const point = await page.waitForFunction(
    (id) => {
      const map = (window as HookWindow).__lianfang!.map;
      const feature = map.queryRenderedFeatures({ layers: ['teams'] }).find((f) => f.properties.id === id);
      return feature?.geometry.type === 'Point' ? map.project(feature.geometry.coordinates as [number, number]) : null;
    },
    teamId,
    { timeout, polling: 200 },
  );
  const { x, y } = (await point.jsonValue())!;
  const box = (await page.locator('canvas.maplibregl-canvas').boundingBox())!;
  await page.mouse.click(box.x + x, box.y + y);
}

/**
 * Opens a team's popup and waits until its details (members, check-ins) are in and the map has
 * stopped panning to fit the taller popup: a button clicked while the popup slides can miss it.
 */
export async function openTeamPopup(page: Page, teamId: string, timeout = 20_000): Promise<void> {
  // A moving team can slip from under the pointer between finding its dot and the click: click
  // again (at its new place) until its popup is open.
  for (let attempt = 1; ; attempt++) {
    await clickTeam(page, teamId, timeout);
    const opened = await page
      .locator('.lf-popup--team')
      .waitFor({ timeout: 5000 })
      .then(
        () => true,
        () => false,
      );
    if (opened || attempt === 3) break;
  }
  for (const role of ['members', 'checkins']) await page.locator(`.lf-popup--team [data-role=${role}] ul`).waitFor({ timeout });
  // The pan to fit starts on the frame after the popup grew.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  await page.waitForFunction(() => !(window as HookWindow).__lianfang!.map.isMoving(), null, { timeout, polling: 100 });
}

/** A phone: what patrols and residents use. */
export const PHONE = { width: 390, height: 844 };

/** A fresh phone-sized, touch context that may read its position (`at`, within `accuracy` metres). */
export function openPhone(browser: Browser, at: { longitude: number; latitude: number }, accuracy = 10): Promise<BrowserContext> {
  return browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    permissions: ['geolocation'],
    geolocation: { ...at, accuracy },
  });
}
