import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, waitForRendered, type HookWindow } from './browser.ts';

let app: MapApp;
let browser: Browser;

beforeAll(async () => {
  // Time-lapse so a walking team crosses screen pixels within seconds at street zoom.
  [app, browser] = await Promise.all([startMapApp({ simulateIntervalMs: 300, simulateSpeedup: 10 }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the live map', () => {
  it('a simulated team moves on the live map', { timeout: 90_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      await waitForRendered(page, 'teams', 10);
      // A team walking now, not one standing out its dwell at a key location (that lasts minutes
      // of real time, while the time-lapse walks): its last two positions differ.
      const id = await (
        await page.waitForFunction(
          () => {
            const { map, teams } = (window as HookWindow).__lianfang!;
            const drawn = new Set(map.queryRenderedFeatures({ layers: ['teams'] }).filter((f) => f.properties.offline === false).map((f) => String(f.properties.id)));
            const walking = [...teams.trails()]
              .filter(([id, trail]) => drawn.has(id) && trail.length >= 2)
              .map(([id, trail]) => ({ id, a: trail.at(-2)!, b: trail.at(-1)! }))
              .filter(({ a, b }) => a.lon !== b.lon || a.lat !== b.lat)
              .sort((x, y) => y.b.time - x.b.time);
            return walking[0]?.id ?? null;
          },
          null,
          { timeout: 30_000, polling: 200 },
        )
      ).jsonValue();
      expect(id, 'no team on patrol is drawn').not.toBeNull();

      // Street zoom on where the team is now (it has moved on since that frame), so metres are pixels.
      await page.evaluate((id) => {
        const { map, teams } = (window as HookWindow).__lianfang!;
        const team = teams.get(id);
        if (team?.lon == null || team.lat == null) throw new Error(`team ${id} has no position`);
        map.jumpTo({ center: [team.lon, team.lat], zoom: 15 });
      }, id!);

      const screenPosition = () =>
        page.waitForFunction(
          (id) => {
            const map = (window as HookWindow).__lianfang!.map;
            const feature = map.queryRenderedFeatures({ layers: ['teams'] }).find((f) => f.properties.id === id);
            if (!feature || feature.geometry.type !== 'Point') return null;
            const { x, y } = map.project(feature.geometry.coordinates as [number, number]);
            return { x, y };
          },
          id,
          { timeout: 20_000, polling: 100 },
        );
      const before = (await (await screenPosition()).jsonValue())!;

      const moved = await page.waitForFunction(
        ({ id, before }) => {
          const map = (window as HookWindow).__lianfang!.map;
          const feature = map.queryRenderedFeatures({ layers: ['teams'] }).find((f) => f.properties.id === id);
          if (!feature || feature.geometry.type !== 'Point') return null;
          const { x, y } = map.project(feature.geometry.coordinates as [number, number]);
          return Math.hypot(x - before.x, y - before.y) >= 2 ? { x, y } : null;
        },
        { id, before },
        { timeout: 45_000, polling: 200 },
      );
      const after = await moved.jsonValue();
      expect(Math.hypot(after!.x - before.x, after!.y - before.y)).toBeGreaterThanOrEqual(2);
    } finally {
      await context.close();
    }
  });

  it('shows the live connection and counts the teams on patrol in the header', { timeout: 60_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 20_000 });
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=teams-on-patrol]')?.textContent) > 0, null, {
        timeout: 20_000,
      });
    } finally {
      await context.close();
    }
  });

  it('presentation mode leaves the map, figures and alerts with nothing to press, and Esc brings the controls back', { timeout: 60_000 }, async () => {
    const { context, page } = await openMap(browser, app, { viewport: { width: 1280, height: 800 } });
    try {
      await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 20_000 });
      const controls = '[role=search], aside.legend, [data-testid=incidents-toggle], .maplibregl-ctrl-zoom-in, [data-action=present]';
      expect(await page.locator(controls).count()).toBe(5);
      await page.screenshot({ path: '/tmp/map-modes.png' });
      await page.click('[data-action=present]');
      await page.locator('[data-testid=present-exit]').waitFor();
      // Visible buttons left: the way out only, the alarm's own (its mute must stay reachable), and
      // the alert rows themselves (opening one shows its detail: reading, not acting).
      const pressable = await page.evaluate(() =>
        Array.from(document.querySelectorAll('button, a[href], input, select, [role=search]'))
          .filter((el) => (el as HTMLElement).offsetParent !== null && !el.closest('[data-testid=alert-panel] :is(ul, ol), [data-testid=alarm], .controls'))
          .map((el) => (el as HTMLElement).dataset.testid ?? `${el.tagName.toLowerCase()}.${String((el as HTMLElement).className).split(' ')[0]}`),
      );
      expect(pressable.filter((x) => x !== 'present-exit' && x !== 'alarm-mute' && !String(x).startsWith('alert'))).toEqual([]);
      expect(await page.locator('[data-testid=teams-on-patrol]').isVisible()).toBe(true);
      await page.screenshot({ path: '/tmp/map-presenting.png' });
      await page.keyboard.press('Escape');
      await page.locator('[data-action=present]').waitFor();
      expect(await page.locator(controls).count()).toBe(5);
    } finally {
      await context.close();
    }
  });

  it('the header fits a 1280 px laptop screen in Chinese and English: nothing in it overlaps or spills out', { timeout: 60_000 }, async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const { context, page } = await openMap(browser, app, { locale, viewport: { width: 1280, height: 800 } });
      try {
        await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 20_000 });
        await page.waitForFunction(() => Number(document.querySelector('[data-testid=teams-on-patrol]')?.textContent) > 0, null, { timeout: 20_000 });
        const problems = await page.evaluate(() => {
          const bar = document.querySelector('header.bar')!.getBoundingClientRect();
          // The header's visible pieces: its three blocks' children, each a box a user reads.
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
          // Text cut without an ellipsis (only the county title may give way, with one).
          for (const b of boxes) if (b.el.scrollWidth > b.el.clientWidth + 1 && getComputedStyle(b.el).textOverflow !== 'ellipsis') found.push(`${b.name} is cut`);
          return found;
        });
        expect(problems, locale).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('a mistyped address shows a not-found page in the user\'s language, with the way back to the map', { timeout: 60_000 }, async () => {
    for (const [locale, title, back] of [
      ['zh-CN', '找不到这个页面', '返回指挥图'],
      ['en', 'Page not found', 'Back to the command map'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      await context.addInitScript((l) => localStorage.setItem('lianfang.locale', l), locale);
      try {
        const page = await context.newPage();
        const response = await page.goto(`${app.url}/no-such-page`);
        expect(response?.status()).toBe(200); // the app's page, which then says what is wrong
        await page.waitForSelector('[data-testid=not-found][data-status="404"]', { timeout: 20_000 });
        expect(await page.locator('h1').textContent()).toBe(title);
        expect(await page.locator('[data-testid=not-found]').textContent()).toContain('/no-such-page');
        await page.getByRole('link', { name: back }).click();
        await page.waitForURL(`${app.url}/`);
      } finally {
        await context.close();
      }
    }
  });

  it('reconnects by itself when the server drops the live feed (as on a restart) and reloads the teams', { timeout: 60_000 }, async () => {
    const { context, page } = await openMap(browser, app);
    try {
      await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 20_000 });
      let snapshots = 0;
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/teams') snapshots++;
      });
      // What a shutting-down server does to every socket; Socket.IO clients don't come back on their own.
      app.testApp.app.io.disconnectSockets(true);
      await page.waitForSelector('[data-testid=connection][data-status=reconnecting]', { timeout: 10_000 });
      await page.waitForSelector('[data-testid=connection][data-status=live]', { timeout: 20_000 });
      await expect.poll(() => snapshots, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    } finally {
      await context.close();
    }
  });
});
