import { describe, expect, it } from 'vitest';
import { chineseHolidayCalendar, enteredHolidayCalendar, parseHolidayFile, resolvePeriod, validateHolidayYear, type HolidayYear } from '@lianfang/geo';

const TZ = 'Asia/Shanghai';
const sh = (y: number, mo: number, d: number, h = 0) => Date.UTC(y, mo - 1, d, h - 8);

const Y2027: HolidayYear = {
  year: 2027,
  holidays: ['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'].map((date) => ({ date, name: '春节' })),
  makeUpWorkdays: [{ date: '2027-02-20', name: '春节' }],
};

describe(enteredHolidayCalendar.name, () => {
  const calendar = enteredHolidayCalendar([Y2027]);

  it('knows an entered year the built-in calendar lacks, with English names for official holidays', () => {
    expect(chineseHolidayCalendar.hasYear(2027)).toBe(false);
    expect(calendar.hasYear(2027)).toBe(true);
    expect(calendar.day('2027-02-08')).toEqual({ type: 'holiday', name: '春节', nameEn: 'Spring Festival' });
    expect(calendar.day('2027-02-20')).toMatchObject({ type: 'makeup' });
    expect(calendar.day('2027-10-01')).toBeNull();
  });

  it('keeps the built-in calendar for years not entered', () => {
    expect(calendar.day('2026-02-17')).toEqual(chineseHolidayCalendar.day('2026-02-17'));
  });

  it('replaces a built-in year whole when that year is entered', () => {
    const own = enteredHolidayCalendar([{ year: 2026, holidays: [{ date: '2026-03-03', name: '县庆' }], makeUpWorkdays: [] }]);
    expect(own.day('2026-02-17')).toBeNull();
    expect(own.day('2026-03-03')).toEqual({ type: 'holiday', name: '县庆', nameEn: '县庆' });
  });

  it('makes a holiday period active on the entered Spring Festival, by Chinese or English name', () => {
    for (const name of ['春节', 'Spring Festival']) {
      const r = resolvePeriod({ id: 'sf', name: '春节安保', kind: 'holiday', holidays: [name] }, sh(2027, 2, 5), sh(2027, 2, 14), { timeZone: TZ, calendar });
      expect(r.warnings).toEqual([]);
      expect(r.intervals).toEqual([{ periodId: 'sf', start: sh(2027, 2, 6), end: sh(2027, 2, 13) }]);
    }
  });
});

describe(validateHolidayYear.name, () => {
  it('accepts a sound year', () => {
    expect(validateHolidayYear(Y2027)).toEqual([]);
  });

  it('names dates outside the year, impossible dates, a day listed as both, and over-long names', () => {
    const issues = validateHolidayYear({
      year: 2027,
      holidays: [
        { date: '2026-12-31', name: '元旦' },
        { date: '2027-02-30', name: '春节' },
        { date: '2027-02-20', name: '春节' },
        { date: '2027-05-01', name: 'x'.repeat(33) },
      ],
      makeUpWorkdays: [{ date: '2027-02-20', name: '春节' }],
    });
    expect(issues.map((i) => i.field)).toEqual(['holidays[0].date', 'holidays[1].date', 'holidays[3].name', 'makeUpWorkdays[0].date']);
    expect(issues[3]!.reason).toContain('holidays[2]');
  });
});

describe(parseHolidayFile.name, () => {
  it('reads the JSON the calendar API answers, extra fields and all', () => {
    const json = JSON.stringify({ year: 2027, known: true, message: null, source: 'entered', holidays: [{ date: '2027-02-07', name: '春节', nameEn: 'Spring Festival' }, { date: '2027-02-06', name: '春节' }], makeUpWorkdays: [] });
    expect(parseHolidayFile(json)).toEqual({ ok: true, calendar: { year: 2027, holidays: [{ date: '2027-02-06', name: '春节' }, { date: '2027-02-07', name: '春节' }], makeUpWorkdays: [] } });
  });

  it('reads CSV with Chinese headers and a byte-order mark', () => {
    const r = parseHolidayFile('\uFEFF日期,名称,类型\r\n2027-02-06,春节,放假\r\n2027/2/20,春节,调休上班\r\n');
    expect(r).toEqual({ ok: true, calendar: { year: 2027, holidays: [{ date: '2027-02-06', name: '春节' }], makeUpWorkdays: [{ date: '2027-02-20', name: '春节' }] } });
  });

  it('reads CSV with English headers in any order', () => {
    const r = parseHolidayFile('type,date,name\nholiday,2027-10-01,国庆节\nmakeup,2027-09-26,国庆节\n');
    expect(r.ok && r.calendar.makeUpWorkdays).toEqual([{ date: '2027-09-26', name: '国庆节' }]);
  });

  it('names the row of a bad type, a bad date and a second year', () => {
    const r = parseHolidayFile('date,name,type\n2027-02-06,春节,休假\nsoon,春节,holiday\n2028-01-01,元旦,holiday\n');
    expect(r.ok ? [] : r.issues.map((i) => i.field)).toEqual(['row 2 type', 'row 3 date', 'row 4 date']);
  });

  it('refuses a file for another year than the one chosen, and a file that is not JSON', () => {
    expect(parseHolidayFile('date,name,type\n2027-02-06,春节,holiday\n', { year: 2028 })).toMatchObject({ ok: false, issues: [{ field: 'year' }] });
    expect(parseHolidayFile('{ "year": 2027, ')).toMatchObject({ ok: false, issues: [{ field: 'file' }] });
  });
});
