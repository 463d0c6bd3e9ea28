/**
 * The admin's 告警推送 tab (/admin#hooks) at a laptop and on a phone: the admin adds a WeCom group
 * robot whose receiver is down, sends a test, and sees it failed with the receiver's error.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIn, type SignedIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openPage } from './browser.ts';

/** Screenshots to look at by hand, when set (a directory). */
const SHOTS = process.env.HOOKS_SCREENSHOTS;

let app: MapApp;
let browser: Browser;
let admin: SignedIn;
let down: Server;
let downUrl: string;

beforeAll(async () => {
  down = createServer((_req, res) => res.writeHead(503).end('maintenance'));
  await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
  downUrl = `http://127.0.0.1:${(down.address() as { port: number }).port}/robot`;
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  admin = await signIn(app.testApp, 'admin');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await new Promise<void>((r) => down.close(() => r()));
});

describe('alert push tab', () => {
  it('shows the admin a webhook whose receiver fails, with its error', async () => {
    const { context, page } = await openPage(browser, app, '/admin#hooks', { session: admin, viewport: { width: 1280, height: 800 } });
    try {
      await page.locator('[data-testid=hooks-tab]').waitFor({ timeout: 20_000 });
      page.setDefaultTimeout(10_000);
      await page.getByLabel('名称', { exact: true }).fill('县指挥中心群');
      await page.getByLabel('地址', { exact: true }).fill(downUrl);
      await page.getByRole('button', { name: '添加推送地址' }).click();
      const hook = page.locator('[data-testid=hook]');
      await hook.waitFor();
      await hook.getByRole('button', { name: '发送测试' }).click();
      await page.locator('[data-testid=hook][data-status=failed]').waitFor();
      await expect(page.locator('[data-testid=hook-error]').textContent()).resolves.toContain('HTTP 503: maintenance');
      await expect(page.locator('[data-testid=hooks-note]').textContent()).resolves.toContain('失败');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/hooks-laptop.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/hooks-phone.png`, fullPage: true });
    } catch (error) {
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/hooks-failure.png`, fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  }, 60_000);
});
