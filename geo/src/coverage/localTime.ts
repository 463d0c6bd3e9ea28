/**
 * Local calendar dates and clock times in an IANA time zone, without a date library: the
 * offset comes from Intl (cached formatter per zone), so zones with daylight saving work too.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Throws a RangeError naming the zone when `timeZone` is not a valid IANA name.
 *
 * @example
 * assertTimeZone('Asia/Shanghai'); // ok
 */
export function assertTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}"`);
  }
}

/** Local wall-clock fields of an instant. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The local wall-clock fields of `ms` in `timeZone`.
 *
 * @example
 * localParts(Date.UTC(2026, 9, 1, 16, 0), 'Asia/Shanghai'); // { year: 2026, month: 10, day: 2, hour: 0, … }
 */
export function localParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** Offset of local time from UTC at `ms`, ms (Asia/Shanghai: +8 h). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a local date and minute of the day in `timeZone`. Minutes may run past 1440
 * (the next day). In a daylight-saving gap the later offset is used.
 *
 * @example
 * localToEpoch('2026-10-01', 20 * 60, 'Asia/Shanghai'); // Date.UTC(2026, 9, 1, 12, 0)
 */
export function localToEpoch(date: string, minuteOfDay: number, timeZone: string): number {
  // Most days have one offset from midnight to midnight: remember it per zone and date, and
  // ask Intl (slow: a few µs a call) only on the days a daylight-saving change happens.
  const key = `${timeZone} ${date}`;
  let day = dayOffsets.get(key);
  if (day === undefined) {
    const [y, m, d] = parseDate(date);
    const midnight = Date.UTC(y, m - 1, d);
    const atStart = zonedToUtc(midnight, timeZone);
    const atEnd = zonedToUtc(midnight + 86_400_000, timeZone);
    day = { midnight, offset: midnight - atStart, uniform: midnight + 86_400_000 - atEnd === midnight - atStart };
    if (dayOffsets.size > 20_000) dayOffsets.clear();
    dayOffsets.set(key, day);
  }
  const wall = day.midnight + minuteOfDay * 60_000;
  return day.uniform && minuteOfDay >= 0 && minuteOfDay <= 1440 ? wall - day.offset : zonedToUtc(wall, timeZone);
}

const dayOffsets = new Map<string, { midnight: number; offset: number; uniform: boolean }>();

/** The instant whose local wall clock reads `wall` (a wall time written as if it were UTC). */
function zonedToUtc(wall: number, timeZone: string): number {
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/**
 * The local date 'YYYY-MM-DD' of an instant.
 *
 * @example
 * localDate(Date.UTC(2026, 9, 1, 16, 0), 'Asia/Shanghai'); // '2026-10-02'
 */
export function localDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return formatDate(p.year, p.month, p.day);
}

/**
 * The local minute 'YYYY-MM-DDTHH:MM' of an instant: how key periods are written, and (with a
 * space for the 'T') how exports show a time.
 *
 * @example
 * localMinute(Date.UTC(2026, 9, 1, 16, 5), 'Asia/Shanghai'); // '2026-10-02T00:05'
 */
export function localMinute(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${formatDate(p.year, p.month, p.day)}T${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** [year, month, day] of 'YYYY-MM-DD'; throws on anything else (including 2026-02-30). */
export function parseDate(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw new RangeError(`"${date}" is not a calendar date`);
  return [y, mo, d];
}

export function formatDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The date `days` after (or before) `date`, as calendar arithmetic.
 *
 * @example
 * addDays('2026-12-31', 1); // '2027-01-01'
 */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Minutes since midnight of 'HH:mm' (00:00–23:59, or 24:00 for the end of the day).
 *
 * @example
 * parseClock('20:30'); // 1230
 */
export function parseClock(text: string): number {
  if (text === '24:00') return 1440;
  const m = CLOCK.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a time HH:mm`);
  return Number(m[1]) * 60 + Number(m[2]);
}
