/**
 * Reads a year's holiday arrangement from a file, as `npm run import -- holidays FILE` and the
 * calendar screen's upload do: JSON in the shape `GET /api/coverage/calendar?year=` answers, or
 * CSV with columns date,name,type (type holiday | makeup), or the Chinese headers 日期,名称,类型
 * (类型 放假 | 调休上班). UTF-8 with or without a byte-order mark. Imports nothing with data in
 * it, so the web app can bundle it.
 */
import { parseCsv } from '../validation/parseCsv.ts';
import { normaliseHolidayYear, type HolidayDate, type HolidayYear } from './holidayYear.ts';
import type { PlanIssue } from './validatePeriod.ts';

export type HolidayFileResult = { ok: true; calendar: HolidayYear } | { ok: false; issues: PlanIssue[] };

const COLUMNS = { date: ['date', '日期'], name: ['name', '名称', '节日'], type: ['type', '类型'] } as const;
const TYPES: Record<string, 'holiday' | 'makeup'> = { holiday: 'holiday', makeup: 'makeup', 'make-up': 'makeup', 放假: 'holiday', 休: 'holiday', 调休上班: 'makeup', 上班: 'makeup', 班: 'makeup' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses `text` (JSON when it starts with `{`, else CSV). For CSV the year is the dates' year;
 * `year`, when given (the year chosen on screen), must agree. Rows are checked here and named by
 * their row (the header is row 1); validateHolidayYear checks the whole year after.
 *
 * @example
 * parseHolidayFile('日期,名称,类型\n2027-02-06,春节,放假\n2027-02-20,春节,调休上班\n');
 * // { ok: true, calendar: { year: 2027, holidays: [{ date: '2027-02-06', name: '春节' }], makeUpWorkdays: [{ date: '2027-02-20', name: '春节' }] } }
 */
export function parseHolidayFile(text: string, options: { year?: number } = {}): HolidayFileResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const result = body.trimStart().startsWith('{') ? fromJson(body) : fromCsv(body);
  if (result.ok && options.year !== undefined && result.calendar.year !== options.year) {
    return { ok: false, issues: [{ field: 'year', reason: `the file is for ${result.calendar.year}, not ${options.year}` }] };
  }
  return result;
}

function fromJson(text: string): HolidayFileResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ field: 'file', reason: `is not valid JSON: ${(err as Error).message}` }] };
  }
  const o = value as Record<string, unknown>;
  const issues: PlanIssue[] = [];
  if (!Number.isInteger(o.year)) issues.push({ field: 'year', reason: 'must be a whole number, e.g. 2027' });
  const list = (field: 'holidays' | 'makeUpWorkdays'): HolidayDate[] => {
    const days = o[field] ?? [];
    if (!Array.isArray(days)) {
      issues.push({ field, reason: 'must be a list of { "date", "name" }' });
      return [];
    }
    return days.map((d: unknown, i) => {
      const day = (d ?? {}) as Record<string, unknown>;
      if (typeof day.date !== 'string') issues.push({ field: `${field}[${i}].date`, reason: 'must be a date YYYY-MM-DD' });
      if (typeof day.name !== 'string') issues.push({ field: `${field}[${i}].name`, reason: 'must be the holiday name' });
      return { date: String(day.date ?? ''), name: String(day.name ?? '') };
    });
  };
  const holidays = list('holidays');
  const makeUpWorkdays = list('makeUpWorkdays');
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, calendar: normaliseHolidayYear({ year: o.year as number, holidays, makeUpWorkdays }) };
}

function fromCsv(text: string): HolidayFileResult {
  const { records, unterminatedAt } = parseCsv(text);
  if (unterminatedAt !== undefined) return { ok: false, issues: [{ field: `row ${unterminatedAt}`, reason: 'a quoted field is never closed (missing ")' }] };
  const [header, ...rows] = records;
  if (!header) return { ok: false, issues: [{ field: 'file', reason: 'is empty: expected a header row date,name,type (or 日期,名称,类型) and one row per day' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column = {} as Record<keyof typeof COLUMNS, number>;
  for (const [key, aliases] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, readonly string[]][]) {
    column[key] = names.findIndex((n) => aliases.includes(n));
    if (column[key] < 0) return { ok: false, issues: [{ field: 'header', reason: `has no ${aliases.join(' or ')} column (expected date,name,type or 日期,名称,类型)` }] };
  }
  const issues: PlanIssue[] = [];
  const calendar: HolidayYear = { year: NaN, holidays: [], makeUpWorkdays: [] };
  for (const { row, fields } of rows) {
    const cell = (key: keyof typeof COLUMNS) => (fields[column[key]] ?? '').trim();
    const date = cell('date').replaceAll('/', '-').replace(/^(\d{4})-(\d)-/, '$1-0$2-').replace(/-(\d)$/, '-0$1');
    const type = TYPES[cell('type').toLowerCase()];
    if (!DATE.test(date)) issues.push({ field: `row ${row} date`, reason: `"${cell('date')}" is not a date YYYY-MM-DD` });
    if (!type) issues.push({ field: `row ${row} type`, reason: `"${cell('type')}" is not holiday, makeup, 放假 or 调休上班` });
    if (!DATE.test(date)) continue;
    const year = Number(date.slice(0, 4));
    if (Number.isNaN(calendar.year)) calendar.year = year;
    else if (year !== calendar.year) issues.push({ field: `row ${row} date`, reason: `${date} is not in ${calendar.year}: one file holds one year` });
    if (!type || year !== calendar.year) continue;
    (type === 'holiday' ? calendar.holidays : calendar.makeUpWorkdays).push({ date, name: cell('name') });
  }
  if (issues.length > 0) return { ok: false, issues };
  if (Number.isNaN(calendar.year)) return { ok: false, issues: [{ field: 'file', reason: 'has no rows after the header' }] };
  return { ok: true, calendar: normaliseHolidayYear(calendar) };
}
