/**
 * A key period as concrete time intervals: holidays from the calendar, event ranges, daily
 * hours (across midnight too), all in the configured time zone.
 */
import { chineseHolidayCalendar, type HolidayCalendar } from './chineseHolidayCalendar.ts';
import { dailyWindow } from './dailyWindows.ts';
import { addDays, localDate, localToEpoch } from './localTime.ts';
import { periodBounds } from './periodBounds.ts';
import type { ActiveInterval, KeyPeriod, PlanWarning } from './types.ts';

export interface ResolveOptions {
  timeZone: string;
  /** Official holidays; the built-in Chinese calendar by default. */
  calendar?: HolidayCalendar;
}

export interface ResolvedPeriod {
  /** Sorted, non-overlapping, clipped to [from, to). */
  intervals: ActiveInterval[];
  warnings: PlanWarning[];
}

/**
 * When `period` is active between `from` and `to` (epoch ms), as sorted, merged intervals.
 *
 * - `holiday`: each official holiday day (make-up working days are ordinary working days,
 *   even though the calendar names them after the holiday), optionally only the named holidays.
 *   A year the calendar holds no data for contributes nothing and a warning says so.
 * - `event`, `sensitive`: from `start` to `end`.
 * - `daily`: every day's `hours`.
 * With `hours`, only those hours of each day of the period; a window belongs to the day it starts on.
 *
 * @example
 * resolvePeriod({ id: 'night', name: '夜间', kind: 'daily', hours: { start: '20:00', end: '02:00' } },
 *   Date.UTC(2026, 9, 1, 0), Date.UTC(2026, 9, 2, 0), { timeZone: 'Asia/Shanghai' });
 * // intervals: [Oct 1 00:00–02:00 (the window from Sep 30), Oct 1 20:00–Oct 2 02:00, clipped to `to`]
 */
export function resolvePeriod(period: KeyPeriod, from: number, to: number, options: ResolveOptions): ResolvedPeriod {
  const { timeZone } = options;
  const calendar = options.calendar ?? chineseHolidayCalendar;
  const warnings: PlanWarning[] = [];
  if (period.enabled === false || !(from < to)) return { intervals: [], warnings };
  const bounds = periodBounds(period, timeZone);
  const lo = Math.max(from, bounds.start.ms);
  const hi = Math.min(to, bounds.end.ms);
  if (!(lo < hi) && !(period.hours && bounds.end.date)) return { intervals: [], warnings };

  const raw: [number, number][] = [];
  if (period.kind !== 'holiday' && !period.hours) {
    // A plain range (a daily period always has hours: validatePeriod requires them).
    raw.push([lo, hi]);
  } else {
    // Days to look at: one before `from` (its window may run past midnight) through `to`'s day,
    // limited to the period's own dates.
    let first = addDays(localDate(Math.max(from, bounds.start.ms === -Infinity ? from : bounds.start.ms), timeZone), -1);
    let last = localDate(Math.min(to, bounds.end.ms === Infinity ? to : bounds.end.ms - 1), timeZone);
    if (bounds.start.date && first < bounds.start.date) first = bounds.start.date;
    if (bounds.end.date && last > bounds.end.date) last = bounds.end.date;

    const wanted = period.holidays?.length ? new Set(period.holidays.map((h) => h.trim().toLowerCase())) : undefined;
    const missing = new Set<number>();
    const isPeriodDay = (date: string): boolean => {
      if (period.kind !== 'holiday') return true;
      const year = Number(date.slice(0, 4));
      if (!calendar.hasYear(year)) {
        missing.add(year);
        return false;
      }
      const day = calendar.day(date);
      return day?.type === 'holiday' && (!wanted || wanted.has(day.name.toLowerCase()) || wanted.has(day.nameEn.toLowerCase()));
    };

    for (let d = first; d <= last; d = addDays(d, 1)) {
      if (!isPeriodDay(d)) continue;
      const [s, e] = period.hours ? dailyWindow(d, period.hours, timeZone) : [localToEpoch(d, 0, timeZone), localToEpoch(addDays(d, 1), 0, timeZone)];
      // Whole-day bounds keep a window by its start day (done above); instants cut it.
      const cutLo = bounds.start.date ? from : lo;
      const cutHi = bounds.end.date ? to : hi;
      const a = Math.max(s, cutLo);
      const b = Math.min(e, cutHi);
      if (a < b) raw.push([a, b]);
    }
    for (const year of [...missing].sort()) {
      warnings.push({
        code: 'calendar_year_missing',
        year,
        message: `the holiday calendar has no official data for ${year}: "${period.name}" is not active on that year's holidays; an admin enters them on the holiday calendar screen (or npm run import -- holidays FILE)`,
      });
    }
  }

  raw.sort((a, b) => a[0] - b[0]);
  const intervals: ActiveInterval[] = [];
  for (const [s, e] of raw) {
    const prev = intervals[intervals.length - 1];
    if (prev && s <= prev.end) prev.end = Math.max(prev.end, e);
    else intervals.push({ periodId: period.id, start: s, end: e });
  }
  return { intervals, warnings };
}
