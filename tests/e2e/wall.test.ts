/**
 * The leaders' wall (/wall) in the system Chromium, on the demo county: a display's URL signs the
 * screen in with no user, shows the figures and the live map, goes stale the moment its feed
 * drops and live again after, and is told it is revoked within a second of an admin revoking it.
 * One browser and one server for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CreatedDisplay, EventView, LocationsResponse, TeamsResponse } from '@lianfang/server/api';
import { as, signIn, type SignedIn } from '../helpers/auth.ts';
import { report } from '../helpers/positions.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startMapApp, WEB_BUILD, type MapApp } from './app.ts';
import { launchBrowser } from './browser.ts';

let app: MapApp;
let browser: Browser;
let admin: SignedIn;
/** The server started again by the restart test, on the first one's port. */
let restarted: TestApp | undefined;

beforeAll(async () => {
  // No simulator: an idle map leaves the software-rendered page free, so the times measured are the wall's own.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  admin = await signIn(app.testApp, 'admin');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await restarted?.app.close();
  await app?.stop();
});

async function registerDisplay(name: string, scope: object = { kind: 'county' }): Promise<CreatedDisplay> {
  const res = await as(admin)(`${app.url}/api/displays`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, scope }) });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedDisplay;
}

/** API reads the wall was refused (path and status), per page: a display may read only what its screen needs. */
const refused = new WeakMap<Page, string[]>();

/** Opens a display's URL in a fresh browser context with no cookie at all, as the wall's kiosk browser does. */
async function openWall(url: string, viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.warn('page error:', e.message));
  const list: string[] = [];
  refused.set(page, list);
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/') && r.status() >= 400) list.push(`${path} ${r.status()}`);
  });
  await page.goto(url);
  return page;
}

const waitLive = (page: Page, live: boolean, timeout = 30_000) => page.waitForSelector(`[data-testid="wall"][data-live="${live}"]`, { timeout });

describe('the wall', () => {
  it('a display URL opens the wall with no sign-in, shows the figures, and stops working within a second of being revoked', { timeout: 120_000 }, async () => {
    const display = await registerDisplay('指挥中心大屏');
    const page = await openWall(display.url);
    try {
      // The token has left the address bar; the page is signed in by its cookie alone.
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/wall');
      await page.waitForSelector('[data-testid="wall-figures"]', { timeout: 30_000 });
      await waitLive(page, true);
      expect(await page.locator('[data-testid="wall-agency"]').count()).toBe(5);
      expect(await page.locator('[data-testid="wall-townships"] li').count()).toBeGreaterThan(0);
      expect(await page.textContent('[data-testid="wall-live"]')).toBe('实时');
      expect(await page.textContent('[data-testid="wall-scope"]')).toBe('全县');
      expect(await page.textContent('[data-testid="wall-clock"]')).toMatch(/\d\d:\d\d:\d\d/);
      // Today's incidents and this month's disputes per mediation level, from the report's tallies.
      expect(await page.textContent('[data-testid="wall-today"]')).toMatch(/^\d+$/);
      expect(await page.locator('[data-testid="wall-disputes"] td[data-figure="settled"]').count()).toBe(3);
      // The map's layers loaded with the display's narrow reads: nothing it asked for was refused.
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/api/geo/locations')), undefined, { timeout: 30_000 });
      expect(refused.get(page)).toEqual([]);

      const res = await as(admin)(`${app.url}/api/displays/${display.display.id}`, { method: 'DELETE' });
      const answered = Date.now();
      expect(res.status).toBe(204);
      await page.waitForSelector('[data-testid="wall-ended"][data-status="revoked"]', { timeout: 10_000 });
      const elapsed = Date.now() - answered;
      expect(await page.textContent('[data-testid="wall-ended"] h1')).toBe('此显示屏已被撤销');
      expect(elapsed).toBeLessThan(1000);
    } finally {
      await page.context().close();
    }
  });

  it("an event display shows the event's posts, staffed or short, on the board and on the map", { timeout: 120_000 }, async () => {
    const { teams } = await app.get<TeamsResponse>('/api/teams');
    const station = (await app.get<LocationsResponse>('/api/geo/locations')).features.find((f) => f.properties.gridId)!;
    const [lon, lat] = station.geometry.coordinates as [number, number];
    const post = (name: string, at: number, teamId: string) => ({ name, lon: at, lat, radius: 100, headcount: 1, teamIds: [teamId] });
    const res = await as(admin)(`${app.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `wall-event-${Date.now()}`, name: '端午龙舟赛', start: Date.now() - 60_000, end: Date.now() + 3_600_000, perimeter: { gridIds: [station.properties.gridId] }, posts: [post('起点岗', lon + 0.002, teams[0]!.id), post('终点岗', lon - 0.002, teams[1]!.id)] }),
    });
    expect(res.status).toBe(201);
    const event = (await res.json()) as EventView;
    // The first team stands at its post; the second is nowhere near its own.
    await report(app.testApp.app, teams[0]!.id, [{ time: Date.now(), lon: lon + 0.002, lat }]);
    await app.testApp.app.majorEvents.tick();
    const display = await registerDisplay('龙舟赛大屏', { kind: 'event', eventId: event.id });
    const page = await openWall(display.url);
    try {
      const panel = page.getByTestId('wall-event');
      await panel.locator('[data-testid="wall-post"][data-post-id="P1"][data-state="staffed"]').waitFor({ timeout: 30_000 });
      expect(await panel.locator('[data-testid="wall-post"][data-post-id="P2"]').getAttribute('data-state')).toBe('short');
      expect(await page.textContent('[data-testid="wall-scope"]')).toBe('重大活动 · 端午龙舟赛');
      // The map is framed on the perimeter with both posts drawn in their state.
      await page.waitForFunction(
        () => {
          const w = (window as { __lianfangWall?: { map: { queryRenderedFeatures(o: object): { properties: Record<string, unknown> }[] } } }).__lianfangWall;
          const drawn = w?.map.queryRenderedFeatures({ layers: ['event-posts'] }) ?? [];
          return drawn.some((f) => f.properties.id === 'P1' && f.properties.state === 'staffed') && drawn.some((f) => f.properties.id === 'P2' && f.properties.state === 'short');
        },
        undefined,
        { timeout: 30_000, polling: 200 },
      );
      // …the whole perimeter (the event's grid) in the frame, not the posts alone zoomed in on.
      const grids = await app.get<{ features: { properties: { id: string }; geometry: { coordinates: unknown[] } }[] }>('/api/geo/grids');
      const flat = (grids.features.find((g) => g.properties.id === station.properties.gridId)!.geometry.coordinates.flat(Infinity) as number[]);
      const [lons, lats] = [flat.filter((_, i) => i % 2 === 0), flat.filter((_, i) => i % 2 === 1)];
      const corners = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] as const;
      await page.waitForFunction(
        ([west, south, east, north]) => {
          const w = (window as { __lianfangWall?: { map: { getBounds(): { contains(p: [number, number]): boolean } } } }).__lianfangWall;
          const bounds = w?.map.getBounds();
          return Boolean(bounds?.contains([west, south]) && bounds.contains([east, north]));
        },
        corners,
        { timeout: 30_000, polling: 200 },
      );
      expect(refused.get(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/wall-event-1080.png' });
    } finally {
      await page.context().close();
    }
  });

  it('the wall tours the townships with something open, naming what is open there', { timeout: 120_000 }, async () => {
    // An open incident in a township: with the demo's uncovered locations, something to visit.
    const townships = await app.get<{ features: { properties: { id: string; name: string; labelLon: number; labelLat: number } }[] }>('/api/geo/townships');
    const quiet = townships.features.at(-1)!.properties;
    const created = await as(app.session)(`${app.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `wall-tour-${Date.now()}`, category: 'help', lon: quiet.labelLon, lat: quiet.labelLat, description: '巡屏测试' }),
    });
    expect(created.status).toBe(201);
    const { incident } = (await created.json()) as { incident: { townshipId: string } };
    const display = await registerDisplay('巡屏大屏');
    const page = await openWall(display.url);
    try {
      // This screen tours every 2 s (its own ?cycle= over WALL_CYCLE_S's 20 s).
      await page.goto(`${app.url}/wall?cycle=2`);
      await waitLive(page, true);
      const focus = page.locator('[data-testid="wall-focus"]');
      await focus.waitFor({ timeout: 30_000 });
      // The first stop is a township with something open (the busiest; counts move as deadlines pass).
      const figures = (await (await page.request.get(`${app.url}/api/wall/figures`)).json()) as { coverage: { townships: { id: string; name: string; uncovered: number }[] } };
      // Read at once: the caption moves on every 2 s.
      const shown = () => page.evaluate(() => {
        const el = document.querySelector('[data-testid="wall-focus"]');
        return { id: el?.getAttribute('data-township') ?? '', text: el?.textContent ?? '' };
      });
      const first = await shown();
      const row = figures.coverage.townships.find((t) => t.id === first.id)!;
      expect(row.uncovered > 0 || row.id === incident.townshipId).toBe(true);
      expect(first.text).toContain(`巡屏 · ${row.name}`);
      // On it goes, through the township with the incident, which says what is open there.
      await page.waitForFunction(
        (id) => {
          const el = document.querySelector(`[data-testid="wall-focus"][data-township="${id}"]`);
          return el !== null && /未结事件 [1-9]\d* 起/.test(el.textContent ?? '');
        },
        incident.townshipId,
        { timeout: 90_000, polling: 100 },
      );
    } finally {
      await page.context().close();
    }
  });

  it('the wall survives a server restart: stale while the server is down, live again after, still signed in', { timeout: 180_000 }, async () => {
    const display = await registerDisplay('值班室大屏');
    const page = await openWall(display.url);
    try {
      await waitLive(page, true);
      // Every change of the light, recorded in the page: a software-rendered page may paint the
      // stale spell late, but it must have shown it before it shows live again.
      await page.evaluate(() => {
        const wall = document.querySelector('[data-testid="wall"]')!;
        const seen: string[] = [];
        (window as unknown as { wallLight: string[] }).wallLight = seen;
        new MutationObserver(() => seen.push(`${wall.getAttribute('data-live')}:${document.querySelector('[data-testid="wall-live"]')!.textContent}`)).observe(wall, { attributes: true, subtree: true, characterData: true, childList: true });
      });
      // The server stops (its Redis keeps running, as in a deploy) and comes back on the same port.
      const port = Number(new URL(app.url).port);
      await app.testApp.app.close();
      await page.waitForFunction(() => (window as unknown as { wallLight: string[] }).wallLight.some((s) => s.startsWith('false')), undefined, { timeout: 30_000 });
      restarted = await startTestApp({ redis: app.testApp.redis, demo: true, simulate: false, webRoot: WEB_BUILD, listenPort: port });
      await waitLive(page, true, 90_000);
      const light = await page.evaluate(() => (window as unknown as { wallLight: string[] }).wallLight);
      const stale = light.indexOf('false:数据中断');
      expect(stale).toBeGreaterThanOrEqual(0);
      expect(light.indexOf('true:实时', stale)).toBeGreaterThan(stale);
      // Its cookie still signs it in: the figures come back, nothing says it was revoked.
      expect((await page.request.get(`${app.url}/api/wall/figures`)).status()).toBe(200);
      expect(await page.locator('[data-testid="wall-ended"]').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});
