/**
 * A team as the command centre opens it: its members with phones to call and its recent
 * check-ins (a new one arriving live), and the replay of its track playing on the map, then
 * downloaded as a file.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LocationsResponse, NewDeviceResponse, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import { as } from '../helpers/auth.ts';
import { waitFor } from '../helpers/app.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, openTeamPopup, type HookWindow } from './browser.ts';

let app: MapApp;
let browser: Browser;
let team: TeamDetailResponse['team'];
let places: { id: string; name: string; lon: number; lat: number }[];
/** The fixes sent: a walk east over the last ten minutes, ending where the team now is. */
let fixes: { lon: number; lat: number; time: number }[];
let deviceId: string;

beforeAll(async () => {
  // No simulator: the team stands where its last fix put it, so a click finds it.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  const { teams } = await app.get<TeamsResponse>('/api/teams');
  team = (await app.get<TeamDetailResponse>(`/api/teams/${teams[0]!.id}`)).team;
  const locations = await app.get<LocationsResponse>('/api/geo/locations');
  places = locations.features
    .filter((f) => team.gridIds.includes(f.properties.gridId ?? ''))
    .slice(0, 2)
    .map((f) => ({ id: f.properties.id, name: f.properties.name, lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]! }));
  if (places.length < 2) throw new Error(`team ${team.id} has fewer than two key locations in its grids`);

  const dispatcher = as(app.session);
  const res = await dispatcher(`${app.url}/api/teams/${team.id}/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberName: team.members[0]!.name }),
  });
  ({ identifier: deviceId } = (await res.json()) as NewDeviceResponse);
  const start = places[0]!;
  const now = Date.now();
  fixes = Array.from({ length: 21 }, (_, i) => ({ lon: start.lon + i * 0.0003, lat: start.lat, time: now - (20 - i) * 30_000 }));
  const sent = await fetch(`${app.url}/api/positions/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId, positions: fixes.map((f) => ({ ...f, accuracy: 5 })) }),
  });
  if (!sent.ok) throw new Error(`positions: ${sent.status} ${await sent.text()}`);
  await recordCheckIn('e2e-checkin-first', places[0]!, now - 9 * 60_000);
});

/** A fix of the team's phone received now at `place` (a check-in needs the server to have seen the team there). */
async function reportAt(place: { lon: number; lat: number }): Promise<void> {
  const fix = { lon: place.lon, lat: place.lat, time: Date.now() };
  fixes.push(fix);
  const sent = await fetch(`${app.url}/api/positions/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId, positions: [{ ...fix, accuracy: 5 }] }),
  });
  if (!sent.ok) throw new Error(`positions: ${sent.status} ${await sent.text()}`);
}

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A check-in through the server's own service (as the patrol page's would be), announced live. */
async function recordCheckIn(id: string, place: { id: string; lon: number; lat: number }, time: number): Promise<void> {
  await app.testApp.app.checkins.checkIn({ teamId: team.id, by: 'e2e' }, { id, locationId: place.id, time, lon: place.lon, lat: place.lat }, 'body.');
}

/** Street zoom on the team, then a click on its dot, its popup loaded and still. */
async function openTeam(page: Page): Promise<void> {
  const last = fixes.at(-1)!;
  await page.evaluate(({ lon, lat }) => (window as HookWindow).__lianfang!.map.jumpTo({ center: [lon, lat], zoom: 16 }), last);
  await openTeamPopup(page, team.id);
}

describe('a team on the map', () => {
  it("shows its members with phones and its recent check-ins, a new one arriving live", { timeout: 90_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      await openTeam(page);
      const members = page.locator('.lf-popup--team [data-role=members] .lf-popup__contact');
      await members.first().waitFor({ timeout: 10_000 });
      expect(await page.locator('.lf-popup--team .lf-popup__title').textContent()).toBe(team.callSign);
      expect(await members.count()).toBe(team.members.length);
      expect(await members.first().locator('.lf-popup__name').textContent()).toContain(team.members[0]!.name);
      expect(await members.first().locator('a').getAttribute('href')).toBe(`tel:${team.members[0]!.phone.replace(/[^\d+]/g, '')}`);

      const checkIn = (id: string) => page.locator(`.lf-popup--team [data-role=checkins] [data-checkin-id=${id}]`);
      await checkIn('e2e-checkin-first').waitFor({ timeout: 10_000 });
      expect(await checkIn('e2e-checkin-first').locator('.lf-popup__where').textContent()).toBe(places[0]!.name);

      await reportAt(places[1]!);
      await recordCheckIn('e2e-checkin-live', places[1]!, Date.now());
      await checkIn('e2e-checkin-live').waitFor({ timeout: 5_000 });
      expect(await checkIn('e2e-checkin-live').locator('.lf-popup__where').textContent()).toBe(places[1]!.name);
      // Newest first.
      expect(await page.locator('.lf-popup--team [data-role=checkins] li').first().getAttribute('data-checkin-id')).toBe('e2e-checkin-live');
    } finally {
      await context.close();
    }
  });

  it("replays the team's track: play at 60× moves the replayed team along its fixes to the last one, and the track downloads as a GPX file", { timeout: 90_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      await openTeam(page);
      await page.click('.maplibregl-popup [data-action=replay]');
      await page.waitForSelector('[data-testid=replay][data-status=ready]', { timeout: 15_000 });
      const replayed = () =>
        page.evaluate(() => {
          const map = (window as HookWindow).__lianfang!.map;
          const feature = map.queryRenderedFeatures({ layers: ['replay-position'] })[0];
          return feature?.geometry.type === 'Point' ? (feature.geometry.coordinates as [number, number]) : null;
        });
      await waitFor(async () => (await replayed()) !== null, 10_000, 100);
      const first = fixes[0]!;
      const atStart = (await replayed())!;
      expect(atStart[0]).toBeCloseTo(first.lon, 5);
      const clockAtStart = await page.locator('[data-testid=replay-time]').textContent();

      // Ten minutes of fixes at 60×: about ten seconds.
      await page.click('[data-speed="60"]');
      await page.click('[data-action=play]');
      await page.waitForSelector('[data-testid=replay][data-playing=true]', { timeout: 5_000 });
      await waitFor(async () => ((await replayed()) ?? atStart)[0] > first.lon + 0.001, 15_000, 100);
      expect(await page.locator('[data-testid=replay-time]').textContent()).not.toBe(clockAtStart);
      await page.waitForSelector('[data-testid=replay][data-playing=false]', { timeout: 30_000 });
      await waitFor(async () => Math.abs(((await replayed()) ?? atStart)[0] - fixes.at(-1)!.lon) < 1e-6, 5_000, 100);

      // 导出轨迹 GPX: the file the browser saves holds the replayed fixes.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=replay-export] [data-format=gpx]')]);
      expect(download.suggestedFilename()).toMatch(/^track-.+\.gpx$/);
      const gpx = readFileSync((await download.path())!, 'utf8');
      expect(gpx).toContain('<gpx version="1.1"');
      expect(gpx.match(/<trkpt /g)).toHaveLength(fixes.length);
    } finally {
      await context.close();
    }
  });
});
