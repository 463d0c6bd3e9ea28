/**
 * Incidents on the command map as dispatchers see them: a report taken on one screen shows on
 * another within a second; a new incident pulses until someone acknowledges it; dispatching from
 * the panel marks the team dispatched and writes the history; a hostile description stays text.
 * Screenshots go to /tmp/incidents-*.png.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Assignment, AssignmentsResponse, GridsResponse, IncidentActionResponse, IncidentView, IncidentsResponse, NewDeviceResponse, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import { labelPoint } from '../../web/src/lib/map/geometry.ts';
import { as, signIn, type SignedIn } from '../helpers/auth.ts';
import { waitFor } from '../helpers/app.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openTeamPopup, openMap, waitForRendered, type HookWindow, type OpenOptions, type TestHook } from './browser.ts';

/** The test hook with the live incidents (web/src/app.d.ts). */
type IncidentsWindow = Window & {
  __lianfang?: TestHook & {
    incidents: { loaded: boolean; sorted(): { id: string; description: string }[]; feed: { on(event: 'incident:changed', handler: () => void): () => void } };
  };
};

const HOSTILE = '<img src=x onerror="window.__xss=7">持刀<b>斗殴</b><script>window.__xss=8</script>';

/** The server's clock: real time plus what the last test moves it on by. */
let offset = 0;
const clock = { now: () => Date.now() + offset };

let app: MapApp;
let browser: Browser;
let leader: SignedIn;
/** A grid's label point: inside the county, in a grid. */
let at: [number, number];
/** A team reporting from just beside `at`, so it is the nearest on patrol. */
let team: { id: string; callSign: string };
/** The identifier of a device of that team. */
let device: string;
/** The name of the grid `at` lies in: the team's shift covers it. */
let gridName: string;
/** The team's current shift. */
let shift: Assignment;
/** Another team on patrol near the point, 300 m west. */
let other: { id: string; callSign: string; device: string };

async function post<T>(path: string, body: unknown, session: SignedIn = app.session): Promise<T> {
  const res = await as(session)(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function report(description: string, extra: Record<string, unknown> = {}): Promise<IncidentView> {
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

/** Both teams report a fresh fix beside the point (a fix goes stale within minutes): on duty. */
async function patrolNearby(): Promise<void> {
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
function openScreen(options: OpenOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  return openMap(browser, app, { timeout: 120_000, ...options });
}

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

/** A leader's laptop: the second screen, smaller, because software rendering costs by the pixel. */
const LAPTOP = { width: 1280, height: 720 };

/** Opens the incident panel from the header. */
async function openPanel(page: Page): Promise<void> {
  await page.click('[data-testid=incidents-toggle]');
  await page.locator('[data-testid=incident-panel]').waitFor({ timeout: 10_000 });
}

/** Shows `point` at street zoom, left of the alert panel. */
async function lookAt(page: Page, point: [number, number], zoom = 15.5): Promise<void> {
  await page.evaluate(({ center, zoom }) => (window as HookWindow).__lianfang!.map.jumpTo({ center, zoom }), { center: point, zoom });
}

/** The rendered marker of an incident in a layer, once drawn. */
async function rendered(page: Page, layer: string, id: string, timeout = 20_000): Promise<Record<string, unknown>> {
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

describe('incidents on the command map', () => {
  it('a report taken on one dashboard shows on a second dashboard within a second', { timeout: 300_000 }, async () => {
    const [a, b] = await Promise.all([openScreen(), openScreen({ session: leader, viewport: LAPTOP })]);
    try {
      const description = `楼道内有人争吵 ${Date.now()}`;
      // The second screen notes when the report reached its live incidents: in the same task as the
      // broadcast's arrival (the store merges it before this handler runs), not at a later poll that
      // a slow software-rendered frame of the new marker could hold up.
      await b.page.waitForFunction(() => (window as IncidentsWindow).__lianfang!.incidents.loaded, null, { timeout: 20_000 });
      await b.page.evaluate((description) => {
        const w = window as IncidentsWindow & { __seenAt?: number };
        const incidents = w.__lianfang!.incidents;
        const off = incidents.feed.on('incident:changed', () => {
          if (w.__seenAt === undefined && incidents.sorted().some((i) => i.description === description)) {
            w.__seenAt = Date.now();
            off();
          }
        });
      }, description);
      await lookAt(a.page, at, 15);
      await waitForRendered(a.page, 'grid-fill');
      await openPanel(a.page);
      await a.page.click('[data-action=new-incident]');
      await a.page.locator('[data-testid=incident-form]').waitFor();
      // The place: a click on the map (its grid named in the form).
      const box = (await a.page.locator('canvas.maplibregl-canvas').boundingBox())!;
      await a.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await a.page.locator('[data-testid=intake-point]').waitFor({ timeout: 10_000 });
      await a.page.selectOption('[data-testid=incident-form] select[name=category]', 'dispute');
      await a.page.fill('[data-testid=incident-form] textarea[name=description]', description);
      await a.page.fill('[data-testid=incident-form] input[name=reporterName]', '李女士');
      await a.page.fill('[data-testid=incident-form] input[name=reporterPhone]', '13912345678');
      await a.page.screenshot({ path: '/tmp/incidents-intake.png' });
      const answered = a.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/incidents');
      await a.page.click('[data-action=submit-incident]');

      // The acting screen has the server's answer (it shows the incident from it at once) and opens its detail.
      const response = await answered;
      expect(response.status()).toBe(201);
      await response.finished();
      const timing = response.request().timing();
      // When the acting screen's browser had the answer's last byte, from its network stack's clock.
      const onA = timing.startTime + timing.responseEnd;
      await a.page.locator('[data-testid=incident-detail]').waitFor({ timeout: 10_000 });
      expect(await a.page.locator('[data-testid=incident-detail] .description').textContent()).toBe(description);
      const onB = await b.page
        .waitForFunction(() => (window as { __seenAt?: number }).__seenAt, null, { timeout: 10_000 })
        .then((h) => h.jsonValue() as Promise<number>);
      expect(onB - onA, `${Math.round(onB - onA)} ms after the acting screen had the answer`).toBeLessThan(1000);

      // The second screen draws it on the map and counts it in its header.
      const id = await b.page.evaluate((d) => (window as IncidentsWindow).__lianfang!.incidents.sorted().find((i) => i.description === d)!.id, description);
      await lookAt(b.page, at, 15);
      const marker = await rendered(b.page, 'incidents', id);
      expect(marker).toMatchObject({ state: 'new', category: 'dispute' });
      expect(Number(await b.page.locator('[data-testid=header-incident-count]').textContent())).toBeGreaterThanOrEqual(1);
      await openPanel(b.page);
      await b.page.locator(`[data-incident-id="${id}"]`).waitFor({ timeout: 10_000 });
      await b.page.screenshot({ path: '/tmp/incidents-second-screen.png' });
    } finally {
      await Promise.all([a.context.close(), b.context.close()]);
    }
  });

  it('a new incident pulses on the map until someone acknowledges it', { timeout: 300_000 }, async () => {
    const incident = await report('路口有人聚集 pulse');
    const { context, page } = await openScreen();
    try {
      await lookAt(page, at);
      await rendered(page, 'incident-pulse', incident.id);
      // The ring is animated: its opacity is stepped on a timer.
      const opacity = () => page.evaluate(() => JSON.stringify((window as HookWindow).__lianfang!.map.getPaintProperty('incident-pulse', 'circle-stroke-opacity')));
      const seen = new Set<string>();
      for (let i = 0; i < 8 && seen.size < 2; i++) {
        seen.add(await opacity());
        await page.waitForTimeout(90);
      }
      expect(seen.size, 'the pulse ring changes').toBeGreaterThan(1);
      await page.screenshot({ path: '/tmp/incidents-pulse.png' });

      await openPanel(page);
      await page.click(`[data-incident-id="${incident.id}"] button`);
      await page.click('[data-testid=incident-detail] [data-action=acknowledge]');
      await page.locator('[data-testid=incident-history] li[data-event=acknowledged]').waitFor({ timeout: 10_000 });
      // No longer pulsing, still on the map as new.
      await page.waitForFunction(
        (id) => {
          const map = (window as HookWindow).__lianfang!.map;
          const pulsing = map.queryRenderedFeatures({ layers: ['incident-pulse'] }).some((f) => f.properties.id === id);
          const drawn = map.queryRenderedFeatures({ layers: ['incidents'] }).some((f) => f.properties.id === id && f.properties.state === 'new');
          return !pulsing && drawn;
        },
        incident.id,
        { timeout: 10_000, polling: 100 },
      );
      expect(await page.locator('[data-testid=incident-detail]').textContent()).toContain(app.session.username);
    } finally {
      await context.close();
    }
  });

  it('dispatching the nearest team from the panel shows the team dispatched and the history', { timeout: 300_000 }, async () => {
    await patrolNearby();
    const incident = await report('有人倒地需要救助', { category: 'help', reporterName: '王先生', reporterPhone: '13800001111' });
    // One screen at a time (the leader's after the dispatcher's): two software-rendered maps at once quadruple the time.
    const a = await openScreen();
    let b: { context: BrowserContext; page: Page } | undefined;
    try {
      await lookAt(a.page, at);
      await openPanel(a.page);
      await a.page.click(`[data-incident-id="${incident.id}"] button`);
      const row = a.page.locator(`[data-testid=incident-dispatch] li[data-team-id="${team.id}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await row.textContent()).toContain(team.callSign);
      // Its shift covers the place: listed first, with a badge.
      expect(await row.locator('[data-testid=assigned-badge]').count()).toBe(1);
      expect(await a.page.locator('[data-testid=incident-dispatch] li').first().getAttribute('data-team-id')).toBe(team.id);
      await a.page.screenshot({ path: '/tmp/incidents-dispatch.png' });
      await row.locator('[data-action=dispatch-team]').click();

      const detail = a.page.locator('[data-testid=incident-detail]');
      await a.page.locator('[data-testid=incident-detail][data-state=dispatched]').waitFor({ timeout: 10_000 });
      expect(await detail.locator('[data-testid=incident-team]').textContent()).toBe(team.callSign);
      const step = detail.locator('[data-testid=incident-history] li[data-event=dispatch]');
      await step.waitFor();
      expect(await step.textContent()).toContain(app.session.username);
      expect(await step.textContent()).toContain(team.callSign);
      expect(await rendered(a.page, 'incidents', incident.id)).toMatchObject({ state: 'dispatched' });
      await a.page.screenshot({ path: '/tmp/incidents-dispatched.png' });

      // Two dispatchers at once: this screen still holds the version before another dispatcher sent
      // the second team (its live updates paused), so its own try loses and says who sent whom.
      const rival = await signIn(app.testApp, 'dispatcher');
      const otherRow = a.page.locator(`[data-testid=incident-dispatch] li[data-team-id="${other.id}"]`);
      await otherRow.waitFor({ timeout: 15_000 });
      const seen = await a.page.evaluate((id) => {
        const live = (window as IncidentsWindow).__lianfang!.incidents as unknown as { stop(): void; get(id: string): { version: number } };
        live.stop();
        return live.get(id).version;
      }, incident.id);
      await post(`/api/incidents/${incident.id}/dispatch`, { teamId: other.id, version: seen }, rival);
      await otherRow.locator('[data-action=dispatch-team]').click();
      const problem = a.page.locator('[data-testid=dispatch-problem]');
      await problem.waitFor({ timeout: 10_000 });
      expect(await problem.textContent()).toBe(`已由 ${rival.username} 派出 ${other.callSign}`);
      // Refreshed: the rival's dispatch is in the history.
      await detail.locator(`[data-testid=incident-history] li[data-event=dispatch]:has-text("${rival.username}")`).waitFor({ timeout: 10_000 });
      expect(await detail.locator('[data-testid=incident-team]').textContent()).toBe(other.callSign);
      await a.page.screenshot({ path: '/tmp/incidents-race.png' });
      await a.context.close();

      // The leader's screen shows it dispatched, and offers nothing to press.
      b = await openScreen({ session: leader, viewport: LAPTOP });
      await lookAt(b.page, at);
      await openPanel(b.page);
      await b.page.click(`[data-incident-id="${incident.id}"] button`);
      await b.page.locator('[data-testid=incident-detail][data-state=dispatched]').waitFor({ timeout: 10_000 });
      expect(await b.page.locator('[data-testid=incident-detail] [data-action]').count()).toBe(0);
    } finally {
      await Promise.all([a.context.close(), b?.context.close()]);
    }
  });

  it('the team popup shows its current shift and the map outlines the assigned grids', { timeout: 300_000 }, async () => {
    await patrolNearby();
    const { context, page } = await openScreen();
    try {
      await page.waitForFunction(() => (window as IncidentsWindow & { __lianfang?: { assignments?: { loaded: boolean } } }).__lianfang!.assignments?.loaded, null, { timeout: 20_000 });
      await lookAt(page, at, 16);
      await openTeamPopup(page, team.id);
      const shown = page.locator(`.lf-popup--team [data-role=shift] [data-assignment-id="${shift.id}"]`);
      await shown.waitFor({ timeout: 15_000 });
      expect(await shown.textContent()).toContain(gridName);
      await waitForRendered(page, 'assigned-grid-line');
      await page.screenshot({ path: '/tmp/incidents-shift.png' });
    } finally {
      await context.close();
    }
  });

  it('a dispatcher gives a team its next shift from its popup', { timeout: 300_000 }, async () => {
    await patrolNearby();
    const { context, page } = await openScreen();
    try {
      await lookAt(page, at, 16);
      await openTeamPopup(page, other.id);
      await page.click('.maplibregl-popup [data-action=shift]');
      const form = page.locator('[data-testid=shift-form]');
      await form.waitFor({ timeout: 10_000 });
      // Its existing shift (the demo's) covers now: this one starts when that one ends.
      const { assignments } = await app.get<AssignmentsResponse>(`/api/assignments?teamId=${other.id}`);
      const start = Math.max(Date.now(), ...assignments.map((a) => a.to)) + 60_000;
      const local = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 16);
      await form.locator('input[name=from]').fill(local(start));
      await form.locator('input[name=to]').fill(local(start + 4 * 3_600_000));
      await form.locator(`input[name=grid][value="${shift.gridIds[0]}"]`).check();
      await page.screenshot({ path: '/tmp/incidents-shift-form.png' });
      await form.locator('[data-action=save-shift]').click();
      await form.waitFor({ state: 'detached', timeout: 10_000 });
      const { assignments: after } = await app.get<AssignmentsResponse>(`/api/assignments?teamId=${other.id}`);
      const made = after.find((a) => a.from === Math.floor(start / 60_000) * 60_000 && a.gridIds.includes(shift.gridIds[0]!));
      expect(made, JSON.stringify(after)).toBeDefined();
      expect(made!.by).toBe(app.session.username);
    } finally {
      await context.close();
    }
  });

  it('a hostile description and reporter name show as text in the list and the detail, and never run', { timeout: 300_000 }, async () => {
    const incident = await report(HOSTILE, { reporterName: '<img src=x onerror=window.__xss=9>', address: '<b>幸福路</b>' });
    // In English, the other language of the screen.
    const { context, page } = await openScreen({ locale: 'en' });
    try {
      await openPanel(page);
      const row = page.locator(`[data-incident-id="${incident.id}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await row.locator('.description').textContent()).toBe(HOSTILE);
      await row.locator('button').click();
      const detail = page.locator('[data-testid=incident-detail]');
      await detail.waitFor();
      expect(await detail.locator('.description').textContent()).toBe(HOSTILE);
      expect(await detail.textContent()).toContain('<img src=x onerror=window.__xss=9>');
      expect(await detail.textContent()).toContain('<b>幸福路</b>');
      const made = await page.evaluate(() => document.querySelectorAll('[data-testid=incident-panel] img, [data-testid=incident-panel] script, [data-testid=incident-panel] b').length);
      expect(made).toBe(0);
      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await detail.locator('.category').textContent()).toBe('Public order');
      await page.screenshot({ path: '/tmp/incidents-hostile-en.png' });
    } finally {
      await context.close();
    }
  });

  it('a quiet map is not redrawn every second as its clock ticks (a software-rendered screen would spend most of its time on it)', { timeout: 300_000 }, async () => {
    // An incident on the map, acknowledged (not pulsing).
    const incident = await report('路灯不亮 quiet');
    await post(`/api/incidents/${incident.id}/acknowledge`, {});
    const { context, page } = await openScreen();
    try {
      await page.waitForFunction(() => (window as IncidentsWindow).__lianfang!.incidents.loaded, null, { timeout: 20_000 });
      await waitForRendered(page, 'incidents');
      const pushes = () => (window as Window & { __pushes?: number }).__pushes;
      await page.evaluate(() => {
        const w = window as HookWindow & { __pushes?: number };
        w.__pushes = 0;
        w.__lianfang!.map.on('sourcedata', (e) => {
          if (e.sourceId === 'incidents' && e.sourceDataType === 'content') w.__pushes!++;
        });
      });
      // Three ticks of the header's clock, each of which used to send the incidents to the map again.
      for (let tick = 0; tick < 3; tick++) {
        const shown = await page.locator('header .time').textContent();
        await page.waitForFunction((shown) => document.querySelector('header .time')?.textContent !== shown, shown, { timeout: 5_000 });
      }
      expect(await page.evaluate(pushes)).toBe(0);
    } finally {
      await context.close();
    }
  });

  // Last: it moves the server's clock on, which would take the teams off patrol for the others.
  it('a step past its time limit is marked late in the panel and raises an incident_late alert that opens the incident', { timeout: 300_000 }, async () => {
    const description = `老人走失，家属求助 ${Date.now()}`;
    const incident = await report(description, { category: 'help' });
    expect(incident.due).not.toBeNull();
    const { context, page } = await openScreen();
    try {
      await openPanel(page);
      await page.locator(`[data-incident-id="${incident.id}"][data-late=false]`).waitFor({ timeout: 15_000 });

      // The limit of its next step passes on the server's clock; its sweep (every second) raises the alert.
      offset += incident.due!.at - clock.now() + 60_000;
      const card = page.locator('[data-alert-id][data-kind=incident_late]', { has: page.locator('.title', { hasText: description }) });
      await card.waitFor({ timeout: 20_000 });
      expect(await card.locator('.kind').textContent()).toContain('事件超时');
      await page.locator(`[data-incident-id="${incident.id}"][data-late=true]`).waitFor({ timeout: 10_000 });
      // The map rings it red too: turning late with the clock sends it to the map again.
      await page.waitForFunction(
        (id) => (window as HookWindow).__lianfang!.map.queryRenderedFeatures({ layers: ['incidents'] }).some((f) => f.properties.id === id && f.properties.late === true),
        incident.id,
        { timeout: 10_000, polling: 200 },
      );

      // Choosing the alert opens the incident.
      await card.locator('button.summary').click();
      const detail = page.locator(`[data-testid=incident-detail][data-incident-id="${incident.id}"]`);
      await detail.waitFor({ timeout: 10_000 });
      expect(await detail.locator('.timing').textContent()).toContain('超时');
      await page.screenshot({ path: '/tmp/incidents-late.png' });
    } finally {
      await context.close();
    }
  });
});
