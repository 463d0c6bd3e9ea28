/**
 * Incidents on the command map as the screen shows them: a hostile description stays text (on
 * screen and in the exported spreadsheet); a
 * quiet map is not redrawn as its clock ticks; a step past its time limit turns late in the
 * panel and on the map and raises an alert that opens it. Screenshots go to /tmp/incidents-*.png.
 * The server, browser and teams: incidents-world.ts.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { IncidentsResponse } from '@lianfang/server/api';
import { waitForRendered, type HookWindow } from './browser.ts';
import { app, clock, moveClockOn, openPanel, openScreen, post, report, setUpIncidentsWorld, type IncidentsWindow } from './incidents-world.ts';

const HOSTILE = '<img src=x onerror="window.__xss=7">持刀<b>斗殴</b><script>window.__xss=8</script>';

setUpIncidentsWorld();

describe('incidents on the command map: as text, without redrawing, and late', () => {
  it('a hostile description and reporter name show as text in the list, the exported spreadsheet and the detail, and never run', { timeout: 300_000 }, async () => {
    const incident = await report(HOSTILE, { reporterName: '<img src=x onerror=window.__xss=9>', address: '<b>幸福路</b>' });
    // In English, the other language of the screen.
    const { context, page } = await openScreen({ locale: 'en' });
    try {
      await openPanel(page);
      const row = page.locator(`[data-incident-id="${incident.id}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await row.locator('.description').textContent()).toBe(HOSTILE);
      // Exported as the panel lists it (open incidents), the spreadsheet holds the same text as text.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=incident-export] [data-format=xlsx]')]);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile((await download.path())!);
      const sheet = book.getWorksheet('Incidents')!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const rows = [...Array(sheet.rowCount - 1).keys()].map((i) => (sheet.getRow(i + 2).values as unknown[]).slice(1));
      const open = (await app.get<IncidentsResponse>('/api/incidents')).incidents.filter((i) => i.state !== 'resolved');
      expect(rows.map((r) => r[0]).sort()).toEqual(open.map((i) => i.reference).sort());
      expect(rows.find((r) => r[0] === incident.reference)![header.indexOf('Description')]).toBe(HOSTILE);
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
      moveClockOn(incident.due!.at - clock.now() + 60_000);
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
