/**
 * A team's shifts (排班) as a dispatcher plans them from its popup, and as its patrol phone sees
 * them: the form proposes the team's next free slot and lists its shifts, each cancellable; an
 * overlap is refused naming the other shift in county time, in Chinese; the phone shows its
 * current and next shift. Screenshots go to /tmp/shifts-shots.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Assignment, AssignmentsResponse, GridsResponse, LocationsResponse, NewDeviceResponse, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import { as } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, openPhone, openTeamPopup, type HookWindow } from './browser.ts';

const SHOTS = '/tmp/shifts-shots';
const LAPTOP = { width: 1280, height: 800 };
const HOUR = 3_600_000;
const QUARTER = 15 * 60_000;

let app: MapApp;
let browser: Browser;
let team: TeamDetailResponse['team'];
let gridId: string;
let gridName: string;
let device: NewDeviceResponse;
let place: { lon: number; lat: number };
/** The team's shift in force, made here. */
let current: Assignment;

/** "HH:MM" on the county clock. */
const hm = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(11, 16);
/** The value of a datetime-local input on the county clock. */
const local = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 16);

async function send(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  return as(app.session)(`${app.url}${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
}

const teamShifts = async () => (await app.get<AssignmentsResponse>(`/api/assignments?teamId=${team.id}`)).assignments;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // No simulator: the team stands where its one fix put it, so a click finds it.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  const { teams } = await app.get<TeamsResponse>('/api/teams');
  team = (await app.get<TeamDetailResponse>(`/api/teams/${teams[0]!.id}`)).team;
  gridId = team.gridIds[0]!;
  const grids = await app.get<GridsResponse>('/api/geo/grids');
  gridName = grids.features.find((f) => f.properties.id === gridId)!.properties.name;
  const locations = await app.get<LocationsResponse>('/api/geo/locations');
  const at = locations.features.find((f) => f.properties.gridId === gridId)!;
  place = { lon: at.geometry.coordinates[0]!, lat: at.geometry.coordinates[1]! };

  // The demo's shifts would make the times depend on the hour the test runs: start clean.
  for (const a of await teamShifts()) expect((await send('DELETE', `/api/assignments/${a.id}`)).status).toBe(204);
  const now = Date.now();
  const made = await send('POST', '/api/assignments', { id: `e2e-current-${now}`, teamId: team.id, gridIds: [gridId], locationIds: [], from: now - HOUR, to: now + 2 * HOUR + 7 * 60_000 });
  expect(made.status).toBe(201);
  current = (await made.json()) as Assignment;

  const res = await send('POST', `/api/teams/${team.id}/devices`, { memberName: team.members[0]!.name });
  device = (await res.json()) as NewDeviceResponse;
  const sent = await fetch(`${app.url}/api/positions/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: device.identifier, positions: [{ ...place, time: Date.now(), accuracy: 5 }] }),
  });
  if (!sent.ok) throw new Error(`positions: ${sent.status} ${await sent.text()}`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The command map at laptop size, the team's popup open and its shift form shown. */
async function openShiftForm(page: Page): Promise<ReturnType<Page['locator']>> {
  await page.evaluate(({ lon, lat }) => (window as HookWindow).__lianfang!.map.jumpTo({ center: [lon, lat], zoom: 16 }), place);
  await openTeamPopup(page, team.id);
  await page.click('.maplibregl-popup [data-action=shift]');
  const form = page.locator('[data-testid=shift-form]');
  await form.waitFor({ timeout: 10_000 });
  return form;
}

describe('the shift form', () => {
  it("proposes a free slot after the team's current shift, lists it, and cancelling it removes it", { timeout: 180_000 }, async () => {
    const { context, page } = await openMap(browser, app, { viewport: LAPTOP });
    try {
      let form = await openShiftForm(page);
      const row = form.locator(`[data-assignment-id="${current.id}"]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).toContain(gridName);
      expect(await row.locator('[data-role=range]').textContent()).toContain(`${hm(current.from)} – `);
      // The proposal: from the current shift's end rounded up to a quarter hour, a usual shift long.
      const from = Math.ceil(current.to / QUARTER) * QUARTER;
      await expect.poll(() => form.locator('input[name=from]').inputValue(), { timeout: 10_000 }).toBe(local(from));
      expect(await form.locator('input[name=to]').inputValue()).toBe(local(from + 8 * HOUR));
      await form.locator(`input[name=grid][value="${gridId}"]`).check();
      await page.screenshot({ path: `${SHOTS}/form-laptop.png` });
      await form.locator('[data-action=save-shift]').click();
      await form.waitFor({ state: 'detached', timeout: 10_000 });
      const made = (await teamShifts()).find((a) => a.from === from);
      expect(made, 'the proposed shift was saved').toMatchObject({ to: from + 8 * HOUR, gridIds: [gridId] });

      // Opened again: both listed; the new one cancelled from the keyboard after confirming.
      await page.keyboard.press('Escape');
      form = await openShiftForm(page);
      const newRow = form.locator(`[data-assignment-id="${made!.id}"]`);
      await newRow.waitFor({ timeout: 10_000 });
      expect(await form.locator('[data-testid=team-shifts] li').count()).toBe(2);
      // Nothing free before the new one ends: the proposal moves past it.
      const after = Math.ceil(made!.to / QUARTER) * QUARTER;
      await expect.poll(() => form.locator('input[name=from]').inputValue(), { timeout: 10_000 }).toBe(local(after));
      await newRow.locator('[data-action=cancel-shift]').focus();
      await page.keyboard.press('Enter');
      const yes = newRow.locator('[data-action=confirm-cancel]');
      await yes.waitFor();
      expect(await yes.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SHOTS}/form-phone-confirm.png` });
      await page.setViewportSize(LAPTOP);
      await page.keyboard.press('Enter');
      await newRow.waitFor({ state: 'detached', timeout: 10_000 });
      expect((await teamShifts()).map((a) => a.id)).toEqual([current.id]);
      expect(await form.locator(`[data-assignment-id="${current.id}"]`).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("an overlapping shift is refused in Chinese naming the other shift's local times", { timeout: 180_000 }, async () => {
    const { context, page } = await openMap(browser, app, { viewport: LAPTOP });
    try {
      const form = await openShiftForm(page);
      await form.locator(`[data-assignment-id="${current.id}"]`).waitFor({ timeout: 10_000 });
      await form.locator('input[name=from]').fill(local(current.from + HOUR));
      await form.locator('input[name=to]').fill(local(current.to + HOUR));
      await form.locator(`input[name=grid][value="${gridId}"]`).check();
      await form.locator('[data-action=save-shift]').click();
      const alert = form.locator('.problem[role=alert]');
      await alert.waitFor({ timeout: 10_000 });
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain('与本队已有班次');
      expect(text).toContain(hm(current.from));
      expect(text).toContain(hm(current.to));
      expect(text).toContain(gridName);
      expect(text).not.toMatch(/overlap|\d{4}-\d{2}-\d{2}T/);
      await page.screenshot({ path: `${SHOTS}/form-overlap.png` });
      expect((await teamShifts()).map((a) => a.id)).toEqual([current.id]);
    } finally {
      await context.close();
    }
  });
});

describe('the patrol page', () => {
  it('the patrol phone shows its current and next shift', { timeout: 180_000 }, async () => {
    const from = Math.ceil(current.to / QUARTER) * QUARTER + HOUR;
    const next = await send('POST', '/api/assignments', { id: `e2e-next-${from}`, teamId: team.id, gridIds: [gridId], locationIds: [], from, to: from + 8 * HOUR });
    expect(next.status).toBe(201);
    const context = await openPhone(browser, { longitude: place.lon, latitude: place.lat });
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/patrol#device=${device.identifier}`);
      const card = page.locator('[data-testid=patrol-shifts]');
      const now = card.locator(`[data-role=current][data-assignment-id="${current.id}"]`);
      await now.waitFor({ timeout: 20_000 });
      expect(await now.textContent()).toContain(gridName);
      expect(await now.textContent()).toContain(hm(current.to));
      const coming = card.locator(`[data-role=next][data-assignment-id="e2e-next-${from}"]`);
      await coming.waitFor();
      expect(await coming.textContent()).toContain(hm(from));
      await page.screenshot({ path: `${SHOTS}/patrol-phone.png` });
      // Cancelled at the command centre: the phone drops it live.
      expect((await send('DELETE', `/api/assignments/e2e-next-${from}`)).status).toBe(204);
      await card.locator('[data-role=next]:not([data-assignment-id])').waitFor({ timeout: 10_000 });
      expect(await card.locator('[data-role=next]').textContent()).toContain('暂无后续排班');
    } finally {
      await context.close();
    }
  });
});
