/**
 * Daily key hours as concrete time windows, including windows that cross midnight.
 */
import { addDays, localToEpoch, parseClock } from './localTime.ts';
import type { DailyHours } from './types.ts';

/**
 * The window of `hours` that starts on local `date`, [start, end) in epoch ms. An end at or
 * before the start crosses midnight: the window belongs to the day it starts on, so
 * 20:00–02:00 on 2026-10-01 runs to 2026-10-02 02:00. Equal start and end mean the whole day.
 *
 * @example
 * dailyWindow('2026-10-01', { start: '20:00', end: '02:00' }, 'Asia/Shanghai');
 * // [Date.UTC(2026, 9, 1, 12), Date.UTC(2026, 9, 1, 18)]
 */
export function dailyWindow(date: string, hours: DailyHours, timeZone: string): [number, number] {
  const start = parseClock(hours.start);
  let end = parseClock(hours.end);
  if (end <= start) end += 1440;
  // Computed from each end's own date, so a daylight-saving change in between is honoured.
  const nextDay = end >= 1440;
  return [localToEpoch(date, start, timeZone), localToEpoch(nextDay ? addDays(date, 1) : date, nextDay ? end - 1440 : end, timeZone)];
}

/**
 * Every window of `hours` that starts on a day from `firstDate` to `lastDate` (inclusive) for
 * which `includeDay` answers true, oldest first.
 *
 * @example
 * dailyWindows('2026-10-01', '2026-10-02', { start: '20:00', end: '02:00' }, 'Asia/Shanghai').length; // 2
 */
export function dailyWindows(
  firstDate: string,
  lastDate: string,
  hours: DailyHours,
  timeZone: string,
  includeDay: (date: string) => boolean = () => true,
): [number, number][] {
  if (firstDate > lastDate) return [];
  const out: [number, number][] = [];
  for (let d = firstDate; d <= lastDate; d = addDays(d, 1)) if (includeDay(d)) out.push(dailyWindow(d, hours, timeZone));
  return out;
}
