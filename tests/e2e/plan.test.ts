/**
 * The coverage plan screen (/plan) at a 1280×800 laptop: an admin previews a template on a
 * township at a date and time, sees the locations it will require, and applies it in one step;
 * switches the night hours on and off; a bad period is refused beside its field in Chinese. A
 * dispatcher reads the same screen without a way to change it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { GridsResponse, LocationsResponse, PeriodsResponse } from '@lianfang/server/api';
import { signIn, type SignedIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openPage, PHONE } from './browser.ts';

const LAPTOP = { width: 1280, height: 800 };
/** Screenshots to look at by hand, when set (a directory). */
const SHOTS = process.env.PLAN_SCREENSHOTS;

/** Local Shanghai wall-clock time as epoch ms (UTC+8). */
const sh = (y: number, mo: number, d: number, h = 0) => Date.UTC(y, mo - 1, d, h - 8);
/** The server's clock: real time moved to where the test says (the demo's own key period ends a week later). */
let offset = 0;
const clock = { now: () => Date.now() + offset };
const setClock = (t: number) => (offset = t - Date.now());

let app: MapApp;
let browser: Browser;
let admin: SignedIn;

beforeAll(async () => {
  setClock(sh(2026, 11, 2, 9));
  [app, browser] = await Promise.all([startMapApp({ simulate: false, clock }), launchBrowser()]);
  admin = await signIn(app.testApp, 'admin');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

const periods = async () => (await app.get<PeriodsResponse>('/api/coverage/periods')).periods;

describe('the coverage plan screen', () => {
  it('the plan preview lists the locations a template will require', { timeout: 120_000 }, async () => {
    // 重大活动安保 asks priority-1 locations every 30 minutes by two agencies and priority-2 ones
    // every 60; a key grid raises a location one level. On 10 December nothing else is on.
    const [locations, grids] = await Promise.all([app.get<LocationsResponse>('/api/geo/locations'), app.get<GridsResponse>('/api/geo/grids')]);
    const keyGrids = new Set(grids.features.filter((g) => g.properties.key).map((g) => g.properties.id));
    const level = (p: LocationsResponse['features'][number]['properties']) => (p.gridId && keyGrids.has(p.gridId) && p.priority > 1 ? p.priority - 1 : p.priority);
    const required = new Map<string, string[]>();
    for (const f of locations.features) {
      if (!f.properties.townshipId || level(f.properties) > 2) continue;
      required.set(f.properties.townshipId, [...(required.get(f.properties.townshipId) ?? []), f.properties.id]);
    }
    const [townshipId, expected] = [...required].sort((a, b) => a[1].length - b[1].length).find(([, ids]) => ids.length >= 2)!;

    const { context, page } = await openPage(browser, app, '/plan', { session: admin, viewport: LAPTOP });
    try {
      await page.locator('[data-testid=plan-month]').waitFor({ timeout: 20_000 });
      await shot(page, 'plan-periods-zh');
      await page.click('[data-tab=preview]');
      const form = page.locator('[data-testid=preview-form]');
      await form.locator('[data-field=templateId]').selectOption('major-event');
      await page.locator('[data-testid=template-rules] li').first().waitFor();
      await form.locator('[data-field=start]').fill('2026-12-09');
      await form.locator('[data-field=end]').fill('2026-12-11');
      await form.locator('[data-field=townshipIds]').selectOption(townshipId);
      await form.locator('[data-field=date]').fill('2026-12-10');
      await form.locator('[data-field=time]').fill('10:00');
      // Nothing to apply before it has been previewed.
      expect(await page.locator('[data-action=apply-template]').isDisabled()).toBe(true);
      await page.click('[data-action=preview]');

      await page.locator('[data-testid=preview-list]').waitFor({ timeout: 20_000 });
      const listed = await page.locator('[data-testid=preview-list] tr[data-location]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-location')));
      expect(listed.sort()).toEqual([...expected].sort());
      expect(await page.locator('[data-testid=plan-map]').getAttribute('data-points')).toBe(String(expected.length));
      // The strictest first: a priority-1 location, every 30 minutes by two agencies.
      const first = page.locator('[data-testid=preview-list] tr[data-location]').first();
      expect(await first.textContent()).toContain('每 30 分钟');
      expect(await first.textContent()).toContain('至少 2 家');
      await shot(page, 'plan-preview-zh');

      await page.click('[data-action=apply-template]');
      await page.locator('[data-testid=plan-notice]').waitFor({ timeout: 20_000 });
      const applied = (await periods()).find((p) => p.name === '重大活动安保');
      expect(applied).toMatchObject({ kind: 'event', start: '2026-12-09', end: '2026-12-11', scope: { townshipIds: [townshipId] } });
    } finally {
      await context.close();
    }
  });

  it('an admin switches the night hours on and off, and a bad period is refused beside its end in Chinese', { timeout: 90_000 }, async () => {
    const { context, page } = await openPage(browser, app, '/plan', { session: admin, viewport: LAPTOP });
    try {
      const night = page.locator('[data-testid=daily-hours] [data-period=night] [data-action=toggle-daily]');
      await night.waitFor({ timeout: 20_000 });
      expect(await night.isChecked()).toBe(false);
      // By keyboard: the switch is a checkbox; space flips it.
      await night.focus();
      await page.keyboard.press('Space');
      await expect.poll(async () => (await periods()).find((p) => p.id === 'night')?.enabled).toBe(true);
      await expect.poll(() => night.isChecked()).toBe(true);
      await page.locator('[data-testid=daily-hours] [data-period=night] label.switch').click();
      await expect.poll(async () => (await periods()).find((p) => p.id === 'night')?.enabled).toBe(false);

      await page.click('[data-action=new-period]');
      const form = page.locator('[data-testid=period-form]');
      await form.locator('[data-field=name]').fill('庙会');
      await form.locator('[data-field=kind]').selectOption('event');
      await form.locator('[data-field=start]').fill('2026-12-20');
      await form.locator('[data-field=end]').fill('2026-12-18');
      await page.click('[data-action=save-period]');
      const refusal = form.locator('[data-refusal=end]');
      await refusal.waitFor({ timeout: 20_000 });
      expect(await refusal.textContent()).toBe('结束时间须晚于开始时间');
      await shot(page, 'plan-period-refused-zh');
      await form.locator('[data-field=end]').fill('2026-12-21');
      await page.click('[data-action=save-period]');
      await page.locator('[data-testid=period-list] li', { hasText: '庙会' }).waitFor({ timeout: 20_000 });
      expect((await periods()).find((p) => p.name === '庙会')).toMatchObject({ kind: 'event', start: '2026-12-20', end: '2026-12-21' });
    } finally {
      await context.close();
    }
  });

  it('a dispatcher reads the plan but has no way to change it', { timeout: 90_000 }, async () => {
    const { context, page } = await openPage(browser, app, '/plan', { viewport: LAPTOP, locale: 'en' });
    try {
      await page.locator('[data-testid=period-list] li[data-period=demo-period]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-action=new-period], [data-action=edit-period], [data-action=delete-period]').count()).toBe(0);
      expect(await page.locator('[data-testid=daily-hours] [data-action=toggle-daily]').first().isDisabled()).toBe(true);
      await shot(page, 'plan-periods-dispatcher-en');

      await page.click('[data-tab=rules]');
      await page.locator('[data-testid=rule-table] tr[data-rule]').first().waitFor();
      expect(await page.locator('[data-action=edit-rule], [data-action=new-rule]').count()).toBe(0);
      await shot(page, 'plan-rules-dispatcher-en');

      await page.click('[data-tab=preview]');
      await page.locator('[data-testid=preview-form] [data-field=templateId]').selectOption('major-event');
      await page.click('[data-action=preview]');
      await page.locator('[data-testid=preview-summary]', { hasText: 'need visits' }).waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-action=apply-template]').count()).toBe(0);
      await shot(page, 'plan-preview-dispatcher-en');
      if (SHOTS) {
        await page.setViewportSize(PHONE);
        await shot(page, 'plan-preview-phone-en');
        await page.click('[data-tab=periods]');
        await page.locator('[data-testid=plan-month]').waitFor();
        await shot(page, 'plan-periods-phone-en');
      }
    } finally {
      await context.close();
    }
  });
});
