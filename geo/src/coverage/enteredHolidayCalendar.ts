/**
 * The calendar the coverage engine uses: years an admin entered over the built-in calendar, so a
 * county can enter next year's arrangement the day the State Council publishes it.
 */
import { chineseHolidayCalendar, type CalendarDay, type HolidayCalendar } from './chineseHolidayCalendar.ts';
import type { HolidayYear } from './holidayYear.ts';

/** English names of the official holidays, by the Chinese names a notice uses (with and without 节). */
const ENGLISH: Record<string, string> = {
  元旦: "New Year's Day",
  春节: 'Spring Festival',
  清明: 'Tomb-sweeping Day',
  清明节: 'Tomb-sweeping Day',
  劳动节: 'Labour Day',
  端午: 'Dragon Boat Festival',
  端午节: 'Dragon Boat Festival',
  中秋: 'Mid-autumn Festival',
  中秋节: 'Mid-autumn Festival',
  国庆节: 'National Day',
};

/** The English name of an official holiday, or the name itself for one the table does not know. */
export const holidayNameEn = (name: string): string => ENGLISH[name] ?? name;

/**
 * A calendar where each entered year replaces the base calendar's data for that year whole
 * (a year entered is known even if the base has it too); other years are the base's.
 *
 * @example
 * const calendar = enteredHolidayCalendar([{ year: 2027, holidays: [{ date: '2027-02-06', name: '春节' }], makeUpWorkdays: [] }]);
 * calendar.hasYear(2027);       // true
 * calendar.day('2027-02-06');   // { type: 'holiday', name: '春节', nameEn: 'Spring Festival' }
 * calendar.day('2026-10-01');   // from the built-in calendar: { type: 'holiday', name: '国庆节', … }
 */
export function enteredHolidayCalendar(years: readonly HolidayYear[], base: HolidayCalendar = chineseHolidayCalendar): HolidayCalendar {
  if (years.length === 0) return base;
  const entered = new Set(years.map((y) => y.year));
  const days = new Map<string, CalendarDay>();
  for (const y of years) {
    for (const d of y.holidays) days.set(d.date, { type: 'holiday', name: d.name, nameEn: holidayNameEn(d.name) });
    for (const d of y.makeUpWorkdays) days.set(d.date, { type: 'makeup', name: d.name, nameEn: holidayNameEn(d.name) });
  }
  return {
    hasYear: (year) => entered.has(year) || base.hasYear(year),
    day: (date) => (entered.has(Number(date.slice(0, 4))) ? (days.get(date) ?? null) : base.day(date)),
  };
}
