/**
 * The period a report or a statistic covers: two county days (`from`, `to`, YYYY-MM-DD,
 * inclusive), checked once for every route that takes one: a bad day, `to` before `from` and a
 * period longer than MAX_DAYS are 400s naming the field.
 */
import { parseDate } from '@lianfang/geo';
import { HttpError } from '../plugins/errors.ts';
import { MAX_DAYS, periodDays } from './report.ts';

/** A county day, or 400 `bad_format` on `field`. */
export function validDay(value: string, field: string): void {
  try {
    parseDate(value);
  } catch {
    throw new HttpError(400, `${field} is not a day (YYYY-MM-DD)`, field, { code: 'bad_format' });
  }
}

/** The number of days from `from` to `to` (inclusive) of a query, once both are checked. */
export function queryPeriod(query: { from: string; to: string }): number {
  validDay(query.from, 'querystring.from');
  validDay(query.to, 'querystring.to');
  const days = periodDays(query.from, query.to);
  if (days < 1) throw new HttpError(400, 'querystring.to is before querystring.from', 'querystring.to', { code: 'invalid' });
  if (days > MAX_DAYS) throw new HttpError(400, `a period covers at most ${MAX_DAYS} days`, 'querystring.to', { code: 'too_big', params: { limit: MAX_DAYS } });
  return days;
}
