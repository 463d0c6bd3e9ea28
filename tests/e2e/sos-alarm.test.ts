/**
 * Triage and the alarm on the command map, as a dispatcher at a 1280×800 laptop on a bad night:
 * 60 township coverage alerts are open when a patrol presses SOS. The SOS is the first thing on
 * screen (a band under the header, the first card in the panel, the map flown to the team and its
 * dot ringed), and the alarm sounds until someone acknowledges it; the mute is visible and works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AlertsResponse, TeamsResponse } from '@lianfang/server/api';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, type HookWindow } from './browser.ts';

const LAPTOP = { width: 1280, height: 800 };
const SHOTS = process.env.SOS_SCREENSHOTS;

let app: MapApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let team: { id: string; lon: number; lat: number; callSign: string };
let sosId: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  const server = app.testApp.app;
  // A bad night: every township of 30 has both an uncovered and a due-soon alert.
  const townships = [...(await server.geography.places.current()).townships.keys()].slice(0, 30);
  for (const townshipId of townships) {
    await server.alerts.raise('uncovered', `e2e-u-${townshipId}`, { townshipId }, true);
    await server.alerts.raise('due_soon', `e2e-d-${townshipId}`, { townshipId }, true);
  }
  const teams = (await app.get<TeamsResponse>('/api/teams')).teams;
  const placed = teams.find((x) => x.lon !== null && x.lat !== null) ?? teams[0]!;
  team = { id: placed.id, lon: placed.lon ?? 118.77, lat: placed.lat ?? 34.12, callSign: placed.callSign };
  ({ context, page } = await openMap(browser, app, { viewport: LAPTOP }));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

const audioState = () => page.locator('[data-testid=alarm-audio]').evaluate((a: HTMLAudioElement) => ({ paused: a.paused, sound: a.dataset.sound ?? null, time: a.currentTime }));

async function raiseSos(note: string): Promise<string> {
  const server = app.testApp.app;
  await server.teams.assigned(true);
  const { alert } = await server.alerts.raise('sos', team.id, { teamId: team.id, lon: team.lon, lat: team.lat, note }, true);
  return alert!.id;
}

describe('an SOS on a bad night', () => {
  it('with 60 open coverage alerts, a new SOS is the first thing on screen at 1280×800', { timeout: 120_000 }, async () => {
    const open = (await app.get<AlertsResponse>('/api/alerts?state=open&limit=500')).alerts.filter((a) => a.kind === 'uncovered' || a.kind === 'due_soon');
    expect(open.length).toBeGreaterThanOrEqual(60);
    await page.locator('[data-testid=township-alerts] .line').nth(29).waitFor({ state: 'attached', timeout: 30_000 });
    // Somebody touched the page before the SOS (a dispatcher at work): sound is allowed.
    await page.locator('[data-testid=alert-count]').click();

    sosId = await raiseSos('两人持械，请求支援');
    const banner = page.locator(`[data-testid=sos-banner][data-alert-id="${sosId}"]`);
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain(team.callSign);
    expect(await banner.textContent()).toContain('两人持械');
    // In view and on top: nothing covers the band's middle.
    const box = (await banner.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThan(LAPTOP.height / 3);
    const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid=sos-banner]') !== null, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    expect(onTop).toBe(true);

    // The panel's first card is the SOS, above all 60 coverage alerts, and visible without scrolling.
    const first = page.locator('[data-testid=alert-list] [data-alert-id]').first();
    await expect.poll(() => first.getAttribute('data-alert-id'), { timeout: 20_000 }).toBe(sosId);
    const card = (await first.boundingBox())!;
    expect(card.y + card.height).toBeLessThanOrEqual(LAPTOP.height);

    // The map flew to the team and rings its dot.
    await page.waitForFunction(
      ({ lon, lat }) => {
        const map = (window as HookWindow).__lianfang!.map;
        const c = map.getCenter();
        return !map.isMoving() && Math.abs(c.lng - lon) < 0.01 && Math.abs(c.lat - lat) < 0.01;
      },
      team,
      { timeout: 30_000, polling: 200 },
    );
    await page.waitForFunction(() => (window as HookWindow).__lianfang!.map.queryRenderedFeatures({ layers: ['sos-ring'] }).length === 1, null, { timeout: 20_000, polling: 200 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/sos-1280.png` });
  });

  it('SOS plays the alarm (asserted through the audio element\'s state) until acknowledged', { timeout: 120_000 }, async () => {
    await expect.poll(audioState, { timeout: 20_000 }).toMatchObject({ paused: false, sound: 'sos' });
    // It is really playing, not just asked to: time moves on.
    await expect.poll(async () => (await audioState()).time, { timeout: 20_000 }).toBeGreaterThan(0);

    // Muted, it stops and says so; unmuted, it sounds again (the SOS is still not acknowledged).
    const mute = page.locator('[data-testid=alarm-mute]');
    await mute.click();
    await expect.poll(audioState).toMatchObject({ paused: true });
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    expect(await mute.textContent()).toContain('声音已关');
    await mute.click();
    await expect.poll(audioState).toMatchObject({ paused: false, sound: 'sos' });

    // Acknowledged from the band: the alarm stops, the band and the ring go.
    await page.locator(`[data-testid=sos-banner][data-alert-id="${sosId}"] [data-action=acknowledge-sos]`).click();
    await expect.poll(audioState, { timeout: 20_000 }).toMatchObject({ paused: true });
    await page.locator('[data-testid=sos-banner]').waitFor({ state: 'detached', timeout: 20_000 });
    await page.waitForFunction(() => (window as HookWindow).__lianfang!.map.queryRenderedFeatures({ layers: ['sos-ring'] }).length === 0, null, { timeout: 20_000, polling: 200 });
    const stored = (await app.get<AlertsResponse>('/api/alerts?state=open&kind=sos')).alerts.find((a) => a.id === sosId);
    expect(stored).toMatchObject({ state: 'acknowledged', acknowledged: { by: app.session.username } });
  });
});
