/**
 * Checks a key period beyond its JSON shape: dates that exist, clock times, a start before the
 * end, the fields its kind needs.
 */
import { assertTimeZone, parseClock } from './localTime.ts';
import { periodBounds } from './periodBounds.ts';
import type { KeyPeriod } from './types.ts';

export interface PlanIssue {
  /** The offending field, e.g. `end` or `hours.start`. */
  field: string;
  reason: string;
}

/**
 * Problems with `period`, first the most basic; an empty list when it is sound.
 *
 * @example
 * validatePeriod({ id: 'p', name: '国庆安保', kind: 'event', start: '2026-10-07', end: '2026-10-01' }, 'Asia/Shanghai');
 * // [{ field: 'end', reason: 'must be after start' }]
 */
export function validatePeriod(period: Omit<KeyPeriod, 'id'>, timeZone: string): PlanIssue[] {
  assertTimeZone(timeZone);
  const issues: PlanIssue[] = [];
  for (const field of ['start', 'end'] as const) {
    const value = period[field];
    if (value === undefined) continue;
    try {
      periodBounds({ [field]: value }, timeZone);
    } catch (err) {
      issues.push({ field, reason: `${(err as Error).message}; use YYYY-MM-DD or YYYY-MM-DDTHH:mm (local time)` });
    }
  }
  if (period.hours) {
    for (const field of ['start', 'end'] as const) {
      try {
        parseClock(period.hours[field]);
      } catch (err) {
        issues.push({ field: `hours.${field}`, reason: (err as Error).message });
      }
    }
  }
  if (issues.length > 0) return issues;
  if ((period.kind === 'event' || period.kind === 'sensitive') && (!period.start || !period.end)) {
    issues.push({ field: period.start ? 'end' : 'start', reason: `is required for a period of kind ${period.kind}` });
  }
  if (period.kind === 'daily' && !period.hours) issues.push({ field: 'hours', reason: 'is required for a period of kind daily' });
  if (period.holidays?.length && period.kind !== 'holiday') issues.push({ field: 'holidays', reason: 'applies only to a period of kind holiday' });
  if (period.start && period.end) {
    const { start, end } = periodBounds(period, timeZone);
    if (!(start.ms < end.ms)) issues.push({ field: 'end', reason: 'must be after start' });
  }
  return issues;
}
