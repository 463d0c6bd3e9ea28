/**
 * Next year's holidays entered on the screen: from 1 October an admin sees the missing-calendar
 * warning on the map, follows it to the calendar screen, uploads a 2027 CSV and adds a make-up
 * day by hand, saves, and when the app clock reaches Spring Festival 2027 the coverage plan
 * (the map's key periods) runs its public-holiday period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { CoverageSnapshot } from '@lianfang/server/api';
import { signIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap } from './browser.ts';

/** Local Shanghai wall-clock time as epoch ms (UTC+8). */
const sh = (y: number, mo: number, d: number, h = 0) => Date.UTC(y, mo - 1, d, h - 8);
/** The server's clock: real time moved to where the test says. */
let offset = 0;
const clock = { now: () => Date.now() + offset };
const setClock = (t: number) => (offset = t - Date.now());

const CSV = '\uFEFF日期,名称,类型\n2027-01-01,元旦,放假\n' + ['06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d},春节,放假`).join('\n') + '\n';

let app: MapApp;
let browser: Browser;

beforeAll(async () => {
  setClock(sh(2026, 10, 2, 9));
  [app, browser] = await Promise.all([startMapApp({ simulate: false, clock }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the holiday calendar screen', () => {
  it('an admin imports a 2027 calendar and the coverage plan treats its Spring Festival days as holidays (injected clock)', { timeout: 180_000 }, async () => {
    const admin = await signIn(app.testApp, 'admin');
    const { context, page } = await openMap(browser, app, { session: admin, viewport: { width: 1280, height: 800 } });
    try {
      // 2 October 2026: 2027 has no holidays anywhere yet.
      await page.locator('[data-testid=calendar-warning][data-year="2027"]').waitFor();
      await page.click('[data-action=open-calendar]');
      await page.locator('[data-testid=calendar-source][data-source=none]').waitFor();

      await page.setInputFiles('input[data-field=file]', { name: '2027.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
      await page.locator('[data-testid=calendar-notice]').waitFor();
      expect(await page.locator('tr[data-row]').count()).toBe(8);

      // The make-up working day, typed in a new row.
      await page.click('[data-action=add-row]');
      const row = page.locator('tr[data-row]').last();
      await row.locator('[data-field=date]').fill('2027-02-20');
      await row.locator('[data-field=name]').fill('春节');
      await row.locator('[data-field=type]').selectOption('makeup');
      await page.click('[data-action=save]');
      await page.locator('[data-testid=calendar-source][data-source=entered]').waitFor();
      expect(await page.locator('tr.makeup').count()).toBe(1);
    } finally {
      await context.close();
    }

    // 8 February 2027, inside the entered Spring Festival (the old session has long expired).
    setClock(sh(2027, 2, 8, 12));
    const later = await signIn(app.testApp, 'admin');
    const { context: festival, page: map } = await openMap(browser, app, { session: later, viewport: { width: 1280, height: 800 } });
    try {
      await map.locator('.period-chip', { hasText: '法定节假日' }).waitFor();
      const res = await fetch(`${app.url}/api/coverage`, { headers: { cookie: later.cookie } });
      const snapshot = (await res.json()) as CoverageSnapshot;
      expect(snapshot.activePeriods).toContainEqual(expect.objectContaining({ id: 'public-holidays', kind: 'holiday' }));
      expect(snapshot.warnings).toEqual([]);
    } finally {
      await festival.close();
    }
  });
});
