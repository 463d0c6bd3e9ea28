/**
 * Mediation records on the command map (issue 18), lean: a dispatcher resolves a dispute,
 * choosing the village mediation room and naming the mediator and the agreement, and the
 * incident's history shows them (as text). Screenshots: /tmp/mediation-form.png, /tmp/mediation-resolve.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { GridsResponse, IncidentView } from '@lianfang/server/api';
import { labelPoint } from '../../web/src/lib/map/geometry.ts';
import { as } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap } from './browser.ts';

let app: MapApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('mediation records', () => {
  it('a dispatcher resolves a dispute choosing the room and mediator, and the history shows them', { timeout: 120_000 }, async () => {
    const grids = await app.get<GridsResponse>('/api/geo/grids');
    const grid = grids.features.find((f) => labelPoint(f.geometry))!;
    const [lon, lat] = labelPoint(grid.geometry)!;
    const res = await as(app.session)(`${app.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `e2e-med-${Date.now()}`, category: 'dispute', lon, lat, description: '邻里因宅基地界线争执' }),
    });
    const { incident } = (await res.json()) as { incident: IncidentView };
    const village = grid.properties.villageId;
    const mediator = '<b>张秀兰</b>';

    const { context, page } = await openMap(browser, app, { viewport: { width: 1280, height: 800 } });
    try {
      await page.click('[data-testid=incidents-toggle]');
      await page.click(`[data-incident-id="${incident.id}"] button`);
      await page.locator('[data-testid=incident-detail]').waitFor({ timeout: 10_000 });
      await page.click('[data-testid=incident-detail] [data-action=resolve]');
      const fields = page.locator('[data-testid=mediation-fields]');
      const room = `${village}-room`;
      await fields.locator(`select[name=roomId] option[value="${room}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      await fields.locator('select[name=roomId]').selectOption(room);
      await fields.locator('input[name=mediator]').fill(mediator);
      await fields.locator('textarea[name=agreement]').fill('界线以老墙为准');
      await page.screenshot({ path: '/tmp/mediation-form.png' });
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/incidents/${incident.id}/resolve`));
      await page.click('[data-action=confirm-resolve]');
      expect((await answered).status()).toBe(200);
      const record = page.locator('[data-testid=incident-history] [data-testid=mediation-record]');
      await record.waitFor({ timeout: 10_000 });
      const text = await record.textContent();
      expect(text).toContain('调解室');
      expect(text).toContain(mediator); // typed text shown as text, not markup
      expect(text).toContain('调解成功');
      expect(await page.locator('[data-testid=incident-history]').textContent()).toContain('协议：界线以老墙为准');
      await page.screenshot({ path: '/tmp/mediation-resolve.png' });
      const stored = (await app.get<IncidentView>(`/api/incidents/${incident.id}`)).history.at(-1)!.mediation;
      expect(stored).toMatchObject({ roomId: room, mediator, outcome: 'settled' });
    } finally {
      await context.close();
    }
  });
});
