/**
 * The holiday calendar's service (no HTTP): a year as the API shows it, entering and forgetting
 * a year (validated whole, stored with a plan version bump so every process recomputes), and
 * the warning the command map shows from 1 October while next year has no holidays. Used by
 * calendarRoutes.ts and by `npm run import -- holidays FILE`.
 */
import {
  addDays,
  chineseHolidayCalendar,
  enteredHolidayCalendar,
  localParts,
  normaliseHolidayYear,
  validateHolidayYear,
  type HolidayCalendar,
  type HolidayYear,
  type PlanIssue,
} from '@lianfang/geo';
import type { CalendarResponse, CalendarStatusResponse } from './calendarSchemas.ts';
import type { CoverageStore } from './store.ts';

/** The month (1-12, local) from which a missing next year is warned about: the notice usually comes out in the autumn. */
export const WARN_FROM_MONTH = 10;

/** A year as GET /api/coverage/calendar answers it: the entered data when there is some, else the built-in. */
export function calendarView(year: number, entered: readonly HolidayYear[]): CalendarResponse {
  const own = entered.find((y) => y.year === year);
  const calendar = enteredHolidayCalendar(own ? [own] : []);
  const source = own ? 'entered' : chineseHolidayCalendar.hasYear(year) ? 'builtin' : null;
  const holidays: CalendarResponse['holidays'] = [];
  const makeUpWorkdays: CalendarResponse['makeUpWorkdays'] = [];
  if (source) {
    for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
      const day = calendar.day(d);
      if (day) (day.type === 'holiday' ? holidays : makeUpWorkdays).push({ date: d, name: day.name, nameEn: day.nameEn });
    }
  }
  return {
    year,
    known: source !== null,
    source,
    message: source
      ? null
      : `no official holidays for ${year}: neither entered by an admin nor in the built-in calendar (chinese-days), so holiday periods are not active that year; enter the year's arrangement on the holiday calendar screen or with npm run import -- holidays FILE`,
    holidays,
    makeUpWorkdays,
  };
}

export type EnterOutcome = { ok: true; calendar: HolidayYear; replaced: boolean } | { ok: false; issues: PlanIssue[] };

/** Validates and stores a year (replacing an entered one); nothing is written when it has issues. */
export async function enterHolidayYear(store: CoverageStore, input: { year: number; holidays: HolidayYear['holidays']; makeUpWorkdays?: HolidayYear['makeUpWorkdays'] }): Promise<EnterOutcome> {
  const calendar = { year: input.year, holidays: input.holidays, makeUpWorkdays: input.makeUpWorkdays ?? [] };
  const issues = validateHolidayYear(calendar);
  if (issues.length > 0) return { ok: false, issues };
  const tidy = normaliseHolidayYear(calendar);
  const replaced = await store.writeCalendar(tidy.year, tidy);
  return { ok: true, calendar: tidy, replaced };
}

/**
 * From 1 October (local time), next year when no calendar has its holidays: the command map
 * warns admins and dispatchers until someone enters it.
 */
export function calendarWarning(now: number, timeZone: string, calendar: HolidayCalendar): CalendarStatusResponse['warning'] {
  const { year, month } = localParts(now, timeZone);
  const next = year + 1;
  if (month < WARN_FROM_MONTH || calendar.hasYear(next)) return null;
  return {
    code: 'calendar_next_year_missing',
    year: next,
    message: `${next}'s official holidays are not entered yet: from 1 January holiday periods will not be active; an admin enters the State Council's arrangement on the holiday calendar screen`,
  };
}
