/**
 * County-time helpers for the plan screen: months of the calendar, the days a period is on in
 * a month (geo's own resolvePeriod, with the holidays the server answered), and instants typed
 * as a local date and time. Dates are 'YYYY-MM-DD' in the plan's time zone, never the browser's.
 */
import { addDays, localDate, localParts, localToEpoch, resolvePeriod, type HolidayCalendar, type KeyPeriod } from '@lianfang/geo';
import type { CalendarResponse } from '@lianfang/server/api';

/** A calendar that knows the years the server answered (a year it was not asked about has no holidays here). */
export function calendarOf(years: readonly CalendarResponse[]): HolidayCalendar {
  const known = new Set(years.filter((y) => y.known).map((y) => y.year));
  const days = new Map<string, { type: 'holiday' | 'makeup'; name: string; nameEn: string }>();
  for (const y of years) {
    for (const d of y.holidays) days.set(d.date, { type: 'holiday', name: d.name, nameEn: d.nameEn });
    for (const d of y.makeUpWorkdays) days.set(d.date, { type: 'makeup', name: d.name, nameEn: d.nameEn });
  }
  return { hasYear: (year) => known.has(year), day: (date) => days.get(date) ?? null };
}

/** 'YYYY-MM' of an instant in the zone. */
export function monthOf(ms: number, timeZone: string): string {
  return localDate(ms, timeZone).slice(0, 7);
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The weeks shown for a month, Monday first: each a list of 7 dates (neighbouring months' days included). */
export function monthWeeks(month: string): string[][] {
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
  let day = addDays(first, -weekday);
  const weeks: string[][] = [];
  do {
    const week: string[] = [];
    for (let i = 0; i < 7; i++, day = addDays(day, 1)) week.push(day);
    weeks.push(week);
  } while (day.slice(0, 7) === month);
  return weeks;
}

/** Date → ids of the periods on some time that day, over the days of `weeks`. */
export function periodDays(periods: readonly KeyPeriod[], weeks: string[][], timeZone: string, calendar: HolidayCalendar): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const first = weeks[0]![0]!;
  const last = weeks[weeks.length - 1]![6]!;
  const from = localToEpoch(first, 0, timeZone);
  const to = localToEpoch(addDays(last, 1), 0, timeZone);
  for (const period of periods) {
    for (const interval of resolvePeriod(period, from, to, { timeZone, calendar }).intervals) {
      const end = localDate(interval.end - 1, timeZone);
      for (let d = localDate(interval.start, timeZone); d <= end; d = addDays(d, 1)) {
        const list = out.get(d) ?? [];
        if (!list.includes(period.id)) list.push(period.id);
        out.set(d, list);
      }
    }
  }
  return out;
}

/** Local 'YYYY-MM-DD' and 'HH:mm' → epoch ms in the zone, or null when either is not filled in. */
export function instantOf(date: string, time: string, timeZone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const [h, m] = time.split(':').map(Number) as [number, number];
  return localToEpoch(date, h * 60 + m, timeZone);
}

/** An instant as local date and time inputs' values. */
export function partsOf(ms: number, timeZone: string): { date: string; time: string } {
  const p = localParts(ms, timeZone);
  return { date: localDate(ms, timeZone), time: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` };
}

export { addDays, localDate };
