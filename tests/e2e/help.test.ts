/**
 * The residents' help form (求助栏) on a phone (390×844), without signing in: the grid's board
 * QR code opens the form, a request sent gets a reference number, the status page follows it as
 * a dispatcher sends a team; a refused field says so beside the field; pressing send again after
 * a lost answer makes one request; too many requests offer the grid leader's number; the board's
 * poster carries a QR code of the form's address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { GridDetail, GridsResponse, IncidentView, IncidentsResponse, TeamsResponse } from '@lianfang/server/api';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openPhone as openPhoneAt } from './browser.ts';

const MIN = 60_000;
/** The server's clock: real time plus what the test has moved it on by (the form's rate limits run on it). */
let offset = 0;
const clock = { now: () => Date.now() + offset };
/** Past the per-address limit's 10-minute window, so each test starts with a fresh allowance. */
const nextWindow = () => void (offset += 11 * MIN);

/** Screenshots to look at by hand. */
const SHOTS = process.env.HELP_SCREENSHOTS ?? '/tmp';

let app: MapApp;
let browser: Browser;
/** A grid with a leader to phone, and a point inside it. */
let grid: GridDetail & { leader: NonNullable<GridDetail['leader']> };
let inside: { longitude: number; latitude: number };

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false, clock }), launchBrowser()]);
  const grids = await app.get<GridsResponse>('/api/geo/grids');
  for (const feature of grids.features.slice(0, 40)) {
    const detail = await app.get<GridDetail>(`/api/geo/grids/${encodeURIComponent(feature.properties.id)}`);
    if (!detail.leader) continue;
    grid = detail as typeof grid;
    const ring = (feature.geometry.type === 'Polygon' ? feature.geometry.coordinates[0] : feature.geometry.coordinates[0]![0])!;
    inside = {
      longitude: ring.reduce((s, p) => s + p[0]!, 0) / ring.length,
      latitude: ring.reduce((s, p) => s + p[1]!, 0) / ring.length,
    };
    break;
  }
  if (!grid) throw new Error('no grid of the demo county has a leader');
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A phone with no session cookie: a resident. */
function openPhone(): Promise<BrowserContext> {
  return openPhoneAt(browser, inside, 25);
}

/** Every /api request the page makes, to check it called only the public routes. */
function recordApi(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/') || pathname.startsWith('/socket.io/')) urls.push(`${request.method()} ${pathname}`);
  });
  return urls;
}

async function openForm(page: Page): Promise<void> {
  await page.goto(`${app.url}/help/${encodeURIComponent(grid.id)}`);
  await page.getByTestId('help-grid-name').waitFor({ timeout: 30_000 });
}

async function fill(page: Page, fields: { description: string; phone: string; name?: string }): Promise<void> {
  await page.getByTestId('help-description').fill(fields.description);
  await page.getByTestId('help-phone').fill(fields.phone);
  if (fields.name !== undefined) await page.getByTestId('help-name').fill(fields.name);
}

async function send(method: 'POST', path: string, body: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method,
    headers: { cookie: app.session.cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function incidentsMatching(q: string): Promise<IncidentView[]> {
  return (await app.get<IncidentsResponse>(`/api/incidents?q=${encodeURIComponent(q)}`)).incidents;
}

const isHelpPost = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/public/help';

describe('the residents’ help form', () => {
  it('a resident sends a request from the grid’s form, keeps the reference number, and sees it move to dispatched on the status page', { timeout: 180_000 }, async () => {
    nextWindow();
    const context = await openPhone();
    try {
      const page = await context.newPage();
      const api = recordApi(page);
      await openForm(page);

      // Who looks after the grid, with the leader's number a tap away.
      expect(await page.getByTestId('help-grid-name').textContent()).toBe(grid.name);
      expect(await page.getByTestId('help-township').textContent()).toBe(grid.townshipName);
      expect(await page.getByTestId('help-leader-call').getAttribute('href')).toBe(`tel:${grid.leader.phone}`);
      expect(await page.getByTestId('help-category-help').getAttribute('class')).toContain('chip--on');
      await page.screenshot({ path: `${SHOTS}/help-01-form.png`, fullPage: true });

      const description = `楼道堆放杂物堵住安全出口 ${Date.now()}`;
      await page.getByTestId('help-category-safety_hazard').click();
      await fill(page, { description, phone: '138 0013 8000', name: '李阿姨' });
      await page.getByTestId('help-location').click();
      await page.locator('[data-testid=help-location][data-state=got]').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: `${SHOTS}/help-02-filled.png`, fullPage: true });
      await page.getByTestId('help-submit').click();

      const shown = page.getByTestId('help-reference');
      await shown.waitFor({ timeout: 20_000 });
      const reference = (await shown.getAttribute('data-reference'))!;
      expect(reference).toMatch(/^[0-9A-Z]{10}$/);
      expect((await shown.textContent())!.replace(/\s/g, '')).toBe(reference);
      await page.screenshot({ path: `${SHOTS}/help-03-reference.png`, fullPage: true });

      // The command centre has it: from the public form, in this grid, with the resident's number.
      const [incident] = await incidentsMatching(reference);
      expect(incident).toMatchObject({
        reference,
        source: 'public',
        category: 'safety_hazard',
        state: 'new',
        gridId: grid.id,
        description,
        reporter: { name: '李阿姨', phone: '13800138000' },
      });
      expect(incident!.lon).toBeCloseTo(inside.longitude, 5);

      // The status page shows it received.
      await page.getByTestId('help-status-link').click();
      await page.waitForURL(`**/help/status/${reference}`);
      await page.locator('[data-testid=status-card][data-state=new]').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('status-state').textContent()).toBe('已收到，等待派员');
      await page.screenshot({ path: `${SHOTS}/help-04-status-new.png`, fullPage: true });

      // A dispatcher sends a team; the resident reloads and sees it on its way.
      const { teams } = await app.get<TeamsResponse>('/api/teams');
      const dispatched = await send('POST', `/api/incidents/${incident!.id}/dispatch`, { teamId: teams[0]!.id, version: incident!.version });
      expect(dispatched.status).toBe(200);
      await page.reload();
      await page.locator('[data-testid=status-card][data-state=dispatched]').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('status-state').textContent()).toBe('已派出巡逻队');
      const reached = await page.locator('.timeline li.done').evaluateAll((items) => items.map((li) => li.getAttribute('data-state')));
      expect(reached).toEqual(['new', 'dispatched']);
      const ahead = await page.locator('.timeline li.ahead').evaluateAll((items) => items.map((li) => li.getAttribute('data-state')));
      expect(ahead).toEqual(['accepted', 'on_scene', 'resolved']);
      await page.screenshot({ path: `${SHOTS}/help-05-status-dispatched.png`, fullPage: true });

      // Nothing on these pages asked for a session.
      expect(api.filter((call) => !call.includes(' /api/public/'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a phone number or description the server refuses is shown beside that field, and nothing is stored', { timeout: 90_000 }, async () => {
    nextWindow();
    const context = await openPhone();
    try {
      const page = await context.newPage();
      await openForm(page);
      const description = `噪音扰民 ${Date.now()}`;

      // Nothing typed: both required fields say so, before anything is sent.
      await page.getByTestId('help-submit').click();
      await page.getByTestId('help-error-description').waitFor();
      expect(await page.getByTestId('help-error-phone').textContent()).toBe('请填写此项');

      await fill(page, { description, phone: '12345' });
      await page.getByTestId('help-submit').click();
      const phoneError = page.getByTestId('help-error-phone');
      await expect.poll(() => phoneError.textContent(), { timeout: 20_000 }).toBe('请填写正确的电话号码（手机或座机）');
      expect(await page.getByTestId('help-phone').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByTestId('help-error-description').count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/help-06-phone-error.png`, fullPage: true });

      // The app's language switch is on the form too.
      await page.click('[data-locale=en]');
      expect(await phoneError.textContent()).toBe('Please enter a valid phone number (mobile or landline)');
      expect(await page.getByTestId('help-submit').textContent()).toContain('Send');
      await page.screenshot({ path: `${SHOTS}/help-06-phone-error-en.png`, fullPage: true });
      await page.click('[data-locale=zh-CN]');

      // Typing again clears it; a description too short for the server is the next one it names.
      await page.getByTestId('help-phone').fill('0527-88881234');
      expect(await phoneError.count()).toBe(0);
      await page.getByTestId('help-description').fill('救命');
      await page.getByTestId('help-submit').click();
      await expect.poll(() => page.getByTestId('help-error-description').textContent(), { timeout: 20_000 }).toBe('请用 4 到 500 个字说明情况');
      expect(await page.getByTestId('help-done').count()).toBe(0);
      expect(await incidentsMatching(description)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('pressing send again after the answer was lost makes one request', { timeout: 90_000 }, async () => {
    nextWindow();
    const context = await openPhone();
    try {
      const page = await context.newPage();
      await openForm(page);
      const description = `邻里纠纷需要调解 ${Date.now()}`;
      await page.getByTestId('help-category-dispute').click();
      await fill(page, { description, phone: '13912345678' });

      // The first press reaches the server, but its answer never reaches the phone.
      const bodies: string[] = [];
      page.on('request', (request) => {
        if (isHelpPost(request)) bodies.push(request.postData() ?? '');
      });
      let lost = 0;
      await page.route('**/api/public/help', async (route) => {
        await route.fetch();
        lost++;
        await route.abort('connectionreset');
      });
      await page.getByTestId('help-submit').click();
      await page.locator('[data-testid=help-problem][data-kind=network]').waitFor({ timeout: 20_000 });
      expect(lost).toBe(1);
      await page.screenshot({ path: `${SHOTS}/help-07-lost-answer.png`, fullPage: true });
      expect((await incidentsMatching(description)).length).toBe(1);

      // Pressed again once the signal is back: the same request id, one request on the server.
      await page.unroute('**/api/public/help');
      await page.getByTestId('help-submit').click();
      const reference = await page.getByTestId('help-reference').getAttribute('data-reference', { timeout: 20_000 });
      expect(bodies).toHaveLength(2);
      const ids = bodies.map((b) => (JSON.parse(b) as { id: string }).id);
      expect(ids[1]).toBe(ids[0]);
      const stored = await incidentsMatching(description);
      expect(stored.map((i) => i.reference)).toEqual([reference]);

      // The next request is a new one, with a new id.
      await page.getByRole('button', { name: '再提交一条' }).click();
      await fill(page, { description: `${description} 又一件`, phone: '13912345678' });
      await page.getByTestId('help-submit').click();
      await page.getByTestId('help-reference').waitFor({ timeout: 20_000 });
      expect(bodies).toHaveLength(3);
      expect((JSON.parse(bodies[2]!) as { id: string }).id).not.toBe(ids[0]);
      expect((await incidentsMatching(description)).length).toBe(2);
    } finally {
      await context.close();
    }
  });

  it('too many requests from one phone say to try later and offer the grid leader’s number', { timeout: 90_000 }, async () => {
    nextWindow();
    // Five requests from this address (the limit counts them before reading the body).
    for (let i = 0; i < 5; i++) await fetch(`${app.url}/api/public/help`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const context = await openPhone();
    try {
      const page = await context.newPage();
      await openForm(page);
      await fill(page, { description: `路灯坏了很久没人修 ${Date.now()}`, phone: '13912345678' });
      await page.getByTestId('help-submit').click();
      const problem = page.locator('[data-testid=help-problem][data-kind=too-many]');
      await problem.waitFor({ timeout: 20_000 });
      expect(await problem.textContent()).toContain('提交过于频繁');
      expect(await problem.locator(`a[href="tel:${grid.leader.phone}"]`).count()).toBe(1);
      await page.screenshot({ path: `${SHOTS}/help-08-too-many.png`, fullPage: true });
    } finally {
      await context.close();
      nextWindow();
    }
  });

  it('a reference typed in lower case with spaces is found; an unknown one says so', { timeout: 90_000 }, async () => {
    nextWindow();
    const res = await fetch(`${app.url}/api/public/help`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: `lookup-${Date.now()}`, gridId: grid.id, description: '门口有可疑车辆停了两天', phone: '13700000000' }),
    });
    expect(res.status).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    const context = await openPhone();
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/help/status`);
      const typed = reference.toLowerCase().replace(/(.{4})/g, '$1 ');
      await page.getByTestId('help-reference-input').fill(typed);
      await page.getByTestId('help-lookup').click();
      await page.waitForURL(`**/help/status/${reference}`);
      await page.locator('[data-testid=status-card][data-state=new]').waitFor({ timeout: 20_000 });

      await page.goto(`${app.url}/help/status/ZZZZZZZZZZ`);
      await page.getByTestId('status-not-found').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: `${SHOTS}/help-09-not-found.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('the board’s poster shows the grid, its leader and a QR code of the form’s address', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 1300 }, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/help/${encodeURIComponent(grid.id)}/poster`);
      await page.getByTestId('poster').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('poster-grid').textContent()).toBe(`${grid.townshipName} · ${grid.name}`);
      const leader = (await page.getByTestId('poster-leader').textContent())!;
      expect(leader).toContain(grid.leader.name);
      expect(leader).toContain(grid.leader.phone);
      const formUrl = `${app.url}/help/${encodeURIComponent(grid.id)}`;
      expect(await page.getByTestId('qr').getAttribute('data-text')).toBe(formUrl);
      expect(await page.getByTestId('poster-url').textContent()).toBe(formUrl);
      // Drawn: a version-2-or-larger code has well over a hundred dark modules.
      const modules = await page.locator('[data-testid=qr] path').evaluate((path) => (path.getAttribute('d') ?? '').split('M').length - 1);
      expect(modules).toBeGreaterThan(150);
      await page.screenshot({ path: `${SHOTS}/help-10-poster.png`, fullPage: true });

      // Printed, it is one A4 sheet (the page's own toolbar left out).
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, path: `${SHOTS}/help-10-poster.pdf` });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.tools').isVisible()).toBe(false);
      await page.screenshot({ path: `${SHOTS}/help-11-poster-print.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
