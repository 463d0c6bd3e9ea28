/**
 * The instants a period's `start` and `end` stand for in a time zone.
 */
import { addDays, localToEpoch, parseClock, parseDate } from './localTime.ts';
import type { KeyPeriod } from './types.ts';

/** One bound: the instant, and the local date when it was given as a whole day. */
export interface Bound {
  ms: number;
  /** Set when the bound is a date (whole days): windows are then kept by the day they start on. */
  date?: string;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

function parseBound(text: string, timeZone: string, end: boolean): Bound {
  const dt = DATE_TIME.exec(text);
  if (dt) {
    parseDate(dt[1]!);
    return { ms: localToEpoch(dt[1]!, parseClock(dt[2]!), timeZone) };
  }
  parseDate(text);
  // A date as the end means through that whole day.
  return { ms: localToEpoch(end ? addDays(text, 1) : text, 0, timeZone), date: text };
}

/**
 * `start` and `end` of a period as instants: a date 'YYYY-MM-DD' is its local midnight for a
 * start and the next midnight for an end (whole days, end inclusive); 'YYYY-MM-DDTHH:mm' is
 * that local minute. A missing bound is unbounded. Throws a RangeError on a malformed bound.
 *
 * @example
 * periodBounds({ id: 'p', name: '两会', kind: 'event', start: '2026-03-04', end: '2026-03-11' }, 'Asia/Shanghai');
 * // { start: { ms: Date.UTC(2026, 2, 3, 16), date: '2026-03-04' }, end: { ms: Date.UTC(2026, 2, 11, 16), date: '2026-03-11' } }
 */
export function periodBounds(period: Pick<KeyPeriod, 'start' | 'end'>, timeZone: string): { start: Bound; end: Bound } {
  return {
    start: period.start ? parseBound(period.start, timeZone, false) : { ms: -Infinity },
    end: period.end ? parseBound(period.end, timeZone, true) : { ms: Infinity },
  };
}
