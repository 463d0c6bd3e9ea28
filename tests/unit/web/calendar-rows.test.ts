import { describe, expect, it } from 'vitest';
import { bodyOf, newRow, placeError, rowsOf } from '../../../web/src/lib/calendar/rows.ts';

describe('calendar screen rows', () => {
  const rows = [
    newRow({ date: '2027-02-06', name: '春节', type: 'holiday' }),
    newRow({ date: '2027-02-20', name: '春节', type: 'makeup' }),
    newRow({ date: '2027-02-07', name: ' 春节 ', type: 'holiday' }),
  ];

  it('sends days off and make-up days as the API wants them, remembering which row each came from', () => {
    const { body, rowOf } = bodyOf(2027, rows);
    expect(body).toEqual({ year: 2027, holidays: [{ date: '2027-02-06', name: '春节' }, { date: '2027-02-07', name: '春节' }], makeUpWorkdays: [{ date: '2027-02-20', name: '春节' }] });
    expect(rowOf.holidays).toEqual([rows[0]!.key, rows[2]!.key]);
  });

  it('shows a year in date order', () => {
    const shown = rowsOf({ holidays: [{ date: '2027-02-07', name: '春节' }], makeUpWorkdays: [{ date: '2027-02-01', name: '春节' }] });
    expect(shown.map((r) => [r.date, r.type])).toEqual([['2027-02-01', 'makeup'], ['2027-02-07', 'holiday']]);
  });

  it("puts the server's refusal on the row and field it names, in the user's words", () => {
    const { rowOf } = bodyOf(2027, rows);
    expect(placeError({ field: 'body.holidays[1].date', message: 'body.holidays[1].date must be a date in 2027' }, 2027, rowOf)).toEqual({
      rowKey: rows[2]!.key,
      field: 'date',
      message: { key: 'calendar.error.outsideYear', params: { year: 2027 } },
    });
    expect(placeError({ field: 'body.makeUpWorkdays[0].date', message: 'body.makeUpWorkdays[0].date 2027-02-20 is listed twice (first as holidays[0])' }, 2027, rowOf).message.key).toBe('calendar.error.twice');
    expect(placeError({ field: 'body.holidays.0.name', message: 'body.holidays.0.name must NOT have more than 32 characters' }, 2027, rowOf)).toMatchObject({ rowKey: rows[0]!.key, field: 'name' });
    expect(placeError({ field: 'body.holidays', message: 'body.holidays must NOT have fewer than 1 items' }, 2027, rowOf)).toMatchObject({ rowKey: null, message: { key: 'calendar.error.noHolidays' } });
    expect(placeError(null, 2027, rowOf).message.key).toBe('calendar.error.failed');
  });
});
