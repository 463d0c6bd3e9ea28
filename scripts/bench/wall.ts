/**
 * `npm run bench -- wall [--seconds N] [--soak-minutes M] [--teams 300|3000] [--no-soak | --soak-only] [--soak-cycle S]`:
 * the leaders' wall (/wall) against the
 * plain command map (/), measured in the same run in the system Chromium at 1920×1080, with the
 * demo county's 300 moving teams and again with a generated county ten times larger (3,000 teams).
 *
 * For each screen, over a window of N seconds (default 20) of live feed, the wall with its tour of
 * the townships held (`?cycle=0`) like the map, which does not tour:
 * - frames drawn and position batches received (the feed's ticks), and frames per batch: the
 *   frames of an animation are counted apart, as `animationFrames`, since those are drawn one per
 *   step by design: the camera moving (the wall's tour glides to a township for a second, then
 *   one frame draws the new view's tiles) and the ring that pulses for a few seconds round a new
 *   incident (a paint property set for the frame);
 * - median and p95 frame time (MapLibre's render of one frame, main thread);
 * - main-thread CPU time per position batch (Chromium's `ThreadTime` over the window / batches;
 *   its `TaskDuration` counts the wall time of tasks that wait on the GPU process too, which under
 *   software rendering is most of it, and is reported beside as `taskMsPerBatch`).
 * Then the wall runs unattended with the simulator ten times faster than the demo (a batch every
 * 200 ms instead of 2 s, so one real minute carries ten demo minutes of feed): its JS heap after
 * garbage collection at 5 and at 30 simulated minutes, which must not grow by more than 10 %,
 * with its tour of the townships on at the same pace (WALL_CYCLE_S's 20 s / 10: `?cycle=2`), each
 * heap taken at the tour's whole-scope stop (a township's view holds its own tiles).
 * `--teams` measures one county size only; `--no-soak` / `--soak-only` leave out one part;
 * `--soak-cycle S` sets the tour's period (0: no tour).
 */
import { cpus, loadavg } from 'node:os';
import { existsSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { generateDemoCounty, type DemoCounty } from '@lianfang/geo';
import { startTestApp, waitFor, type TestApp } from '../../tests/helpers/app.ts';
import { as, signIn } from '../../tests/helpers/auth.ts';
import { seedCounty } from '../../tests/helpers/seed.ts';
import { launchBrowser } from '../../tests/e2e/browser.ts';
import { WEB_BUILD } from '../../tests/e2e/app.ts';

const VIEWPORT = { width: 1920, height: 1080 };
/** The demo's own report interval (SIMULATE_INTERVAL_MS's default). */
const DEMO_INTERVAL_MS = 2000;

interface Window {
  screen: string;
  frames: number;
  /** Frames of an animation (the camera moving, a new incident's pulse): not counted in framesPerBatch. */
  animationFrames: number;
  batches: number;
  framesPerBatch: number;
  frameMedianMs: number;
  frameP95Ms: number;
  mainThreadMsPerBatch: number;
  taskMsPerBatch: number;
  /** Sources given new data in the window, and how often (what the frames were drawn for). */
  sources: string;
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
  return value;
}

/** The demo county copied `copies` times side by side (ids and names suffixed), as one larger county. */
function largerCounty(copies: number): DemoCounty {
  const base = generateDemoCounty();
  const out: DemoCounty = { county: base.county, townships: [], villages: [], grids: [], locations: [], organisations: [], teams: [] };
  const shiftCoords = (c: unknown, dx: number, dy: number): unknown =>
    typeof (c as number[])[0] === 'number' ? [(c as number[])[0]! + dx, (c as number[])[1]! + dy] : (c as unknown[]).map((x) => shiftCoords(x, dx, dy));
  const shift = <G extends { coordinates: unknown }>(g: G, dx: number, dy: number): G => ({ ...g, coordinates: shiftCoords(g.coordinates, dx, dy) });
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  for (let k = 0; k < copies; k++) {
    const dx = (k % 5) * 0.7;
    const dy = Math.floor(k / 5) * 0.8;
    const id = (s: string) => (k === 0 ? s : `${s}x${k}`);
    const name = (s: string) => (k === 0 ? s : `${s}${k}`);
    out.townships.push(...base.townships.map((t) => ({ ...t, id: id(t.id), name: name(t.name), geometry: shift(t.geometry, dx, dy), label: [t.label[0] + dx, t.label[1] + dy] as [number, number] })));
    out.villages.push(...base.villages.map((v) => ({ ...v, id: id(v.id), townshipId: id(v.townshipId) })));
    out.grids.push(...base.grids.map((g) => ({ ...g, id: id(g.id), name: name(g.name), townshipId: id(g.townshipId), villageId: g.villageId && id(g.villageId), geometry: shift(g.geometry, dx, dy) })));
    out.locations.push(
      ...base.locations.map((l) => ({ ...l, id: id(l.id), name: name(l.name), geometry: shift(l.geometry, dx, dy), ...(l.gridId ? { gridId: id(l.gridId) } : {}), ...(l.townshipId ? { townshipId: id(l.townshipId) } : {}) })),
    );
    out.organisations.push(...base.organisations.map((o) => ({ ...o, id: id(o.id), name: name(o.name), ...(o.townshipId ? { townshipId: id(o.townshipId) } : {}) })));
    out.teams.push(
      ...base.teams.map((t) => ({ ...t, id: id(t.id), callSign: name(t.callSign), organisationId: id(t.organisationId), gridIds: t.gridIds.map(id), ...(t.townshipId ? { townshipId: id(t.townshipId) } : {}) })),
    );
    const [x0, y0] = [118.4 + dx, 33.7 + dy];
    west = Math.min(west, x0);
    south = Math.min(south, y0);
    east = Math.max(east, x0 + 0.8);
    north = Math.max(north, y0 + 0.9);
  }
  if (copies > 1) {
    out.county = { name: `${base.county.name}×${copies}`, geometry: { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] } };
  }
  return out;
}

interface Scenario {
  app: TestApp;
  dispatcherCookie: string;
  wallUrl: string;
  teams: number;
}

export async function startScenario(copies: number, intervalMs: number): Promise<Scenario> {
  const county = largerCounty(copies);
  const demo = copies === 1;
  // The demo county as `npm start` has it; the larger one seeded by hand (the demo loads only its own).
  // Loading the larger county blocks Redis for seconds: the stall watchdog is for production.
  const app = await startTestApp({ demo, simulate: true, simulateIntervalMs: intervalMs, webRoot: WEB_BUILD, logLevel: 'error', ...(demo ? {} : { coverageTickMs: 0, redisTimeoutMs: 60_000 }) });
  if (demo) await app.app.demoReady;
  else await seedCounty(app.app, county);
  const admin = await signIn(app, 'admin');
  const dispatcher = await signIn(app, 'dispatcher');
  const res = await as(admin)(`${app.url}/api/displays`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', scope: { kind: 'county' } }) });
  if (res.status !== 201) throw new Error(`POST /api/displays answered ${res.status}`);
  const { url } = (await res.json()) as { url: string };
  // Every team has reported once: the feed is in its steady state.
  await waitFor(async () => {
    const r = await as(dispatcher)(`${app.url}/api/teams`);
    const { teams } = (await r.json()) as { teams: { lon: number | null }[] };
    return teams.filter((t) => t.lon !== null).length >= county.teams.length * 0.95;
  }, 180_000);
  return { app, dispatcherCookie: dispatcher.cookie, wallUrl: app.url + new URL(url).pathname + new URL(url).search, teams: county.teams.length };
}

/** Opens a screen and waits for its map and its first team snapshot; answers the page and its CDP session. */
export async function open(browser: Browser, s: Scenario, screen: 'map' | 'wall', query = ''): Promise<{ page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  if (screen === 'map') {
    const [name = '', value = ''] = s.dispatcherCookie.split('=');
    await context.addCookies([{ name, value, url: s.app.url }]);
  }
  const page = await context.newPage();
  await page.goto(screen === 'map' ? `${s.app.url}/` : s.wallUrl);
  if (screen === 'wall' && query) await page.goto(`${s.app.url}/wall${query}`);
  const hook = screen === 'map' ? '__lianfang' : '__lianfangWall';
  await page.waitForFunction((h) => Boolean((window as unknown as Record<string, { teams: { loaded: boolean } } | undefined>)[h]?.teams.loaded), hook, { timeout: 180_000 });
  // Let the first loads (geography, locations, the first tiles) settle before measuring.
  await page.waitForFunction(
    (h) =>
      new Promise<boolean>((resolve) => {
        const map = (window as unknown as Record<string, { map: { loaded(): boolean; once(e: string, f: () => void): void } }>)[h]!.map;
        if (map.loaded()) resolve(true);
        else map.once('idle', () => resolve(true));
        setTimeout(() => resolve(false), 5000);
      }),
    hook,
    { timeout: 180_000, polling: 1000 },
  );
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { page, cdp };
}

/** The page's main-thread CPU seconds and its tasks' wall seconds so far. */
async function threadSeconds(cdp: CDPSession): Promise<{ cpu: number; task: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { cpu: get('ThreadTime'), task: get('TaskDuration') };
}

/**
 * Frames, batches and main-thread time of one screen over `seconds` of live feed. The window runs
 * from one batch to the first batch `seconds` later, that one left out: each batch counted comes
 * with the frame drawn for it, and no frame is of a batch left out.
 */
async function measureWindow(label: string, page: Page, cdp: CDPSession, screen: 'map' | 'wall', seconds: number): Promise<Window> {
  const hook = screen === 'map' ? '__lianfang' : '__lianfangWall';
  await page.evaluate(({ h, ms }) => {
    const w = window as unknown as Record<string, unknown> & { __bench?: { times: number[]; batches: number } };
    type Source = { setData?: (d: unknown) => unknown; updateData?: (d: unknown) => unknown };
    const { map, teams } = w[h] as {
      map: { _render(t: number): unknown; isMoving(): boolean; on(e: string, f: () => void): void; getStyle(): { sources: Record<string, unknown> }; getSource(id: string): Source | undefined; setPaintProperty(...a: unknown[]): unknown };
      teams: { feed: { on(e: string, f: () => void): () => void } };
    };
    const bench = { counting: false, done: false, endAt: 0, times: [] as number[], animationFrames: 0, paintChanged: false, moved: false, batches: 0, sources: {} as Record<string, number> };
    for (const id of Object.keys(map.getStyle().sources)) {
      const source = map.getSource(id);
      for (const method of ['setData', 'updateData'] as const) {
        const original = source?.[method]?.bind(source);
        // (No named helper functions in here: the page has no `__name` for tsx's kept names.)
        if (source && original) source[method] = (d: unknown) => (bench.counting && (bench.sources[`${id}.${method}`] = (bench.sources[`${id}.${method}`] ?? 0) + 1), original(d));
      }
    }
    const paint = map.setPaintProperty.bind(map);
    map.setPaintProperty = (...a: unknown[]) => ((bench.paintChanged = true), bench.counting && (bench.sources[`paint:${String(a[0])}`] = (bench.sources[`paint:${String(a[0])}`] ?? 0) + 1), paint(...a));
    w.__bench = bench;
    // MapLibre draws a frame in _render: its own time, one entry per frame drawn.
    const render = map._render.bind(map);
    map._render = (t: number) => {
      const start = performance.now();
      const animating = map.isMoving() || bench.paintChanged || bench.moved;
      bench.paintChanged = bench.moved = false;
      const out = render(t);
      if (!bench.counting) return out;
      bench.times.push(performance.now() - start);
      if (animating) bench.animationFrames++;
      return out;
    };
    map.on('moveend', () => void (bench.moved = true));
    teams.feed.on('team:positions', () => {
      if (bench.done) return;
      if (!bench.counting) Object.assign(bench, { counting: true, endAt: performance.now() + ms });
      else if (performance.now() >= bench.endAt) return void Object.assign(bench, { counting: false, done: true });
      bench.batches++;
    });
  }, { h: hook, ms: seconds * 1000 });
  await page.waitForFunction(() => (window as unknown as { __bench: { counting: boolean } }).__bench.counting, undefined, { timeout: 60_000, polling: 50 });
  const before = await threadSeconds(cdp);
  await page.waitForFunction(() => (window as unknown as { __bench: { done: boolean } }).__bench.done, undefined, { timeout: seconds * 1000 + 60_000, polling: 50 });
  const after = await threadSeconds(cdp);
  const { times, animationFrames, batches, sources } = await page.evaluate(
    () => (window as unknown as { __bench: { times: number[]; animationFrames: number; batches: number; sources: Record<string, number> } }).__bench,
  );
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
  return {
    screen: label,
    frames: times.length,
    animationFrames,
    batches,
    framesPerBatch: batches ? (times.length - animationFrames) / batches : NaN,
    frameMedianMs: q(0.5),
    frameP95Ms: q(0.95),
    mainThreadMsPerBatch: batches ? ((after.cpu - before.cpu) * 1000) / batches : NaN,
    taskMsPerBatch: batches ? ((after.task - before.task) * 1000) / batches : NaN,
    sources: Object.entries(sources)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  };
}

/**
 * On a touring wall, waits for the whole-scope stop (no township caption) and the map idle: a
 * township's view holds its own detailed tiles, so heaps compare only at the same view.
 */
async function atWholeScope(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="wall-focus"]') === null, undefined, { timeout: 120_000, polling: 100 });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = (window as unknown as { __lianfangWall: { map: { loaded(): boolean; once(e: string, f: () => void): void } } }).__lianfangWall.map;
        if (map.loaded()) resolve();
        else map.once('idle', () => resolve());
        setTimeout(resolve, 3000);
      }),
  );
}

async function heapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

export async function run(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 20);
  const soakMinutes = option(args, 'soak-minutes', 30);
  const onlyTeams = args.includes('--teams') ? option(args, 'teams', 300) : null;
  const soak = !args.includes('--no-soak');
  const measure = !args.includes('--soak-only');
  if (!existsSync(`${WEB_BUILD}/index.html`)) throw new Error('The web app is not built: run `npm run build` first');
  console.log(`wall bench: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${seconds} s windows at ${VIEWPORT.width}×${VIEWPORT.height}`);
  const browser = await launchBrowser();
  const rows: Window[] = [];
  try {
    for (const copies of measure ? [1, 10].filter((c) => onlyTeams === null || onlyTeams === c * 300) : []) {
      const s = await startScenario(copies, DEMO_INTERVAL_MS);
      try {
        for (const screen of ['map', 'wall'] as const) {
          // The wall's tour held (`?cycle=0`): its glides are the camera's frames, not the feed's,
          // and the map it is measured against does not tour. The soak below runs with the tour on.
          const { page, cdp } = await open(browser, s, screen, screen === 'wall' ? '?cycle=0' : '');
          const row = await measureWindow(`${screen === 'map' ? 'command map' : 'wall'}, ${s.teams} teams`, page, cdp, screen, seconds);
          rows.push(row);
          console.log(JSON.stringify(row));
          await page.context().close();
        }
      } finally {
        await s.app.stop();
      }
    }
    console.table(rows.map(({ sources: _, ...r }) => ({ ...r, framesPerBatch: round(r.framesPerBatch, 2), frameMedianMs: round(r.frameMedianMs), frameP95Ms: round(r.frameP95Ms), mainThreadMsPerBatch: round(r.mainThreadMsPerBatch), taskMsPerBatch: round(r.taskMsPerBatch) })));
    for (const teams of [300, 3000]) {
      const map = rows.find((r) => r.screen === `command map, ${teams} teams`);
      const wall = rows.find((r) => r.screen === `wall, ${teams} teams`);
      if (map && wall) {
        console.log(
          `${teams} teams: wall/map frame median ${round(wall.frameMedianMs / map.frameMedianMs, 2)}, p95 ${round(wall.frameP95Ms / map.frameP95Ms, 2)}, main thread per batch ${round(wall.mainThreadMsPerBatch / map.mainThreadMsPerBatch, 2)}; frames per batch map ${round(map.framesPerBatch, 2)}, wall ${round(wall.framesPerBatch, 2)} (target ≤ 1)`,
        );
      }
    }

    // Unattended: the wall with the feed ten times the demo's rate, heap at 5 and 30 simulated minutes.
    if (!soak) return;
    const speed = 10;
    const s = await startScenario(1, DEMO_INTERVAL_MS / speed);
    try {
      // The tour on, at the feed's pace: WALL_CYCLE_S's 20 s tenfold faster.
      const cycle = args.includes('--soak-cycle') ? Number(args[args.indexOf('--soak-cycle') + 1]) : Math.max(1, Math.round(20 / speed));
      const { page, cdp } = await open(browser, s, 'wall', `?cycle=${cycle}`);
      const minute = 60_000 / speed;
      await new Promise((resolve) => setTimeout(resolve, 5 * minute));
      await atWholeScope(page);
      const at5 = await heapMb(cdp);
      // The heap every 5 simulated minutes on the way, to tell a plateau from a leak.
      const trail = [round(at5)];
      for (let m = 5; m < soakMinutes; m += 5) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(5, soakMinutes - m) * minute));
        await atWholeScope(page);
        if (m + 5 < soakMinutes) trail.push(round(await heapMb(cdp)));
      }
      const atEnd = await heapMb(cdp);
      console.log(`wall heap after GC every 5 simulated min: ${[...trail, round(atEnd)].join(' → ')} MB`);
      const growth = (atEnd / at5 - 1) * 100;
      console.log(`wall heap after GC: ${round(at5)} MB at 5 simulated min, ${round(atEnd)} MB at ${soakMinutes}: ${growth >= 0 ? '+' : ''}${round(growth)} % (target ≤ +10 %) ${growth <= 10 ? 'ok' : 'GROWS'}`);
      await page.context().close();
    } finally {
      await s.app.stop();
    }
  } finally {
    await browser.close();
  }
}
