/**
 * Onboarding a phone and printing key-location check-in posters, as a security company's
 * coordinator does it: on the team's phones screen they issue a phone to a member, the OsmAnd
 * link its QR code holds reports a fix that moves the team on the map (whose popup links back to
 * the screen), and a key location's poster shows its name and the QR code of its check-in code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CheckInCodeResponse, DevicesResponse, LocationsResponse, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import { waitFor } from '../helpers/app.ts';
import { as, signIn, type SignedIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, openTeamPopup, PHONE, waitForRendered, type HookWindow, openPage } from './browser.ts';

const LAPTOP = { width: 1280, height: 800 };
/** Screenshots to look at by hand, when set (a directory). */
const SHOTS = process.env.PHONES_SCREENSHOTS;

let app: MapApp;
let browser: Browser;
let coordinator: SignedIn;
let team: TeamDetailResponse['team'];
/** Key locations in the team's grids. */
let places: { id: string; name: string; gridId: string | null; lon: number; lat: number }[];

beforeAll(async () => {
  // No simulator: the team stays where its phone puts it.
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  const { teams } = await app.get<TeamsResponse>('/api/teams');
  team = (await app.get<TeamDetailResponse>(`/api/teams/${teams[0]!.id}`)).team;
  coordinator = await signIn(app.testApp, 'coordinator', { organisationId: team.organisationId });
  const locations = await app.get<LocationsResponse>('/api/geo/locations');
  places = locations.features
    .filter((f) => team.gridIds.includes(f.properties.gridId ?? ''))
    .map((f) => ({ id: f.properties.id, name: f.properties.name, gridId: f.properties.gridId, lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]! }));
  if (places.length === 0) throw new Error(`team ${team.id} has no key location in its grids`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** A context signed in as `session` at `path` (not the map: no map to wait for). */
const openAs = (session: SignedIn, path: string, viewport = LAPTOP, locale: 'zh-CN' | 'en' = 'zh-CN') => openPage(browser, app, path, { session, viewport, locale });

describe('the team phones screen', () => {
  it('a coordinator onboards a phone from the team screen and the OsmAnd link from its QR code moves the team', { timeout: 180_000 }, async () => {
    const member = team.members[0]!;
    const { context, page } = await openAs(coordinator, `/teams/${team.id}/phones`);
    try {
      await page.locator('[data-testid=issue-form]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid=phones-team]').textContent()).toContain(team.callSign);
      await page.locator('[data-testid=issue-member]').selectOption(member.name);
      await page.locator('[data-testid=issue-label]').fill('测试机');
      await page.locator('[data-action=issue]').click();

      // The phone's codes, shown once, with the warning that they hold its key.
      const osmand = page.locator('[data-testid=setup-links] [data-way=osmand]');
      await osmand.locator('[data-testid=qr]').waitFor({ timeout: 10_000 });
      await expect.poll(() => page.locator('[data-testid=setup-links] [data-testid=qr]').count()).toBe(4);
      expect(await page.locator('[data-testid=issued] .warning').isVisible()).toBe(true);
      const template = (await osmand.locator('[data-testid=qr]').getAttribute('data-text'))!;
      expect(await osmand.locator('[data-testid=link-osmand]').inputValue()).toBe(template);
      const patrolLink = await page.locator('[data-way=patrol] [data-testid=qr]').getAttribute('data-text');
      expect(patrolLink).toMatch(new RegExp(`^${app.url}/patrol#device=[a-z2-7]{26}$`));
      const row = page.locator('[data-testid=devices] tbody tr').first();
      expect(await row.textContent()).toContain(member.name);
      expect(await row.locator('[data-testid=last-report]').textContent()).toContain('尚未上报');
      await shot(page, 'phones-issued-1280');
      if (SHOTS) {
        await page.setViewportSize(PHONE);
        await shot(page, 'phones-issued-390');
        await page.setViewportSize(LAPTOP);
      }

      // The set-up card for printing holds the same codes.
      await page.locator('[data-action=print-cards]').first().click();
      await page.locator('[data-testid=setup-card]').waitFor();
      expect(await page.locator('[data-testid=setup-card]').count()).toBe(1);
      expect(await page.locator('[data-testid=setup-card] [data-way=osmand] [data-testid=qr]').getAttribute('data-text')).toBe(template);
      await shot(page, 'phones-cards-1280');
      await page.emulateMedia({ media: 'print' });
      await shot(page, 'phones-cards-print');
      await page.emulateMedia({ media: 'screen' });
      await page.getByRole('button', { name: '返回' }).click();
      await page.locator('[data-testid=setup-links]').waitFor();

      // OsmAnd fills in its template and sends it: the team moves.
      const place = places[0]!;
      const at = { lon: Math.round((place.lon + 0.0002) * 1e6) / 1e6, lat: Math.round((place.lat + 0.0001) * 1e6) / 1e6 };
      const url = template
        .replace('{0}', String(at.lat))
        .replace('{1}', String(at.lon))
        .replace('{2}', String(Math.floor(Date.now() / 1000)))
        .replace('{3}', '1')
        .replace('{4}', '20')
        .replace('{5}', '0')
        .replace('{6}', '90');
      const sent = await fetch(url);
      expect(sent.status).toBe(200);
      await waitFor(async () => {
        const { teams } = await app.get<TeamsResponse>('/api/teams');
        const moved = teams.find((x) => x.id === team.id);
        return moved?.lon === at.lon && moved.lat === at.lat;
      }, 15_000);

      // A reload shows the report in the list and no longer the key.
      await page.reload();
      await page.locator('[data-testid=devices]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid=setup-links]').count()).toBe(0);
      expect(await page.locator('[data-testid=devices] tbody tr').first().locator('[data-testid=last-report]').textContent()).not.toContain('尚未上报');

      // On a phone the list still reads.
      await page.setViewportSize(PHONE);
      await shot(page, 'phones-list-390');

      // The map shows the team where the phone said, and its popup links to this screen.
      const map = await openMap(browser, app, { session: coordinator, viewport: LAPTOP });
      try {
        await map.page.evaluate(({ lon, lat }) => (window as HookWindow).__lianfang!.map.jumpTo({ center: [lon, lat], zoom: 16 }), at);
        await openTeamPopup(map.page, team.id);
        expect(await map.page.locator('.maplibregl-popup [data-action=phones]').getAttribute('href')).toBe(`/teams/${team.id}/phones`);
        await shot(map.page, 'phones-team-popup');
      } finally {
        await map.context.close();
      }
    } finally {
      await context.close();
    }
  });

  it('revokes a phone after asking, and its next fix is refused', { timeout: 60_000 }, async () => {
    const { context, page } = await openAs(coordinator, `/teams/${team.id}/phones`);
    try {
      await page.locator('[data-testid=issue-form]').waitFor({ timeout: 20_000 });
      await page.locator('[data-action=issue]').click();
      const links = page.locator('[data-testid=setup-links]');
      await links.waitFor({ timeout: 10_000 });
      const deviceId = (await links.getAttribute('data-device-id'))!;
      const template = (await page.locator('[data-way=osmand] [data-testid=qr]').getAttribute('data-text'))!;
      const row = page.locator(`[data-testid=devices] tr[data-device-id="${deviceId}"]`);
      await row.locator('[data-action=revoke]').click();
      await row.locator('[data-confirm=revoke]').click();
      await page.locator(`[data-testid=devices] tr[data-device-id="${deviceId}"][data-revoked=true]`).waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid=setup-links]').count()).toBe(0);
      const place = places[0]!;
      const res = await fetch(template.replace('{0}', String(place.lat)).replace('{1}', String(place.lon)).replace('{2}', String(Math.floor(Date.now() / 1000))).replace(/\{\d\}/g, '1'));
      expect(res.status).toBe(403);
    } finally {
      await context.close();
    }
  });

  it("prints a set-up card for every member once each has been issued a phone", { timeout: 60_000 }, async () => {
    const { devices } = (await (await as(coordinator)(`${app.url}/api/teams/${team.id}/devices`)).json()) as DevicesResponse;
    const without = team.members.filter((m) => !devices.some((d) => d.memberName === m.name && d.revokedAt === null));
    const { context, page } = await openAs(coordinator, `/teams/${team.id}/phones`, { width: 1280, height: 800 }, 'en');
    try {
      await page.locator('[data-action=issue-all]').click();
      await expect.poll(() => page.locator('[data-testid=issued] .issued-one').count(), { timeout: 15_000 }).toBe(without.length);
      await page.locator('[data-testid=issued] [data-action=print-cards]').click();
      await page.locator('[data-testid=setup-card]').first().waitFor();
      expect(await page.locator('[data-testid=setup-card]').count()).toBe(without.length);
      expect(await page.locator('[data-testid=setup-card] [data-testid=qr]').count()).toBe(4 * without.length);
      expect(await page.locator('[data-testid=setup-card]').first().textContent()).toContain('Traccar Client: set Server URL');
      await shot(page, 'phones-cards-all-en');
    } finally {
      await context.close();
    }
  });
});

describe('who may open a team\'s phones', () => {
  it("tells a coordinator of another organisation the team is outside their permissions", { timeout: 30_000 }, async () => {
    const other = await signIn(app.testApp, 'coordinator', { organisationId: `${team.organisationId}-other` });
    const { context, page } = await openAs(other, `/teams/${team.id}/phones`);
    try {
      await page.locator('[data-testid=phones-error]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid=phones-error]').textContent()).toContain('不在您的权限范围内');
      expect(await page.locator('[data-testid=issue-form]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('key-location check-in posters', () => {
  it("the poster page shows the location's name and the QR code of its check-in code", { timeout: 150_000 }, async () => {
    // A location away from where the team stands (a click there would open the team).
    const first = places[0]!;
    const place = places.reduce((far, p) => (Math.hypot(p.lon - first.lon, p.lat - first.lat) > Math.hypot(far.lon - first.lon, far.lat - first.lat) ? p : far), first);
    const map = await openMap(browser, app, { session: coordinator, viewport: LAPTOP });
    let href: string | null = null;
    try {
      await map.page.evaluate(({ lon, lat }) => (window as HookWindow).__lianfang!.map.jumpTo({ center: [lon, lat], zoom: 16 }), place);
      await waitForRendered(map.page, 'locations');
      const at = await map.page.evaluate(({ lon, lat }) => {
        const m = (window as HookWindow).__lianfang!.map;
        const { x, y } = m.project([lon, lat]);
        return { x, y, rect: m.getCanvas().getBoundingClientRect().toJSON() as { left: number; top: number } };
      }, place);
      await map.page.mouse.click(at.rect.left + at.x, at.rect.top + at.y);
      const link = map.page.locator('.lf-popup[data-kind=location] [data-action=poster]');
      await link.waitFor({ timeout: 20_000 });
      href = await link.getAttribute('href');
      expect(href).toBe(`/locations/${encodeURIComponent(place.id)}/poster`);
    } finally {
      await map.context.close();
    }
    const { context, page } = await openAs(coordinator, href!);
    try {
      await page.locator('[data-testid=location-poster]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid=poster-name]').textContent()).toBe(place.name);
      const code = (await (await as(coordinator)(`${app.url}/api/checkins/codes/${encodeURIComponent(place.id)}`)).json()) as CheckInCodeResponse;
      expect(await page.locator('[data-testid=location-poster] [data-testid=qr]').getAttribute('data-text')).toBe(code.url);
      await shot(page, 'poster-one');
      if (SHOTS) {
        await page.setViewportSize(PHONE);
        await shot(page, 'poster-one-390');
        await page.setViewportSize(LAPTOP);
      }

      // Every location of its grid, one poster each.
      await page.locator('[data-action=print-grid]').click();
      const inGrid = places.filter((p) => p.gridId === place.gridId).length;
      await expect.poll(() => page.locator('[data-testid=location-poster]').count(), { timeout: 20_000 }).toBe(inGrid);
      expect(await page.locator('[data-testid=location-poster] [data-testid=qr]').count()).toBe(await page.locator('[data-testid=location-poster]').count());
      await shot(page, 'poster-grid');
    } finally {
      await context.close();
    }
  });
});
