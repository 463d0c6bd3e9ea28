/**
 * The roster's week on the county clock (UTC+8 all year, like `$lib/format`): days as
 * "YYYY-MM-DD", a week from Monday, each day's start and end as instants.
 */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The county date of an instant, "2027-02-06". */
export const countyDay = (time: number): string => new Date(time + OFFSET_MS).toISOString().slice(0, 10);

/** The instant a county day starts (00:00 Beijing time). */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`) - OFFSET_MS;

/** `day` moved by `n` days. */
export const addDays = (day: string, n: number): string => countyDay(dayStart(day) + n * DAY_MS + OFFSET_MS - OFFSET_MS);

/** The Monday of the week holding `day`. */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(day, weekday === 0 ? -6 : 1 - weekday);
}

/** The seven days of the week from `monday`. */
export const weekDays = (monday: string): string[] => Array.from({ length: 7 }, (_, i) => addDays(monday, i));

/** Every day from `from` to `to` inclusive (none when `to` is before `from`). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to && days.length <= 366; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Is `text` a real date "YYYY-MM-DD"? */
export const isDay = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && countyDay(dayStart(text)) === text;

/** "08:00" on the county clock; "24:00" for a shift ending at the next midnight of `day`. */
export function clockOf(time: number, day?: string): string {
  if (day !== undefined && time === dayStart(addDays(day, 1))) return '24:00';
  return new Date(time + OFFSET_MS).toISOString().slice(11, 16);
}

/**
 * Shifts by team and county day ("teamId|YYYY-MM-DD"): each on the day it starts, and again as a
 * continuation (`continued`) on each later day it still covers, so a night shift 20:00–08:00
 * shows on the morning it holds too, and nobody plans a second team into a covered morning.
 */
export function shiftCells<S extends { teamId: string; from: number; to: number }>(shifts: readonly S[]): Map<string, { shift: S; continued: boolean }[]> {
  const cells = new Map<string, { shift: S; continued: boolean }[]>();
  const put = (key: string, entry: { shift: S; continued: boolean }) => {
    const list = cells.get(key);
    if (list) list.push(entry);
    else cells.set(key, [entry]);
  };
  for (const shift of shifts) {
    let day = countyDay(shift.from);
    put(`${shift.teamId}|${day}`, { shift, continued: false });
    // At most a week on: a shift is hours long, a bad one is not drawn across the roster.
    for (let i = 0; i < 7; i++) {
      day = addDays(day, 1);
      if (dayStart(day) >= shift.to) break;
      put(`${shift.teamId}|${day}`, { shift, continued: true });
    }
  }
  return cells;
}

/** Shift patterns a holiday is usually planned with (county local times; an end not after its start is the next day). */
export const PATTERNS = {
  three: [
    { start: '00:00', end: '08:00' },
    { start: '08:00', end: '16:00' },
    { start: '16:00', end: '24:00' },
  ],
  two: [
    { start: '08:00', end: '20:00' },
    { start: '20:00', end: '08:00' },
  ],
  day: [{ start: '08:00', end: '20:00' }],
} as const;
export type PatternName = keyof typeof PATTERNS;

/** The bulk limits the server holds to (POST /api/assignments/bulk). */
export const BULK_LIMITS = { teams: 50, days: 31, shifts: 4 } as const;
