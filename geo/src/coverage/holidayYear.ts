/**
 * A year's official holiday arrangement as an admin enters it (the State Council's notice, 国务院办公厅
 * 关于节假日安排的通知): the days off and the make-up working days, each with its holiday's name.
 * Checked here beyond its JSON shape, so the API and the import command refuse the same things.
 */
import { parseDate } from './localTime.ts';
import type { PlanIssue } from './validatePeriod.ts';

/** One official date: 'YYYY-MM-DD' and the holiday it belongs to ('春节'). */
export interface HolidayDate {
  date: string;
  name: string;
}

/** A year's arrangement 节假日安排: days off (weekends inside a holiday included) and make-up working days 调休上班. */
export interface HolidayYear {
  year: number;
  holidays: HolidayDate[];
  makeUpWorkdays: HolidayDate[];
}

/** Longest holiday name accepted (the API's schema says the same). */
export const HOLIDAY_NAME_MAX = 32;

/**
 * Problems with an entered year, in file order; an empty list when it is sound. Fields are
 * named as in the JSON (`holidays[3].date`), for the API to prefix with `body.`.
 *
 * @example
 * validateHolidayYear({ year: 2027, holidays: [{ date: '2026-12-31', name: '元旦' }], makeUpWorkdays: [] });
 * // [{ field: 'holidays[0].date', reason: 'must be a date in 2027' }]
 */
export function validateHolidayYear(entered: HolidayYear): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (!Number.isInteger(entered.year) || entered.year < 2000 || entered.year > 2100) issues.push({ field: 'year', reason: 'must be a year from 2000 to 2100' });
  const seen = new Map<string, string>();
  for (const list of ['holidays', 'makeUpWorkdays'] as const) {
    entered[list].forEach((day, i) => {
      const at = `${list}[${i}]`;
      try {
        parseDate(day.date);
        if (!day.date.startsWith(`${entered.year}-`)) issues.push({ field: `${at}.date`, reason: `must be a date in ${entered.year}` });
        else {
          const first = seen.get(day.date);
          if (first) issues.push({ field: `${at}.date`, reason: `${day.date} is listed twice (first as ${first})` });
          else seen.set(day.date, at);
        }
      } catch {
        issues.push({ field: `${at}.date`, reason: `"${day.date}" is not a calendar date YYYY-MM-DD` });
      }
      const name = day.name.trim();
      if (name.length < 1 || name.length > HOLIDAY_NAME_MAX) issues.push({ field: `${at}.name`, reason: `must be 1 to ${HOLIDAY_NAME_MAX} characters` });
    });
  }
  if (entered.holidays.length === 0 && issues.length === 0) issues.push({ field: 'holidays', reason: 'must list at least one day off' });
  return issues;
}

/** Sorted by date, names trimmed: how an entered year is stored and shown. */
export function normaliseHolidayYear(entered: HolidayYear): HolidayYear {
  const tidy = (days: HolidayDate[]) => days.map((d) => ({ date: d.date, name: d.name.trim() })).sort((a, b) => a.date.localeCompare(b.date));
  return { year: entered.year, holidays: tidy(entered.holidays), makeUpWorkdays: tidy(entered.makeUpWorkdays) };
}
