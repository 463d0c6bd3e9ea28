import { describe, expect, it } from 'vitest';
import { dailyWindow, localMinute, localToEpoch, resolvePeriod, validatePeriod, type HolidayCalendar, type KeyPeriod } from '../../../../geo/src/index.ts';

const TZ = 'Asia/Shanghai';
/** Local Shanghai time as epoch ms (UTC+8, no daylight saving). */
const sh = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const HOUR = 3_600_000;
const spans = (r: { intervals: { start: number; end: number }[] }) => r.intervals.map((i) => [i.start, i.end]);

describe(resolvePeriod.name, () => {
  describe('period boundaries', () => {
    const event: KeyPeriod = { id: 'p', name: '县两会', kind: 'event', start: '2026-03-04T08:00', end: '2026-03-06T18:00' };

    it('starts at its local start minute and ends at its end minute (exclusive), in Shanghai time', () => {
      const r = resolvePeriod(event, sh(2026, 3, 1), sh(2026, 3, 10), { timeZone: TZ });
      expect(spans(r)).toEqual([[sh(2026, 3, 4, 8), sh(2026, 3, 6, 18)]]);
    });

    it('takes whole days for date bounds, the end day included', () => {
      const r = resolvePeriod({ ...event, start: '2026-03-04', end: '2026-03-06' }, sh(2026, 3, 1), sh(2026, 3, 10), { timeZone: TZ });
      expect(spans(r)).toEqual([[sh(2026, 3, 4), sh(2026, 3, 7)]]);
    });

    it('is clipped to the window asked for', () => {
      const r = resolvePeriod(event, sh(2026, 3, 5), sh(2026, 3, 5, 12), { timeZone: TZ });
      expect(spans(r)).toEqual([[sh(2026, 3, 5), sh(2026, 3, 5, 12)]]);
    });

    it('follows the configured time zone', () => {
      const r = resolvePeriod(event, Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 10), { timeZone: 'UTC' });
      expect(spans(r)).toEqual([[Date.UTC(2026, 2, 4, 8), Date.UTC(2026, 2, 6, 18)]]);
    });

    it('is never active when disabled', () => {
      expect(resolvePeriod({ ...event, enabled: false }, sh(2026, 3, 1), sh(2026, 3, 10), { timeZone: TZ }).intervals).toEqual([]);
    });
  });

  describe('windows across midnight', () => {
    const night: KeyPeriod = { id: 'n', name: '夜间巡防', kind: 'daily', hours: { start: '20:00', end: '02:00' } };

    it('runs 20:00–02:00 from the evening into the next morning', () => {
      expect(dailyWindow('2026-10-01', night.hours!, TZ)).toEqual([sh(2026, 10, 1, 20), sh(2026, 10, 2, 2)]);
    });

    it('includes the tail of the previous evening when the window asked for starts after midnight', () => {
      const r = resolvePeriod(night, sh(2026, 10, 2, 1), sh(2026, 10, 2, 23), { timeZone: TZ });
      expect(spans(r)).toEqual([
        [sh(2026, 10, 2, 1), sh(2026, 10, 2, 2)],
        [sh(2026, 10, 2, 20), sh(2026, 10, 2, 23)],
      ]);
    });

    it('keeps the whole window of the last day of a date range, and none that started before its first day', () => {
      const r = resolvePeriod({ ...night, start: '2026-10-01', end: '2026-10-02' }, sh(2026, 9, 30), sh(2026, 10, 5), { timeZone: TZ });
      expect(spans(r)).toEqual([
        [sh(2026, 10, 1, 20), sh(2026, 10, 2, 2)],
        [sh(2026, 10, 2, 20), sh(2026, 10, 3, 2)],
      ]);
    });

    it('cuts a window at an end given as a minute', () => {
      const r = resolvePeriod({ ...night, kind: 'event', start: '2026-10-01T00:00', end: '2026-10-01T23:00' }, sh(2026, 9, 30), sh(2026, 10, 5), { timeZone: TZ });
      expect(spans(r)).toEqual([
        [sh(2026, 10, 1), sh(2026, 10, 1, 2)],
        [sh(2026, 10, 1, 20), sh(2026, 10, 1, 23)],
      ]);
    });

    it('merges back-to-back windows into one interval (00:00–24:00 every day is always on)', () => {
      const r = resolvePeriod({ id: 'all', name: '全天', kind: 'daily', hours: { start: '00:00', end: '24:00' } }, sh(2026, 10, 1), sh(2026, 10, 4), { timeZone: TZ });
      expect(spans(r)).toEqual([[sh(2026, 10, 1), sh(2026, 10, 4)]]);
    });
  });

  describe('public holidays from the built-in calendar', () => {
    const holidays: KeyPeriod = { id: 'h', name: '法定节假日', kind: 'holiday' };

    it('covers Spring Festival 2026 from 15 to 23 February, weekend days inside it included', () => {
      const r = resolvePeriod({ ...holidays, holidays: ['春节'] }, sh(2026, 2, 1), sh(2026, 3, 10), { timeZone: TZ });
      expect(spans(r)).toEqual([[sh(2026, 2, 15), sh(2026, 2, 24)]]);
    });

    it('does not count a make-up working day, although the calendar names it after the holiday', () => {
      // Saturday 14 and Saturday 28 February 2026 are worked for Spring Festival.
      const r = resolvePeriod(holidays, sh(2026, 2, 14), sh(2026, 2, 15), { timeZone: TZ });
      expect(r.intervals).toEqual([]);
      const after = resolvePeriod(holidays, sh(2026, 2, 28), sh(2026, 3, 1), { timeZone: TZ });
      expect(after.intervals).toEqual([]);
    });

    it('matches holidays by English name too, and leaves out the others', () => {
      const r = resolvePeriod({ ...holidays, holidays: ['national day'] }, sh(2026, 9, 20), sh(2026, 10, 15), { timeZone: TZ });
      expect(spans(r)).toEqual([[sh(2026, 10, 1), sh(2026, 10, 8)]]);
    });

    it('applies only the nights of holidays when it has hours', () => {
      const r = resolvePeriod({ ...holidays, holidays: ['劳动节'], hours: { start: '20:00', end: '02:00' } }, sh(2026, 5, 5), sh(2026, 5, 7), { timeZone: TZ });
      expect(spans(r)).toEqual([[sh(2026, 5, 5), sh(2026, 5, 5, 2)], [sh(2026, 5, 5, 20), sh(2026, 5, 6, 2)]]);
    });

    it('warns, and stays inactive, for a year the calendar has no data for', () => {
      const r = resolvePeriod(holidays, sh(2027, 1, 1), sh(2027, 2, 1), { timeZone: TZ });
      expect(r.intervals).toEqual([]);
      expect(r.warnings).toEqual([expect.objectContaining({ code: 'calendar_year_missing', year: 2027 })]);
    });

    it('uses a calendar passed in', () => {
      const calendar: HolidayCalendar = { hasYear: () => true, day: (d) => (d === '2030-01-01' ? { type: 'holiday', name: '元旦', nameEn: "New Year's Day" } : null) };
      const r = resolvePeriod(holidays, sh(2029, 12, 30), sh(2030, 1, 3), { timeZone: TZ, calendar });
      expect(spans(r)).toEqual([[sh(2030, 1, 1), sh(2030, 1, 2)]]);
    });
  });
});

describe(validatePeriod.name, () => {
  it('names the field: an end before the start', () => {
    expect(validatePeriod({ name: 'x', kind: 'event', start: '2026-10-07', end: '2026-10-01' }, TZ)).toEqual([{ field: 'end', reason: 'must be after start' }]);
  });
  it('names the field: a date that does not exist', () => {
    expect(validatePeriod({ name: 'x', kind: 'event', start: '2026-02-30', end: '2026-03-01' }, TZ)[0]?.field).toBe('start');
  });
  it('names the field: a clock time out of range', () => {
    expect(validatePeriod({ name: 'x', kind: 'daily', hours: { start: '25:00', end: '02:00' } }, TZ)).toEqual([{ field: 'hours.start', reason: expect.stringContaining('HH:mm') }]);
  });
  it('requires hours for a daily period and both bounds for an event', () => {
    expect(validatePeriod({ name: 'x', kind: 'daily' }, TZ)[0]?.field).toBe('hours');
    expect(validatePeriod({ name: 'x', kind: 'event', start: '2026-10-01' }, TZ)[0]?.field).toBe('end');
  });
  it('accepts a sound period', () => {
    expect(validatePeriod({ name: 'x', kind: 'holiday', holidays: ['春节'], hours: { start: '20:00', end: '02:00' } }, TZ)).toEqual([]);
  });
});

describe(localToEpoch.name, () => {
  it('handles a zone with daylight saving', () => {
    // New York: 8 March 2026 02:00 does not exist; 03:00 EDT is 07:00 UTC.
    expect(localToEpoch('2026-03-08', 3 * 60, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7));
    expect(localToEpoch('2026-01-15', 12 * 60, 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 17));
    expect(HOUR).toBe(3_600_000);
  });
});

describe(localMinute.name, () => {
  it('writes the county minute of an instant, across the local midnight', () => {
    expect(localMinute(Date.UTC(2026, 9, 1, 16, 5), 'Asia/Shanghai')).toBe('2026-10-02T00:05');
    expect(localMinute(Date.UTC(2026, 9, 1, 15, 59, 59), 'Asia/Shanghai')).toBe('2026-10-01T23:59');
  });
});
