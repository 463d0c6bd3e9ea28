/**
 * The roster (/roster) as a security company's coordinator plans the Spring Festival on the demo
 * county, with the server's clock and the page's set to late January 2027: three shifts a day for
 * two of its teams over the festival week in one go, seen in the week grid; another company's
 * team is read only on the screen and refused by the server; a shift edited with a handover note,
 * an overlapping time refused naming the other shift. Screenshots go to /tmp/roster-shots.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Assignment, AssignmentsResponse, RosterResponse, RosterTeam } from '@lianfang/server/api';
import { as, signIn, type SignedIn } from '../helpers/auth.ts';
import { startMapApp, type MapApp } from './app.ts';
import { launchBrowser, openPage, PHONE } from './browser.ts';

const SHOTS = '/tmp/roster-shots';
const LAPTOP = { width: 1280, height: 800 };
const HOUR = 3_600_000;
/** 2027-01-28 10:00 Beijing time: a Thursday, a week before the Spring Festival holiday. */
const START = Date.UTC(2027, 0, 28, 2, 0);
/** The server's clock: START, running on. */
const began = Date.now();
const clock = { now: () => START + (Date.now() - began) };
/** An instant on the county clock. */
const bj = (y: number, mo: number, d: number, h = 0) => Date.UTC(y, mo - 1, d, h - 8);

let app: MapApp;
let browser: Browser;
let coordinator: SignedIn;
/** Two teams of the coordinator's company (十字巡01's) and a team of another company. */
let mine: RosterTeam[];
let other: RosterTeam;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** The roster at `path`, for the coordinator, with the page's clock at the server's time. */
async function openRoster(path = '/roster', viewport = LAPTOP, locale?: 'en') {
  // A page without the app first, so the clock is set before the roster reads it.
  const opened = await openPage(browser, app, '/favicon.svg', { session: coordinator, viewport, ...(locale ? { locale } : {}) });
  await opened.page.clock.setFixedTime(clock.now());
  await opened.page.goto(`${app.url}${path}`);
  await opened.page.locator('[data-testid=roster-week] tbody tr').first().waitFor({ timeout: 20_000 });
  return opened;
}

const row = (page: Page, team: RosterTeam) => page.locator(`[data-testid=roster-week] tr[data-team-id="${team.id}"]`);
const blockTimes = (page: Page, team: RosterTeam, day: string) =>
  row(page, team)
    .locator(`td[data-day="${day}"] [data-assignment-id] .when`)
    .evaluateAll((els) => els.map((el) => el.textContent?.replace(/\s*✎/, '').trim()));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [app, browser] = await Promise.all([startMapApp({ simulate: false, clock }), launchBrowser()]);
  const { teams } = await app.get<RosterResponse>('/api/roster/teams');
  const own = teams.find((x) => x.callSign === '十字巡01');
  if (!own) throw new Error('the demo county has no 十字巡01');
  mine = teams.filter((x) => x.organisationId === own.organisationId).slice(0, 2);
  if (mine.length < 2) throw new Error("十字巡01's company has fewer than two teams");
  other = teams.find((x) => x.agency === 'security' && x.organisationId !== own.organisationId)!;
  coordinator = await signIn(app.testApp, 'coordinator', { organisationId: own.organisationId });
  // Whatever the demo planned for these teams in the weeks ahead would only get in the way.
  const ahead = await app.get<AssignmentsResponse>(`/api/assignments?from=${clock.now()}&to=${bj(2027, 2, 20)}`);
  for (const a of ahead.assignments.filter((x) => mine.some((m) => m.id === x.teamId))) {
    await as(app.session)(`${app.url}/api/assignments/${a.id}`, { method: 'DELETE' });
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the roster', () => {
  it("a coordinator bulk-creates holiday shifts and cannot touch another company's team", { timeout: 120_000 }, async () => {
    const { context, page } = await openRoster();
    try {
      // The week of "today" (the injected clock), the company's own teams, all plannable.
      await expect.poll(() => page.locator('[data-testid=roster-week-label]').textContent()).toContain('2027-01-25');
      const rows = page.locator('[data-testid=roster-week] tbody tr');
      expect(await rows.evaluateAll((els) => els.every((el) => el.getAttribute('data-editable') === 'true'))).toBe(true);
      expect(await row(page, mine[0]!).count()).toBe(1);
      await shot(page, 'roster-week-1280');
      // The account menu leads here, beside the team screen.
      await page.locator('[data-testid=user-menu]').click();
      expect(await page.locator('[data-testid=user-menu-items] [data-action=roster]').getAttribute('href')).toBe('/roster');
      await page.keyboard.press('Escape');

      // The bulk dialog: two teams, the festival week, three shifts a day.
      await page.locator('[data-action=bulk]').click();
      const dialog = page.locator('[data-testid=bulk-dialog]');
      await dialog.waitFor();
      for (const team of mine) await dialog.locator(`input[data-call-sign="${team.callSign}"]`).check();
      await dialog.locator('input[name=fromDay]').fill('2027-02-06');
      await dialog.locator('input[name=toDay]').fill('2027-02-12');
      await dialog.locator('input[name=pattern][value=three]').check();
      await expect.poll(() => dialog.locator('[data-testid=bulk-preview]').textContent()).toContain('42');
      await shot(page, 'roster-bulk-1280');
      await dialog.locator('[data-action=bulk-create]').click();
      await expect.poll(() => page.locator('[data-testid=roster-notice]').textContent()).toContain('42');
      expect(await dialog.count()).toBe(0);

      // The grid moved to the festival's first week: Saturday 6 and Sunday 7 February.
      await expect.poll(() => page.locator('[data-testid=roster-week-label]').textContent()).toContain('2027-02-01');
      for (const team of mine) {
        await expect.poll(() => blockTimes(page, team, '2027-02-06')).toEqual(['00:00–08:00', '08:00–16:00', '16:00–24:00']);
        expect(await blockTimes(page, team, '2027-02-07')).toEqual(['00:00–08:00', '08:00–16:00', '16:00–24:00']);
      }
      await shot(page, 'roster-festival-1280');
      await page.locator('[data-action=next-week]').click();
      await expect.poll(() => page.locator('[data-testid=roster-week-label]').textContent()).toContain('2027-02-08');
      await expect.poll(() => blockTimes(page, mine[1]!, '2027-02-12')).toEqual(['00:00–08:00', '08:00–16:00', '16:00–24:00']);
      expect(await blockTimes(page, mine[1]!, '2027-02-13')).toEqual([]);

      // The same plan again: every shift conflicts, each named, and nothing is made.
      await page.locator('[data-action=bulk]').click();
      await dialog.waitFor();
      await dialog.locator(`input[data-call-sign="${mine[0]!.callSign}"]`).check();
      await dialog.locator('input[name=fromDay]').fill('2027-02-11');
      await dialog.locator('input[name=toDay]').fill('2027-02-11');
      await dialog.locator('[data-action=bulk-create]').click();
      await expect.poll(() => dialog.locator('[data-testid=bulk-refusal]').textContent()).toContain('3 个班次与已有班次冲突');
      expect(await dialog.locator('[data-testid=bulk-conflicts] li').first().textContent()).toContain(mine[0]!.callSign);
      await shot(page, 'roster-conflicts-1280');
      await page.keyboard.press('Escape');

      // Another company's team: greyed, read only, no button anywhere in its row.
      await page.locator('select[data-filter=organisation]').selectOption(other.organisationId);
      const theirs = row(page, other);
      await theirs.waitFor();
      expect(await theirs.getAttribute('data-editable')).toBe('false');
      expect(await theirs.locator('button').count()).toBe(0);
      await shot(page, 'roster-other-1280');

      // And the server refuses it, naming the team.
      const direct = await as(coordinator)(`${app.url}/api/assignments/bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'e2e-other-company', teamIds: [other.id], fromDay: '2027-02-06', toDay: '2027-02-06', shifts: [{ start: '08:00', end: '16:00' }] }),
      });
      expect(direct.status).toBe(403);
      expect(await direct.json()).toMatchObject({ code: 'team_not_yours', params: { team: other.callSign } });
      const theirShifts = await app.get<AssignmentsResponse>(`/api/assignments?from=${bj(2027, 2, 6)}&to=${bj(2027, 2, 7)}&teamId=${other.id}`);
      expect(theirShifts.assignments.filter((a) => a.by.startsWith('coordinator'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a coordinator edits a festival shift by keyboard with a handover note (an overlap refused naming the other shift) and sees a dispatcher's new shift appear", { timeout: 120_000 }, async () => {
    const { context, page } = await openRoster('/roster?week=2027-02-06');
    try {
      const team = mine[0]!;
      const block = row(page, team).locator('td[data-day="2027-02-06"] button[data-assignment-id]').nth(1);
      await block.waitFor();
      const id = (await block.getAttribute('data-assignment-id'))!;
      await block.focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator('[data-testid=shift-dialog]');
      await dialog.waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('from');

      // 08:00–17:00 runs into the 16:00 shift: refused, naming it in county time.
      await dialog.locator('input[name=to]').fill('2027-02-06T17:00');
      await dialog.locator('[data-action=save-shift]').click();
      await expect.poll(() => dialog.locator('[data-testid=shift-refusal]').textContent()).toContain('02-06 16:00 – 02-07 00:00');
      await shot(page, 'roster-overlap-1280');

      await dialog.locator('input[name=to]').fill('2027-02-06T15:00');
      await dialog.locator('textarea[name=note]').fill('交接：车站广场东侧施工，夜班注意绕行');
      await dialog.locator('textarea[name=note]').press('Tab');
      await dialog.locator('[data-action=save-shift]').click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => blockTimes(page, team, '2027-02-06')).toEqual(['00:00–08:00', '08:00–15:00', '16:00–24:00']);
      expect(await row(page, team).locator(`[data-assignment-id="${id}"] .has-note`).count()).toBe(1);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-assignment-id'))).toBe(id);
      const { assignments } = await app.get<AssignmentsResponse>(`/api/assignments?from=${bj(2027, 2, 6)}&to=${bj(2027, 2, 7)}&teamId=${team.id}`);
      expect(assignments.find((a: Assignment) => a.id === id)).toMatchObject({ from: bj(2027, 2, 6, 8), to: bj(2027, 2, 6, 15), note: '交接：车站广场东侧施工，夜班注意绕行', editedBy: coordinator.username });

      // Cancel the last shift of the day after a confirmation.
      await row(page, team).locator('td[data-day="2027-02-06"] button[data-assignment-id]').nth(2).click();
      await dialog.locator('[data-action=cancel-shift]').click();
      await dialog.locator('[data-action=confirm-cancel]').click();
      await expect.poll(() => blockTimes(page, team, '2027-02-06')).toEqual(['00:00–08:00', '08:00–15:00']);

      // An empty part of a day makes a new shift there, proposed as the team's free slot.
      await row(page, team).locator('td[data-day="2027-02-06"] [data-action=new-shift]').click();
      await dialog.waitFor();
      expect(await dialog.locator('input[name=from]').inputValue()).toBe('2027-02-06T15:00');
      await dialog.locator('[data-action=save-shift]').click();
      await expect.poll(() => blockTimes(page, team, '2027-02-06')).toEqual(['00:00–08:00', '08:00–15:00', '15:00–23:00']);

      // A dispatcher plans one of the company's teams meanwhile: the open roster shows it.
      const made = await as(app.session)(`${app.url}/api/assignments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'e2e-dispatcher-0205', teamId: mine[1]!.id, gridIds: mine[1]!.gridIds, locationIds: [], from: bj(2027, 2, 5, 9), to: bj(2027, 2, 5, 17) }),
      });
      expect(made.status).toBe(201);
      await expect.poll(() => blockTimes(page, mine[1]!, '2027-02-05')).toEqual(['09:00–17:00']);
    } finally {
      await context.close();
    }

    // The phone-sized screen, in English.
    const phone = await openRoster('/roster?week=2027-02-06', PHONE, 'en');
    try {
      await expect.poll(() => phone.page.locator('[data-action=this-week]').textContent()).toBe('This week');
      await expect.poll(() => blockTimes(phone.page, mine[0]!, '2027-02-06')).toHaveLength(3);
      await shot(phone.page, 'roster-phone-390');
      await phone.page.locator('[data-action=bulk]').click();
      await phone.page.locator('[data-testid=bulk-dialog]').waitFor();
      await shot(phone.page, 'roster-bulk-phone-390');
    } finally {
      await phone.context.close();
    }
    const english = await openRoster('/roster?week=2027-02-06', LAPTOP, 'en');
    try {
      await row(english.page, mine[0]!).locator('td[data-day="2027-02-06"] button[data-assignment-id]').nth(1).click();
      await expect.poll(() => english.page.locator('[data-testid=shift-dialog] h2').textContent()).toContain('Edit shift');
      await shot(english.page, 'roster-edit-en-1280');
    } finally {
      await english.context.close();
    }
  });
});
