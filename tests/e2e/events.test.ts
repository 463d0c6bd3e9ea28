/**
 * Major events (重大活动) on the command map: a dispatcher draws one up with two posts placed on
 * the map; a team arriving at its post turns the post staffed on the open board, and the same team
 * away from it past the grace raises the 离岗 alert there; the event's replay then shows the team
 * where it was at the moment chosen on the slider. The server's clock is injected: the test moves
 * it past the grace and drives the look at the posts itself (no waiting on the periodic one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { EventView, EventsResponse, LocationsResponse, TeamsResponse } from '@lianfang/server/api';
import { report } from '../helpers/positions.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, openPage, type HookWindow } from './browser.ts';

/** Ceilings for a loaded CI machine, not sleeps: each wait ends when the state shows. */
const SCREEN_MS = 30_000;
let offset = 0;
const clock = { now: () => Date.now() + offset };

let app: MapApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let teamA: string;
let teamB: string;
let gridId: string;
/** Where the two posts go: beside a demo key location (not on it: its own popup would open). */
const places: [number, number][] = [];
let event: EventView;
/** Team A's fixes: at its post, then 1 km east. */
const fixes: { time: number; lon: number; lat: number }[] = [];

/** Clicks the map where [lon, lat] is drawn. */
async function clickMapAt(lon: number, lat: number): Promise<void> {
  const point = await page.evaluate(([lon, lat]) => (window as HookWindow).__lianfang!.map.project([lon, lat]), [lon, lat] as [number, number]);
  const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
}

const look = () => app.testApp.app.majorEvents.tick();

/** Waits until the map draws the post in that state (the board's list says it too). */
async function drawnPost(postId: string, state: string): Promise<void> {
  await page.waitForFunction(
    ({ postId, state }) =>
      (window as HookWindow).__lianfang!.map.queryRenderedFeatures({ layers: ['event-posts'] }).some((f) => f.properties?.id === postId && f.properties?.state === state),
    { postId, state },
    { timeout: SCREEN_MS, polling: 200 },
  );
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false, clock }), launchBrowser()]);
  const { teams } = await app.get<TeamsResponse>('/api/teams');
  [teamA, teamB] = [teams[0]!.id, teams[1]!.id];
  const locations = await app.get<LocationsResponse>('/api/geo/locations');
  const station = locations.features.find((f) => f.properties.gridId)!;
  const [lon, lat] = station.geometry.coordinates as [number, number];
  gridId = station.properties.gridId!;
  places.push([lon + 0.002, lat], [lon - 0.002, lat]);
  ({ context, page } = await openMap(browser, app));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

describe('major events on the command map', () => {
  it('an event with two posts: a team arriving at one post turns it staffed on the board, a team leaving past the grace raises the alert', { timeout: 120_000 }, async () => {
    await page.click('[data-action=events]');
    await page.click('[data-action=new-event]');
    const form = page.getByTestId('event-form');
    await form.locator('input[name=name]').fill('端午龙舟赛');
    await form.locator('select[name=grids]').selectOption([gridId]);
    // Both posts and the place team A walks off to are in view from here: one frame to draw, not three.
    await page.evaluate(([lon, lat]) => (window as HookWindow).__lianfang!.map.jumpTo({ center: [lon, lat], zoom: 15 }), [places[0]![0] + 0.003, places[0]![1]] as [number, number]);
    for (const [i, [lon, lat]] of places.entries()) {
      await form.locator('[data-action=place-post]').click();
      await clickMapAt(lon, lat);
      const row = form.locator(`[data-draft-post="${i}"]`);
      await row.waitFor({ timeout: SCREEN_MS });
      await row.locator('input[name=post-name]').fill(i === 0 ? '起点岗' : '终点岗');
      await row.locator('select[name=post-teams]').selectOption([i === 0 ? teamA : teamB]);
    }
    await form.locator('[data-action=create-event]').click();
    const board = page.getByTestId('event-board');
    await board.waitFor({ timeout: SCREEN_MS });
    event = (await app.get<EventsResponse>('/api/events')).events[0]!;
    expect(event).toMatchObject({ name: '端午龙舟赛', perimeter: { gridIds: [gridId] }, posts: [{ name: '起点岗', teamIds: [teamA] }, { name: '终点岗', teamIds: [teamB] }] });
    await board.locator('[data-post-id=P1][data-state=short]').waitFor({ timeout: SCREEN_MS });
    await board.locator('[data-post-id=P2][data-state=short]').waitFor({ timeout: SCREEN_MS });
    await drawnPost('P2', 'short');

    // Team A arrives at its post: staffed, the other still short.
    const post = event.posts[0]!;
    fixes.push({ time: clock.now(), lon: post.lon, lat: post.lat });
    await report(app.testApp.app, teamA, [fixes[0]!]);
    await look();
    await board.locator('[data-post-id=P1][data-state=staffed]').waitFor({ timeout: SCREEN_MS });
    await drawnPost('P1', 'staffed');
    expect(await board.locator('[data-post-id=P2]').getAttribute('data-state')).toBe('short');

    // It walks 1 km away: short again at once, the alert only past the grace.
    offset += 60_000;
    fixes.push({ time: clock.now(), lon: post.lon + 0.011, lat: post.lat });
    await report(app.testApp.app, teamA, [fixes[1]!]);
    await look();
    await board.locator('[data-post-id=P1][data-state=short]').waitFor({ timeout: SCREEN_MS });
    expect(await board.locator('.alerts [data-kind=post_left]').count()).toBe(0);
    offset += app.testApp.config.postLeftGraceS * 1000 + 1000;
    await look();
    const alert = board.locator('.alerts [data-kind=post_left][data-state=raised]');
    await alert.waitFor({ timeout: SCREEN_MS });
    expect(await alert.textContent()).toContain('起点岗');
    await page.screenshot({ path: '/tmp/events-board.png' });
  });

  it('the event replay shows a team at the right place at a chosen moment', { timeout: 120_000 }, async () => {
    const board = page.getByTestId('event-board');
    await board.locator('[data-action=event-replay]').click();
    const slider = page.getByTestId('event-replay-slider');
    await slider.waitFor({ timeout: SCREEN_MS });
    /** Sets the slider to `time` and waits until the replay draws team A within ~50 m of `where`. */
    const drawnNear = async (time: number, where: { lon: number; lat: number }): Promise<void> => {
      await slider.evaluate((input, t) => {
        (input as HTMLInputElement).value = String(t);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, time);
      await page.waitForFunction(
        ({ teamId, lon, lat }) => {
          const map = (window as HookWindow).__lianfang!.map;
          const f = map.queryRenderedFeatures({ layers: ['event-replay'] }).find((x) => x.properties?.teamId === teamId);
          if (!f || f.geometry.type !== 'Point') return false;
          const [x, y] = f.geometry.coordinates as [number, number];
          return Math.abs(x - lon) < 5e-4 && Math.abs(y - lat) < 5e-4;
        },
        { teamId: teamA, ...where },
        { timeout: SCREEN_MS, polling: 100 },
      );
    };
    // At its post just after it arrived (the slider moves by whole seconds); 1 km east once it had walked off.
    await drawnNear(fixes[0]!.time + 1500, fixes[0]!);
    await drawnNear(fixes[1]!.time + 10_000, fixes[1]!);
    expect(await page.getByTestId('event-replay-count').textContent()).toContain('1 支队伍');
    await page.screenshot({ path: '/tmp/events-replay.png' });
  });

  it("the event report lists each post's staffing and its left-post alert, ready to print", { timeout: 60_000 }, async () => {
    const opened = await openPage(browser, app, `/events/${event.id}/report`, { viewport: { width: 1280, height: 800 } });
    try {
      const row = opened.page.locator('[data-testid=report-posts] tr[data-post-id=P1]');
      await row.waitFor({ timeout: SCREEN_MS });
      const cells = await row.locator('td').allTextContents();
      expect(cells.slice(0, 2)).toEqual(['起点岗', '1']);
      expect(cells[4]).toBe('1');
      expect(await opened.page.locator('[data-action=print]').isEnabled()).toBe(true);
      await opened.page.screenshot({ path: '/tmp/events-report.png', fullPage: true });
    } finally {
      await opened.context.close();
    }
  });

  it('the 重大活动 button sits clear of the legend and the search box at 1280×800', async () => {
    const screen = page.viewportSize()!;
    await page.setViewportSize({ width: 1280, height: 800 });
    // The panel, if the tests above left it open, closes back to its button.
    if (await page.locator('[data-testid=events-panel]').count()) await page.click('[data-testid=events-panel] header .close');
    const boxes = await Promise.all(['[data-action=events]', 'aside.legend', '[role=search], .search'].map((s) => page.locator(s).first().boundingBox()));
    const [button, ...others] = boxes.map((b) => b!);
    for (const o of others) {
      const overlaps = button!.x < o.x + o.width && o.x < button!.x + button!.width && button!.y < o.y + o.height && o.y < button!.y + button!.height;
      expect(overlaps, JSON.stringify({ button, o })).toBe(false);
    }
    await page.setViewportSize(screen);
  });
});
