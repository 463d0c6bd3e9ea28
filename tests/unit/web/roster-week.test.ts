/** The roster's week on the county clock and the next holiday on the calendar. */
import { describe, expect, it } from 'vitest';
import { addDays, clockOf, countyDay, dayStart, daysBetween, isDay, mondayOf, shiftCells, weekDays } from '../../../web/src/lib/roster/week.ts';
import { firstHoliday } from '../../../web/src/lib/roster/nextHoliday.ts';

describe('the roster week', () => {
  it('starts on Monday in county time, across a year end', () => {
    expect(mondayOf('2027-02-06')).toBe('2027-02-01');
    expect(mondayOf('2027-02-07')).toBe('2027-02-01');
    expect(mondayOf('2027-02-01')).toBe('2027-02-01');
    expect(weekDays('2026-12-28')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('reads days and times on the Beijing clock, whatever the machine', () => {
    expect(dayStart('2027-02-06')).toBe(Date.UTC(2027, 1, 5, 16));
    expect(countyDay(Date.UTC(2027, 1, 5, 16))).toBe('2027-02-06');
    expect(countyDay(Date.UTC(2027, 1, 5, 15, 59))).toBe('2027-02-05');
    expect(clockOf(Date.UTC(2027, 1, 6, 0))).toBe('08:00');
    expect(clockOf(dayStart('2027-02-07'), '2027-02-06')).toBe('24:00');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(daysBetween('2027-02-06', '2027-02-08')).toEqual(['2027-02-06', '2027-02-07', '2027-02-08']);
    expect(daysBetween('2027-02-08', '2027-02-06')).toEqual([]);
    expect(isDay('2027-02-30')).toBe(false);
    expect(isDay('2027-02-28')).toBe(true);
  });

  it('shows a night shift on the morning it still covers, marked as continued, and a shift ending at midnight on its day only', () => {
    const night = { id: 'n', teamId: 'T1', from: dayStart('2027-02-06') + 20 * 3_600_000, to: dayStart('2027-02-07') + 8 * 3_600_000 };
    const evening = { id: 'e', teamId: 'T2', from: dayStart('2027-02-06') + 16 * 3_600_000, to: dayStart('2027-02-07') };
    const cells = shiftCells([night, evening]);
    expect(cells.get('T1|2027-02-06')).toEqual([{ shift: night, continued: false }]);
    expect(cells.get('T1|2027-02-07')).toEqual([{ shift: night, continued: true }]);
    expect(cells.get('T1|2027-02-08')).toBeUndefined();
    expect(cells.get('T2|2027-02-06')).toEqual([{ shift: evening, continued: false }]);
    expect(cells.get('T2|2027-02-07')).toBeUndefined();
  });

  it('finds the next run of holiday dates from today', () => {
    const days = ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-10'].map((date) => ({ date, name: '春节', nameEn: 'Spring Festival' }));
    expect(firstHoliday(days, '2027-01-20')).toEqual({ fromDay: '2027-02-06', toDay: '2027-02-08', name: '春节', nameEn: 'Spring Festival' });
    expect(firstHoliday(days, '2027-02-07')).toMatchObject({ fromDay: '2027-02-07', toDay: '2027-02-08' });
    expect(firstHoliday(days, '2027-03-01')).toBeNull();
  });
});
