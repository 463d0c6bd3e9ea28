/**
 * The assessment report (/reports) on the demo county: a coordinator sees only their
 * organisation's teams; a leader opens the report from the account menu, picks this month and
 * downloads it as Excel, which opens with the same rows as the screen; the print page carries
 * the county's name and the period; a leader opens yesterday's daily briefing (日报) and sees its
 * headline figures, on a laptop and on a phone. Screenshots go to /tmp/reports-shots.
 */
import { mkdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AssessmentReport, Briefing, RosterResponse } from '@lianfang/server/api';
import { signIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openPage } from './browser.ts';

const SHOTS = '/tmp/reports-shots';
const LAPTOP = { width: 1280, height: 800 };

let app: MapApp;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the reports screen', () => {
  it('shows a coordinator only their organisation’s teams', async () => {
    const { teams } = await app.get<RosterResponse>('/api/roster/teams');
    const organisationId = teams[0]!.organisationId;
    const own = teams.filter((x) => x.organisationId === organisationId);
    const coordinator = await signIn(app.testApp, 'coordinator', { organisationId });
    const { context, page } = await openPage(browser, app, '/reports?groupBy=team', { session: coordinator, viewport: LAPTOP });
    try {
      const table = page.locator('[data-testid=reports-table] tbody tr[data-row]');
      await table.first().waitFor({ timeout: 20_000 });
      const keys = await table.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')));
      expect(keys.sort()).toEqual(own.map((x) => x.id).sort());
      await page.screenshot({ path: `${SHOTS}/coordinator.png` });
    } finally {
      await context.close();
    }
  });

  it('lets a leader export the month as Excel with the rows the screen shows', async () => {
    const leader = await signIn(app.testApp, 'leader');
    const { context, page } = await openPage(browser, app, '/roster', { session: leader, viewport: LAPTOP });
    try {
      await page.locator('[data-testid=user-menu]').click();
      await page.locator('[data-testid=user-menu-items] [data-action=reports]').click();
      await page.locator('[data-testid=reports-table] tbody tr[data-row]').first().waitFor({ timeout: 20_000 });
      await page.click('[data-action=this-month]');
      await page.selectOption('select[name=groupBy]', 'township');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('groupBy') === 'township' && !document.querySelector('[aria-busy=true]'));
      const shown = await page.locator('[data-testid=reports-table] tbody tr[data-row] th').allTextContents();
      const query = new URL(page.url()).search;
      const json = await app.get<AssessmentReport>(`/api/reports/assessment${query}`);
      expect(shown.length).toBe(json.rows.length);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=export-xlsx]')]);
      expect(download.suggestedFilename()).toMatch(/^assessment-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}-township\.xlsx$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile((await download.path())!);
      const sheet = book.getWorksheet('考核')!;
      const names = [...Array(sheet.rowCount - 1).keys()].map((i) => (sheet.getRow(i + 2).values as unknown[])[1]);
      expect(names.slice(0, -1).sort()).toEqual(shown.map((s) => s.trim()).sort());
      expect(names.at(-1)).toBe('合计');
      // The print page: the county's name and the period above the table.
      await page.emulateMedia({ media: 'print' });
      const head = page.locator('.print-head');
      expect(await head.isVisible()).toBe(true);
      expect(await head.textContent()).toContain(`${json.from} 至 ${json.to}`);
      expect(await head.textContent()).toContain(json.county);
      await page.screenshot({ path: `${SHOTS}/print.png`, fullPage: false });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('lets a leader open yesterday’s daily briefing and see its headline figures', async () => {
    const leader = await signIn(app.testApp, 'leader');
    const { context, page } = await openPage(browser, app, '/reports', { session: leader, viewport: LAPTOP });
    try {
      await page.locator('[data-testid=user-menu]').click();
      await page.locator('[data-testid=user-menu-items] [data-action=briefing]').click();
      const headline = page.locator('[data-testid=briefing-headline]');
      await headline.waitFor({ timeout: 20_000 });
      const day = await page.locator('[data-testid=briefing]').getAttribute('data-day');
      const json = await app.get<Briefing>(`/api/reports/briefing?day=${day}`);
      const figure = async (id: string) => (await headline.locator(`[data-figure=${id}] dd`).textContent())?.trim();
      expect(await figure('teamsOnDuty')).toBe(String(json.headline.teamsOnDuty));
      expect(await figure('incidents')).toBe(String(json.headline.incidents.reported));
      expect(await figure('missedDeadlines')).toBe(String(json.headline.missedDeadlines));
      expect(await page.locator('[data-testid=briefing] h1').textContent()).toContain(json.county);
      await page.screenshot({ path: `${SHOTS}/briefing.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${SHOTS}/briefing-phone.png`, fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: `${SHOTS}/briefing-print.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);
});
