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
import { launchBrowser, openMap } from './browser.ts';

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

/** What {@link countFrames} keeps in the page: MapLibre frames drawn (its 'render' events) and 'idle' events. */
type FrameWindow = Window & { mapFrames: { count: number; idles: number; hook: string; updates: string[] } };

/** Counts the frames the map of the screen's test hook (`__lianfangWall`, `__lianfang`) draws from now on. */
async function countFrames(page: Page, hook: string): Promise<void> {
  await page.evaluate((h) => {
    type Source = Record<'setData' | 'updateData', ((d: unknown) => unknown) | undefined>;
    const w = window as unknown as FrameWindow &
      Record<string, { map: { on(e: string, f: () => void): void; getStyle(): { sources: object }; getSource(id: string): Source | undefined; setPaintProperty(...a: unknown[]): unknown } }>;
    const frames = { count: 0, idles: 0, hook: h, updates: [] as string[] };
    w.mapFrames = frames;
    const map = w[h]!.map;
    map.on('render', () => void frames.count++);
    // A paint property set is a change too (a new incident's ring pulses for a few seconds).
    const paint = map.setPaintProperty.bind(map);
    map.setPaintProperty = (...a: unknown[]) => (frames.updates.push(`paint:${String(a[0])}`), paint(...a));
    map.on('idle', () => void frames.idles++);
    // Which sources were given data, to say what a frame too many was drawn for.
    for (const id of Object.keys(map.getStyle().sources)) {
      const source = map.getSource(id);
      for (const method of ['setData', 'updateData'] as const) {
        const original = source?.[method]?.bind(source);
        if (source && original) source[method] = (d: unknown) => (frames.updates.push(`${id}.${method}`), original(d));
      }
    }
  }, hook);
}

/**
 * Waits until the map is idle: loaded, no frame scheduled (MapLibre's own `_frameRequest`: no
 * public call says so) and, given `idles`, an 'idle' event since that many (it drew and settled).
 */
async function waitIdle(page: Page, idles?: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const w = window as unknown as FrameWindow & Record<string, { map: { loaded(): boolean; _frameRequest: unknown } }>;
      const map = w[w.mapFrames.hook]!.map;
      return (n === null || w.mapFrames.idles > n) && map.loaded() && !map._frameRequest;
    },
    idles ?? null,
    { timeout: 30_000, polling: 100 },
  );
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

  it('the wall and the command map draw one frame for a batch of positions and none while nothing changes', { timeout: 120_000 }, async () => {
    // Each screen on this quiet server (no simulator): its clock ticks, nothing moves.
    const display = await registerDisplay('静止大屏');
    const wall = await openWall(display.url);
    const { page: map } = await openMap(browser, app);
    try {
      // The whole county held (no tour: its glides are frames of their own).
      await wall.goto(`${app.url}/wall?cycle=0`);
      await waitLive(wall, true);
      const screens = [
        { page: wall, hook: '__lianfangWall' },
        { page: map, hook: '__lianfang' },
      ] as const;
      for (const { page, hook } of screens) {
        await page.waitForFunction((h) => Boolean((window as unknown as Record<string, { teams: { loaded: boolean } } | undefined>)[h]?.teams.loaded), hook, { timeout: 30_000 });
        await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/api/geo/locations')), undefined, { timeout: 30_000 });
        await countFrames(page, hook);
      }
      // Settled: every screen's map idle, each after its last frame.
      for (const { page } of screens) await waitIdle(page);

      // A quiet stretch, as long as the wall's clock takes to tick three times: no frame drawn.
      // The wall refreshes its figures now and then, and an incident from an earlier test pulses for
      // half a minute; a stretch in which a source or a paint property changed says nothing about
      // frames drawn for nothing, so another is looked at (for a minute at most).
      const clock = () => wall.textContent('[data-testid="wall-clock"]');
      let quiet = 0;
      for (let stretch = 0; stretch < 20 && quiet === 0; stretch++) {
        for (const { page } of screens) await page.evaluate(() => Object.assign((window as unknown as FrameWindow).mapFrames, { count: 0, updates: [] }));
        for (let ticks = 0, shown = await clock(); ticks < 3; ticks++) {
          await wall.waitForFunction((before) => document.querySelector('[data-testid="wall-clock"]')?.textContent !== before, shown, { timeout: 10_000, polling: 100 });
          shown = await clock();
        }
        const seen = await Promise.all(screens.map(({ page }) => page.evaluate(() => (window as unknown as FrameWindow).mapFrames)));
        for (const [i, { count, updates }] of seen.entries()) {
          if (updates.length === 0) expect(count, `${screens[i]!.hook}: frames with nothing sent`).toBe(0);
        }
        if (seen.every((s) => s.updates.length === 0)) quiet++;
        else for (const { page } of screens) await waitIdle(page);
      }
      expect(quiet, 'a stretch of three clock ticks in which no screen was sent anything').toBe(1);

      // One batch: a team reports at a township's centre, away from any key location (no check-in).
      const townships = await app.get<{ features: { properties: { labelLon: number; labelLat: number } }[] }>('/api/geo/townships');
      const { labelLon: lon, labelLat: lat } = townships.features[0]!.properties;
      const { teams } = await app.get<TeamsResponse>('/api/teams');
      const team = teams.find((t) => t.lon === null) ?? teams[0]!;
      const idles = await Promise.all(
        screens.map(({ page }) => page.evaluate(() => Object.assign((window as unknown as FrameWindow).mapFrames, { count: 0, updates: [] }).idles)),
      );
      await report(app.testApp.app, team.id, [{ time: Date.now(), lon: lon + 0.001, lat }]);
      for (const [i, { page, hook }] of screens.entries()) {
        // The team is drawn where it reported, and the map idle again after it.
        await page.waitForFunction(
          ({ h, id }) => {
            const m = (window as unknown as Record<string, { map: { queryRenderedFeatures(o: object): { properties: Record<string, unknown> }[] } }>)[h]!.map;
            return m.queryRenderedFeatures({ layers: ['teams'] }).some((f) => f.properties.id === id);
          },
          { h: hook, id: team.id },
          { timeout: 30_000, polling: 100 },
        );
        await waitIdle(page, idles[i]!);
        const { count, updates } = await page.evaluate(() => (window as unknown as FrameWindow).mapFrames);
        // One frame for the batch. A team's first report may also change its status, which the
        // server sends as an update of its own: each update is drawn once, never twice.
        expect(count, `${hook}: frames drawn for one batch (sources given data: ${updates.join(', ')})`).toBeGreaterThanOrEqual(1);
        expect(count, `${hook}: frames drawn for one batch (sources given data: ${updates.join(', ')})`).toBeLessThanOrEqual(Math.max(1, updates.length));
      }
    } finally {
      await wall.context().close();
      await map.context().close();
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
