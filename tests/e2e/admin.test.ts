/**
 * The admin screen (/admin) as the admin uses it at a 1280×800 laptop: reached from the map
 * header's one admin menu (the header still fits); a user disabled there is signed out of the map
 * they have open; a coordinator created there (after the server's refusal of a missing
 * organisation, shown beside the field in Chinese) appears in the audit log; anyone else is told
 * the page is for admins; every user changes their own password from the header's account menu.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { as, signIn, TEST_PASSWORD, type SignedIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, openPage } from './browser.ts';

const LAPTOP = { width: 1280, height: 800 };
/** Screenshots to look at by hand, when set (a directory). */
const SHOTS = process.env.ADMIN_SCREENSHOTS;

let app: MapApp;
let browser: Browser;
let admin: SignedIn;

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  admin = await signIn(app.testApp, 'admin');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** A laptop-sized context signed in as `session`, at `path` (not the map: no map to wait for). */
const openAs = (session: SignedIn, path: string, locale: 'zh-CN' | 'en' = 'zh-CN') => openPage(browser, app, path, { session, viewport: LAPTOP, locale });

/** Opens the users tab on one user's editor, found by the search box. */
async function editUser(page: Page, username: string): Promise<void> {
  await page.locator('[data-testid=users-table]').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=user-search]').fill(username);
  await page.locator(`tr[data-username="${username}"] [data-action=edit-user]`).click();
  await page.locator(`[data-testid=user-editor][data-username="${username}"]`).waitFor();
}

/** What in the header overlaps, spills out or is cut without an ellipsis (as map.test.ts checks it). */
function headerProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bar = document.querySelector('header.bar')!.getBoundingClientRect();
    const boxes = Array.from(document.querySelectorAll('header.bar > * > *'))
      .map((el) => ({ el, r: el.getBoundingClientRect(), name: `${el.tagName.toLowerCase()}.${el.className.toString().split(' ')[0]}` }))
      .filter((b) => b.r.width > 0 && getComputedStyle(b.el).visibility !== 'hidden');
    const found: string[] = [];
    for (const b of boxes) if (b.r.left < bar.left - 0.5 || b.r.right > bar.right + 0.5) found.push(`${b.name} spills out`);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const c = boxes[j]!.r;
        if (a.left < c.right - 0.5 && c.left < a.right - 0.5 && a.top < c.bottom - 0.5 && c.top < a.bottom - 0.5) found.push(`${boxes[i]!.name} overlaps ${boxes[j]!.name}`);
      }
    for (const b of boxes) if (b.el.scrollWidth > b.el.clientWidth + 1 && getComputedStyle(b.el).textOverflow !== 'ellipsis') found.push(`${b.name} is cut`);
    return found;
  });
}

describe('the admin screen', () => {
  it('an admin reaches the users screen from the map header\'s admin menu, and the header still fits a 1280 px screen in both languages', { timeout: 90_000 }, async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const { context, page } = await openMap(browser, app, { session: admin, locale, viewport: LAPTOP });
      try {
        await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 20_000 });
        expect(await headerProblems(page), locale).toEqual([]);
        // By keyboard: Enter opens the menu on its first item, Enter follows it.
        await page.locator('[data-testid=admin-menu]').focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('admin');
        await shot(page, `map-admin-menu-${locale}`);
        expect(await page.locator('[data-testid=admin-menu-items] a[data-action=calendar]').getAttribute('href')).toBe('/calendar');
        await page.keyboard.press('Enter');
        await page.waitForURL(`${app.url}/admin`);
        await page.locator('[data-testid=users-table] tr[data-username="dispatcher"]').waitFor({ timeout: 20_000 });
        await shot(page, `admin-users-${locale}`);
      } finally {
        await context.close();
      }
    }
  });

  it('an admin disables a user and that user\'s session ends', { timeout: 90_000 }, async () => {
    const user = await signIn(app.testApp, 'dispatcher', { username: `disabled-${process.pid}` });
    const watcher = await openMap(browser, app, { session: user, viewport: LAPTOP });
    const { context, page } = await openAs(admin, '/admin');
    try {
      await watcher.page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 20_000 });
      await editUser(page, user.username);
      await page.locator('[data-action=disable-user]').click();
      await shot(page, 'admin-disable-confirm');
      await page.locator('[data-confirm=disable-user]').click();
      await expect.poll(() => page.locator('[data-testid=user-status]').textContent()).toBe('已停用');

      // The server closed the map's socket; reconnecting is refused and the page asks to sign in again.
      await watcher.page.locator('[data-problem=expired]').waitFor({ timeout: 20_000 });
      expect((await as(user)(`${app.url}/api/auth/me`)).status).toBe(401);
      await shot(watcher.page, 'disabled-user-signed-out');
    } finally {
      await context.close();
      await watcher.context.close();
    }
  });

  it('an admin creates a coordinator and the audit log shows it', { timeout: 90_000 }, async () => {
    const username = `coord-${process.pid}`;
    const { context, page } = await openAs(admin, '/admin');
    try {
      await page.locator('[data-testid=users-table]').waitFor({ timeout: 20_000 });
      await page.locator('[data-action=new-user]').click();
      const form = page.locator('[data-testid=user-create]');
      await form.locator('input[name=username]').fill(username);
      await form.locator('input[name=name]').fill('城南保安调度');
      await form.locator('select[name=role]').selectOption('coordinator');
      await form.locator('input[name=password]').fill('a long enough password');
      // No organisation: the server refuses, and says so beside the field, in Chinese.
      await form.locator('[data-action=create-user]').click();
      await expect.poll(() => form.locator('[data-field=organisationId]').textContent()).toBe('协调员和巡逻队员账号必须选择所属单位');
      await shot(page, 'admin-create-refused');
      await form.locator('input[name=organisationId]').fill('O-SC');
      await form.locator('[data-action=create-user]').click();
      await page.locator(`[data-testid=user-editor][data-username="${username}"]`).waitFor();
      await shot(page, 'admin-user-created');

      const { users } = (await (await as(admin)(`${app.url}/api/admin/users`)).json()) as { users: { username: string; role: string; organisationId: string | null }[] };
      expect(users.find((u) => u.username === username)).toMatchObject({ role: 'coordinator', organisationId: 'O-SC' });

      await page.locator('[role=tab][data-tab=audit]').click();
      const filters = page.locator('[data-testid=audit-filters]');
      await filters.locator('select[name=action]').selectOption('user_create');
      await filters.locator('input[name=actor]').fill(admin.username);
      await filters.locator('[data-action=audit-search]').click();
      const row = page.locator(`[data-testid=audit-table] tr[data-action=user_create][data-target="${username}"]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).toContain('新建用户');
      expect(await row.textContent()).toContain(admin.username);
      expect(await row.textContent()).toContain('O-SC');
      await shot(page, 'admin-audit');
      if (SHOTS) {
        await page.getByRole('button', { name: '清除条件' }).click();
        await page.locator('[data-testid=audit-table] tr[data-action=login]').first().waitFor();
        await shot(page, 'admin-audit-all');
      }
    } finally {
      await context.close();
    }
  });

  it('a non-admin opening /admin is told it is for admins', { timeout: 60_000 }, async () => {
    for (const [locale, title] of [
      ['zh-CN', '仅限系统管理员'],
      ['en', 'For administrators only'],
    ] as const) {
      const { context, page } = await openAs(app.session, '/admin', locale);
      try {
        await page.locator('[data-testid=admins-only]').waitFor({ timeout: 20_000 });
        expect(await page.locator('h1').textContent()).toBe(title);
        expect(await page.locator('[data-testid=users-table]').count()).toBe(0);
        await shot(page, `admins-only-${locale}`);
      } finally {
        await context.close();
      }
    }
  });

  it('a user changes their own password from the header\'s account menu; a wrong current password is refused beside its field', { timeout: 60_000 }, async () => {
    const user = await signIn(app.testApp, 'leader', { username: `leader-pw-${process.pid}` });
    const { context, page } = await openMap(browser, app, { session: user, viewport: LAPTOP });
    try {
      await page.locator('[data-testid=user-menu]').click();
      await page.locator('[data-testid=user-menu-items] [data-action=change-password]').click();
      const dialog = page.locator('[data-testid=password-dialog]');
      await dialog.locator('input[name=currentPassword]').fill('not my password');
      await dialog.locator('input[name=password]').fill('a brand new password');
      await dialog.locator('input[name=repeat]').fill('a brand new password');
      await dialog.locator('button[type=submit]').click();
      await expect.poll(() => dialog.locator('[data-field=currentPassword]').textContent()).toBe('当前密码不正确');
      await shot(page, 'password-refused');
      await dialog.locator('input[name=currentPassword]').fill(TEST_PASSWORD);
      await dialog.locator('button[type=submit]').click();
      await dialog.locator('[data-testid=password-done]').waitFor();
      const login = await fetch(`${app.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: 'a brand new password' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await context.close();
    }
  });
});
