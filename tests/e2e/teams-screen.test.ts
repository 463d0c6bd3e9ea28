/**
 * The team screen (/teams) as a security company's coordinator uses it on the demo county: reached
 * from the map header's account menu, it lists the company's own teams first; a search finds
 * 十字巡01 by call sign or member name; a new team is refused a taken call sign (worded in
 * Chinese beside the field), then created and listed, renamed and given members from a GBK
 * spreadsheet (a bad row named); another company's team opens read-only.
 * The map's own search box finds a team by call sign and flies to it. At 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { GridsResponse, RosterResponse, RosterTeam } from '@lianfang/server/api';
import { signIn, type SignedIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openMap, PHONE, type HookWindow, openPage } from './browser.ts';
import { encodeGb18030 } from '../helpers/gb18030.ts';

const LAPTOP = { width: 1280, height: 800 };
/** Screenshots to look at by hand, when set (a directory). */
const SHOTS = process.env.TEAMS_SCREENSHOTS;

let app: MapApp;
let browser: Browser;
let coordinator: SignedIn;
/** The demo's 十字巡01 (a security company's team) and a team of another security company. */
let own: RosterTeam;
let other: RosterTeam;
let ownTeams: RosterTeam[];
let grids: GridsResponse;

beforeAll(async () => {
  [app, browser] = await Promise.all([startMapApp({ simulate: false }), launchBrowser()]);
  const { teams } = await app.get<RosterResponse>('/api/roster/teams');
  own = teams.find((x) => x.callSign === '十字巡01')!;
  if (!own) throw new Error('the demo county has no 十字巡01');
  other = teams.find((x) => x.agency === 'security' && x.organisationId !== own.organisationId)!;
  ownTeams = teams.filter((x) => x.organisationId === own.organisationId);
  grids = await app.get<GridsResponse>('/api/geo/grids');
  coordinator = await signIn(app.testApp, 'coordinator', { organisationId: own.organisationId });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** A context signed in as `session`, at `path` (not the map: no map to wait for). */
const openAs = (session: SignedIn, path: string, viewport = LAPTOP) => openPage(browser, app, path, { session, viewport });

const rows = (page: Page) => page.locator('[data-testid=team-list] [data-team-id]');
const callSigns = (page: Page) => rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-call-sign')));

describe('the team screen', () => {
  it("a coordinator finds their own teams, searches 十字巡01, creates a team and sees it listed; another company's team is not editable", { timeout: 120_000 }, async () => {
    const { context, page } = await openMap(browser, app, { session: coordinator, viewport: LAPTOP });
    try {
      // From the map header's account menu, by keyboard: Enter opens it on its first item, the team screen.
      await page.locator('[data-testid=user-menu]').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('teams');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${app.url}/teams`);
      await rows(page).first().waitFor({ timeout: 20_000 });

      // "My teams": the company's own, all editable.
      expect((await callSigns(page)).sort()).toEqual(ownTeams.map((x) => x.callSign).sort());
      expect(await rows(page).evaluateAll((els) => els.every((el) => el.getAttribute('data-editable') === 'true'))).toBe(true);
      await shot(page, 'teams-mine-1280');

      // By call sign, typed in Chinese, and by a member's name.
      await page.locator('[data-testid=teams-search]').fill('十字巡01');
      await expect.poll(() => callSigns(page)).toEqual(['十字巡01']);
      await page.locator('[data-testid=teams-search]').fill(own.members![0]!.name);
      await expect.poll(async () => (await callSigns(page)).includes('十字巡01')).toBe(true);
      await page.locator('[data-testid=teams-search]').fill('');

      // A new team: the call sign of another team is refused beside the field, in Chinese.
      await page.locator('[data-action=new-team]').click();
      const form = page.locator('[data-testid=team-form]');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('callSign');
      await page.keyboard.insertText('十字巡02');
      await form.locator('[data-action=save-team]').click();
      await expect.poll(() => form.locator('[data-field=callSign]').textContent()).toContain('已被其他巡逻队使用');
      await shot(page, 'teams-refused-1280');

      await form.locator('input[name=callSign]').fill('十字巡31');
      const grid = grids.features.find((f) => f.properties.id === own.gridIds[0])!.properties;
      await form.locator('input[name=grid]').fill(`${grid.name} · ${grid.townshipName}`);
      await form.locator('input[name=grid]').press('Enter');
      await expect.poll(() => form.locator('[data-testid=team-grids] li').count()).toBe(1);
      await form.locator('[data-action=add-member]').click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('member-name');
      await page.keyboard.insertText('王晓明');
      await page.keyboard.press('Tab');
      await page.keyboard.insertText('13800000031');
      await form.locator('[data-action=save-team]').click();
      await expect.poll(() => page.locator('[data-testid=teams-notice]').textContent()).toContain('十字巡31');
      const created = page.locator('[data-call-sign="十字巡31"]');
      await expect.poll(() => created.textContent()).toMatch(/网格 1.*队员 1/);
      expect(await created.getAttribute('data-editable')).toBe('true');
      await shot(page, 'teams-created-1280');
      const { teams } = await app.get<RosterResponse>('/api/roster/teams');
      expect(teams.find((x) => x.callSign === '十字巡31')).toMatchObject({ organisationId: own.organisationId, gridIds: [grid.id], members: [{ name: '王晓明', phone: '13800000031' }] });

      // Its call sign changed from the list, and members added from a spreadsheet: a bad row is
      // named and nothing taken; Excel's GBK file is read.
      await created.locator('button').click();
      await form.locator('input[name=callSign]').fill('十字巡32');
      const csv = form.locator('input[name=members-csv]');
      await csv.setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,电话,身份\n张伟,13911110001,保安员\n李强,call me,保安员\n', 'utf8') });
      await expect.poll(() => form.locator('[data-testid=members-csv-issues]').textContent()).toContain('第 3 行：电话格式不对');
      expect(await form.locator('[data-testid=team-members] li').count()).toBe(1);
      await csv.setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb5, 0xe7, 0xbb, 0xb0, 0x0d, 0x0a, 0xd5, 0xc5, 0xce, 0xb0, 0x2c, ...Buffer.from('13911110001\r\n')]) });
      await form.locator('[data-testid=members-csv-ok]').waitFor();
      expect(await form.locator('input[name=member-name]').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value))).toEqual(['王晓明', '张伟']);
      await shot(page, 'teams-csv-1280');
      await form.locator('[data-action=save-team]').click();
      await expect.poll(() => page.locator('[data-call-sign="十字巡32"]').textContent()).toMatch(/队员 2/);

      // Every team, and another company's one opens read-only.
      await page.locator('[data-scope=all]').check();
      await page.locator('[data-testid=teams-search]').fill(other.callSign);
      const theirs = page.locator(`[data-team-id="${other.id}"]`);
      await theirs.waitFor();
      expect(await theirs.getAttribute('data-editable')).toBe('false');
      expect(await theirs.locator('[data-testid=edit-team]').count()).toBe(0);
      await theirs.locator('button').click();
      await page.locator('[data-testid=team-read-only]').waitFor();
      expect(await form.locator('[data-action=save-team]').count()).toBe(0);
      expect(await form.locator('input[name=callSign]').isDisabled()).toBe(true);
      await shot(page, 'teams-other-1280');
    } finally {
      await context.close();
    }
  });

  it('a GB18030 member CSV with Chinese headers imports and a bad row is named', { timeout: 90_000 }, async () => {
    const team = ownTeams.find((x) => x.id !== own.id)!;
    const { context, page } = await openAs(coordinator, '/teams');
    try {
      await page.locator(`[data-team-id="${team.id}"] button`).first().click();
      const form = page.locator('[data-testid=team-form]');
      await form.waitFor();
      const before = await form.locator('[data-testid=team-members] li').count();
      const csv = form.locator('input[name=members-csv]');
      // As Excel on Chinese Windows saves it: GB18030, Chinese headers, CRLF; the third row has no phone number.
      const bad = encodeGb18030('姓名,电话,身份\r\n刘洋,13800000041,保安员\r\n陈静,暂无,保安员\r\n');
      expect(bad.includes(Buffer.from('刘洋', 'utf8'))).toBe(false);
      await csv.setInputFiles({ name: '队员.csv', mimeType: 'text/csv', buffer: bad });
      await expect.poll(() => form.locator('[data-testid=members-csv-issues]').textContent()).toContain('第 3 行');
      expect(await form.locator('[data-testid=team-members] li').count()).toBe(before);

      await csv.setInputFiles({ name: '队员.csv', mimeType: 'text/csv', buffer: encodeGb18030('姓名,电话,身份\r\n刘洋,13800000041,保安员\r\n陈静,13800000042,保安员\r\n') });
      await form.locator('[data-testid=members-csv-ok]').waitFor();
      const names = await form.locator('input[name=member-name]').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
      expect(names).toEqual(expect.arrayContaining(['刘洋', '陈静']));
      await form.locator('[data-action=save-team]').click();
      await expect.poll(() => page.locator('[data-testid=teams-notice]').textContent()).toContain('已保存');
      const { teams } = await app.get<RosterResponse>('/api/roster/teams');
      expect(teams.find((x) => x.id === team.id)!.members).toEqual(expect.arrayContaining([expect.objectContaining({ name: '刘洋', phone: '13800000041' }), expect.objectContaining({ name: '陈静', phone: '13800000042' })]));
    } finally {
      await context.close();
    }
  });

  it('fits a phone: the list without sideways scrolling, the form over it', { timeout: 60_000 }, async () => {
    const { context, page } = await openAs(coordinator, '/teams', PHONE);
    try {
      await rows(page).first().waitFor({ timeout: 20_000 });
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, 'teams-phone-list');
      await rows(page).first().locator('button').click();
      const form = page.locator('[data-testid=team-form]');
      await form.waitFor();
      const box = await form.boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot(page, 'teams-phone-form');
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });
});

describe("the map's search box", () => {
  it('finds a team by call sign and flies to its grids', { timeout: 90_000 }, async () => {
    const { context, page } = await openMap(browser, app, { viewport: LAPTOP });
    try {
      const input = page.locator('.search input[type=search]');
      await input.click();
      await page.keyboard.insertText('十字巡01');
      const option = page.locator('#search-results [role=option]').first();
      await expect.poll(() => option.textContent()).toContain('十字巡01');
      expect(await option.textContent()).toContain('巡逻队');
      await shot(page, 'map-search-team');
      await input.press('Enter');
      // The demo's teams have not reported (no simulator): the map frames the team's grids.
      const mine = grids.features.filter((f) => own.gridIds.includes(f.properties.id));
      const coords = mine.flatMap((f) => JSON.stringify(f.geometry.coordinates).match(/-?\d+\.\d+,-?\d+\.\d+/g)!.map((p) => p.split(',').map(Number) as [number, number]));
      const [west, east] = [Math.min(...coords.map((c) => c[0])), Math.max(...coords.map((c) => c[0]))];
      const [south, north] = [Math.min(...coords.map((c) => c[1])), Math.max(...coords.map((c) => c[1]))];
      const margin = 0.02; // the basemap's offset from WGS-84 is well under this
      await expect
        .poll(
          () =>
            page.evaluate(() => {
              const map = (window as HookWindow).__lianfang!.map;
              return map.isMoving() ? null : map.getCenter().toArray();
            }),
          { timeout: 15_000 },
        )
        .toSatisfy((c) => Array.isArray(c) && c[0] > west - margin && c[0] < east + margin && c[1] > south - margin && c[1] < north + margin);
    } finally {
      await context.close();
    }
  });
});
