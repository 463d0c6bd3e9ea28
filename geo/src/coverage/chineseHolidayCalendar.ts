/**
 * The built-in calendar of official Chinese public holidays and make-up working days (调休上班),
 * from the maintained `chinese-days` package, so nobody types them in each year.
 */
import chineseDays from 'chinese-days';

/** What a calendar says about one local date. */
export interface CalendarDay {
  /** `holiday`: an official day off (weekend days inside a holiday included); `makeup`: an official make-up working day. */
  type: 'holiday' | 'makeup';
  /** Chinese name of the holiday ('春节'), or of the holiday a make-up day belongs to. */
  name: string;
  /** English name ('Spring Festival'). */
  nameEn: string;
}

/** A source of official holidays; tests and other countries can pass their own. */
export interface HolidayCalendar {
  /** Whether the calendar holds official data for the year (`chinese-days` 1.5 ends with 2026). */
  hasYear(year: number): boolean;
  /** The official status of a local date 'YYYY-MM-DD', or null for an ordinary day (or a year without data). */
  day(date: string): CalendarDay | null;
}

/**
 * The calendar backed by `chinese-days`. An official entry's name reads "Spring Festival,春节,4";
 * an ordinary day's is just the weekday, which is how the two are told apart: a make-up
 * working day carries its holiday's name but `work: true`, and must never count as the holiday.
 *
 * @example
 * chineseHolidayCalendar.day('2026-02-17'); // { type: 'holiday', name: '春节', nameEn: 'Spring Festival' }
 * chineseHolidayCalendar.day('2026-02-14'); // { type: 'makeup', name: '春节', … } (a Saturday, worked)
 * chineseHolidayCalendar.hasYear(2040);     // false
 */
export const chineseHolidayCalendar: HolidayCalendar = (() => {
  const years = new Map<number, boolean>();
  const days = new Map<string, CalendarDay | null>();
  return {
    hasYear(year: number): boolean {
      let known = years.get(year);
      if (known === undefined) {
        // A year the package covers always has official days off that are not weekends.
        known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
        years.set(year, known);
      }
      return known;
    },
    day(date: string): CalendarDay | null {
      if (days.has(date)) return days.get(date)!;
      const detail = chineseDays.getDayDetail(date);
      let result: CalendarDay | null = null;
      if (detail.name.includes(',')) {
        const [nameEn = '', name = ''] = detail.name.split(',');
        result = { type: detail.work ? 'makeup' : 'holiday', name, nameEn };
      }
      days.set(date, result);
      return result;
    },
  };
})();
