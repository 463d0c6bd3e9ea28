/**
 * What both incidents browser test files stand on (incidents-dispatch and incidents-display): a
 * server on a clock the tests can move, a browser, a leader's session, two teams on patrol beside
 * one grid's label point (the first on its shift there), and helpers to open a dashboard at it.
 * The bindings below are set by setUpIncidentsWorld's beforeAll.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Assignment, AssignmentsResponse, GridsResponse, IncidentActionResponse, IncidentView, IncidentsResponse, NewDeviceResponse, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import { labelPoint } from '../../web/src/lib/map/geometry.ts';
import { as, signIn, type SignedIn } from '../helpers/auth.ts';
import { waitFor } from '../helpers/app.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, type HookWindow, type OpenOptions, type TestHook } from './browser.ts';

/** The test hook with the live incidents (web/src/app.d.ts). */
export type IncidentsWindow = Window & {
  __lianfang?: TestHook & {
    incidents: { loaded: boolean; sorted(): { id: string; description: string }[]; feed: { on(event: 'incident:changed', handler: () => void): () => void } };
  };
};

/** The server's clock: real time plus what the last test moves it on by. */
let offset = 0;
export const clock = { now: () => Date.now() + offset };

/** Moves the server's clock on: the last test of a file, as it takes the teams off patrol. */
export function moveClockOn(ms: number): void {
  offset += ms;
}

export let app: MapApp;
export let browser: Browser;
export let leader: SignedIn;
/** A grid's label point: inside the county, in a grid. */
export let at: [number, number];
/** A team reporting from just beside `at`, so it is the nearest on patrol. */
export let team: { id: string; callSign: string };
/** The identifier of a device of that team. */
export let device: string;
/** The name of the grid `at` lies in: the team's shift covers it. */
export let gridName: string;
/** The team's current shift. */
export let shift: Assignment;
/** Another team on patrol near the point, 300 m west. */
export let other: { id: string; callSign: string; device: string };

export async function post<T>(path: string, body: unknown, session: SignedIn = app.session): Promise<T> {
  const res = await as(session)(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function report(description: string, extra: Record<string, unknown> = {}): Promise<IncidentView> {
  const { incident } = await post<IncidentActionResponse>('/api/incidents', {
    id: `e2e-${Math.random().toString(36).slice(2, 12)}`,
    category: 'public_order',
    lon: at[0],
    lat: at[1],
    description,
    ...extra,
  });
  return incident;
}

/**
 * One server (its own Redis and demo county, the clock above) and one browser for the test file
 * that calls this, with two teams on patrol beside a grid's label point, one on its shift there.
 */
export function setUpIncidentsWorld(): void {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startMapApp({ simulate: false, clock }), launchBrowser()]);
    leader = await signIn(app.testApp, 'leader');
    const grids = await app.get<GridsResponse>('/api/geo/grids');

    // The first team, on its shift (排班): the demo plans one for every team; make one if not.
    const first = (await app.get<TeamsResponse>('/api/teams')).teams[0]!;
    team = { id: first.id, callSign: first.callSign };
    const { assignments } = await app.get<AssignmentsResponse>(`/api/assignments?teamId=${team.id}`);
    shift = assignments.find((a) => a.from <= Date.now() && Date.now() < a.to && a.gridIds.length > 0)!;
    if (!shift) {
      const gridId = grids.features.find((f) => labelPoint(f.geometry))!.properties.id;
      shift = await post<Assignment>('/api/assignments', { id: 'e2e-shift-1', teamId: team.id, gridIds: [gridId], locationIds: [], from: Date.now() - 60_000, to: Date.now() + 4 * 3_600_000 });
    }
    // Everything happens in the first grid of its shift.
    const grid = grids.features.find((f) => f.properties.id === shift.gridIds[0])!;
    at = labelPoint(grid.geometry)!;
    gridName = grid.properties.name;

    // The team goes on patrol 150 m east of the point: a device reports for it.
    const { team: detail } = await app.get<TeamDetailResponse>(`/api/teams/${team.id}`);
    ({ identifier: device } = await post<NewDeviceResponse>(`/api/teams/${team.id}/devices`, { memberName: detail.members[0]!.name }));
    // A second team 300 m west, for the second dispatcher of the race.
    const second = (await app.get<TeamsResponse>('/api/teams')).teams[1]!;
    const { team: secondDetail } = await app.get<TeamDetailResponse>(`/api/teams/${second.id}`);
    const { identifier } = await post<NewDeviceResponse>(`/api/teams/${second.id}/devices`, { memberName: secondDetail.members[0]!.name });
    other = { id: second.id, callSign: second.callSign, device: identifier };
    await patrolNearby();
  }, 120_000);

  /**
   * What a test leaves new is acknowledged after it: a pulsing marker redraws the whole map five
   * times a second, which on these software-rendered screens would slow every later test's clicks.
   */
  afterEach(async () => {
    const { incidents } = await app.get<IncidentsResponse>('/api/incidents?state=new');
    for (const incident of incidents) if (!incident.acknowledged) await post(`/api/incidents/${incident.id}/acknowledge`, {});
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
}

/** Both teams report a fresh fix beside the point (a fix goes stale within minutes): on duty. */
export async function patrolNearby(): Promise<void> {
  for (const [deviceId, dx] of [[device, 0.0016], [other.device, -0.0032]] as const) {
    const res = await fetch(`${app.url}/api/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId, lon: at[0] + dx, lat: at[1], time: Date.now(), accuracy: 5 }),
    });
    if (!res.ok) throw new Error(`position: ${res.status}`);
  }
  const onDuty = (status: string | undefined) => status === 'on_patrol' || status === 'responding';
  await waitFor(async () => {
    const { teams } = await app.get<TeamsResponse>('/api/teams');
    return [team.id, other.id].every((id) => onDuty(teams.find((t) => t.id === id)?.status));
  }, 15_000, 100);
}

/** browser.ts's openMap with a longer wait: several software-rendered pages on a 2-core machine shared with other test runs take more than its 30 s to load. */
export function openScreen(options: OpenOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  return openMap(browser, app, { timeout: 120_000, ...options });
}

/** A leader's laptop: the second screen, smaller, because software rendering costs by the pixel. */
export const LAPTOP = { width: 1280, height: 720 };

/** Opens the incident panel from the header. */
export async function openPanel(page: Page): Promise<void> {
  await page.click('[data-testid=incidents-toggle]');
  await page.locator('[data-testid=incident-panel]').waitFor({ timeout: 10_000 });
}

/** Shows `point` at street zoom, left of the alert panel. */
export async function lookAt(page: Page, point: [number, number], zoom = 15.5): Promise<void> {
  await page.evaluate(({ center, zoom }) => (window as HookWindow).__lianfang!.map.jumpTo({ center, zoom }), { center: point, zoom });
}

/** The rendered marker of an incident in a layer, once drawn. */
export async function rendered(page: Page, layer: string, id: string, timeout = 20_000): Promise<Record<string, unknown>> {
  const handle = await page.waitForFunction(
    ({ layer, id }) => {
      const map = (window as HookWindow).__lianfang!.map;
      if (!map.getLayer(layer)) return null;
      return map.queryRenderedFeatures({ layers: [layer] }).find((f) => f.properties.id === id)?.properties ?? null;
    },
    { layer, id },
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue())!;
}
