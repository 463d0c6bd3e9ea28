/** Dates, times and durations as the screen shows them, in the county's time zone. */
import type { Locale, MessageKey, MessageParams } from './i18n/messages';

/** The county's clock: a command centre reads Beijing time whatever zone the screen's PC is set to. */
export const COUNTY_TIME_ZONE = 'Asia/Shanghai';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The fields of `time` on the county clock, 24-hour, zero-padded. */
function clockParts(time: number, lang = 'en-GB'): Record<Intl.DateTimeFormatPartTypes, string> {
  const format = new Intl.DateTimeFormat(lang, {
    timeZone: COUNTY_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return Object.fromEntries(format.formatToParts(time).map((part) => [part.type, part.value])) as Record<
    Intl.DateTimeFormatPartTypes,
    string
  >;
}

export function formatClock(time: number, locale: Locale): { date: string; time: string } {
  const d = clockParts(time);
  const weekday = clockParts(time, locale === 'en' ? 'en-GB' : 'zh-CN').weekday;
  return { date: `${d.year}-${d.month}-${d.day} ${weekday}`, time: `${d.hour}:${d.minute}:${d.second}` };
}

/** "14:03:12" for a fix from today, "11-26 14:03" for an older one. */
export function formatFixTime(time: number, now: number): string {
  const d = clockParts(time);
  const today = clockParts(now);
  const sameDay = d.year === today.year && d.month === today.month && d.day === today.day;
  return sameDay ? `${d.hour}:${d.minute}:${d.second}` : `${d.month}-${d.day} ${d.hour}:${d.minute}`;
}

export function formatAgo(time: number, now: number, t: Translate): string {
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 10) return t('time.justNow');
  if (seconds < 60) return t('time.secondsAgo', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('time.minutesAgo', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('time.hoursAgo', { n: hours });
  return t('time.daysAgo', { n: Math.floor(hours / 24) });
}

/** "12 分钟", "1 小时 5 分": a duration in whole minutes (at least 1). */
export function formatDuration(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.floor(Math.abs(ms) / 60_000));
  if (minutes < 60) return t('alerts.minutes', { n: minutes });
  return t('alerts.hoursMinutes', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** "850 米", "1.2 公里": a straight-line distance. */
export function formatDistance(metres: number, t: Translate): string {
  if (metres < 1000) return t('alerts.distanceM', { n: Math.round(metres) });
  return t('alerts.distanceKm', { n: (metres / 1000).toFixed(metres < 10_000 ? 1 : 0) });
}

/** "21:40" on the county clock. */
export function formatHourMinute(time: number): string {
  const d = clockParts(time);
  return `${d.hour}:${d.minute}`;
}

/** "21:40" today, "11-28 21:40" another day, on the county clock. */
export function formatShortTime(time: number, now: number): string {
  const d = clockParts(time);
  const today = clockParts(now);
  const sameDay = d.year === today.year && d.month === today.month && d.day === today.day;
  return sameDay ? `${d.hour}:${d.minute}` : `${d.month}-${d.day} ${d.hour}:${d.minute}`;
}

/** China has kept UTC+8 all year since 1991: the county's offset, for datetime-local inputs. */
const COUNTY_OFFSET_MS = 8 * 3_600_000;

/** "2026-11-27T21:40" on the county clock, for an `<input type="datetime-local">`. */
export function timeToCountyInput(time: number): string {
  if (!Number.isFinite(time) || time <= 0) return '';
  return new Date(time + COUNTY_OFFSET_MS).toISOString().slice(0, 16);
}

/** An `<input type="datetime-local">` value read on the county clock; null when not a time. */
export function countyInputToTime(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, Number.isNaN(s) ? 0 : s!) - COUNTY_OFFSET_MS;
}
