/**
 * The calendar screen's rows: one per official date (a day off or a make-up working day), turned
 * into the API's body and back, and the server's refusals placed on the row and field they name
 * and put in the user's language. Plain functions, so unit tests need no browser.
 */
import type { HolidayDate, HolidayYear } from '@lianfang/geo';
import { isMessageKey, type MessageKey, type MessageParams } from '../i18n/messages';
import type { Problem } from '../problem';

export type DayType = 'holiday' | 'makeup';

export interface CalendarRow {
  /** Stable key for the list (rows are added and removed). */
  key: number;
  date: string;
  name: string;
  type: DayType;
}

let nextKey = 1;
export const newRow = (fields: Partial<Omit<CalendarRow, 'key'>> = {}): CalendarRow => ({ key: nextKey++, date: '', name: '', type: 'holiday', ...fields });

/** Rows of a year as the API answers it or a file held it, in date order. */
export function rowsOf(calendar: { holidays: readonly HolidayDate[]; makeUpWorkdays: readonly HolidayDate[] }): CalendarRow[] {
  return [
    ...calendar.holidays.map((d) => newRow({ date: d.date, name: d.name, type: 'holiday' })),
    ...calendar.makeUpWorkdays.map((d) => newRow({ date: d.date, name: d.name, type: 'makeup' })),
  ].sort((a, b) => a.date.localeCompare(b.date));
}

/** The PUT body, and for each list index the row it came from (to place the server's errors). */
export function bodyOf(year: number, rows: readonly CalendarRow[]): { body: HolidayYear; rowOf: Record<'holidays' | 'makeUpWorkdays', number[]> } {
  const body: HolidayYear = { year, holidays: [], makeUpWorkdays: [] };
  const rowOf = { holidays: [] as number[], makeUpWorkdays: [] as number[] };
  for (const row of rows) {
    const list = row.type === 'holiday' ? 'holidays' : 'makeUpWorkdays';
    body[list].push({ date: row.date.trim(), name: row.name.trim() });
    rowOf[list].push(row.key);
  }
  return { body, rowOf };
}

/** A refusal in the user's language, on a row's field or on the form. */
export interface PlacedError {
  rowKey: number | null;
  field: 'date' | 'name' | 'type' | null;
  message: { key: MessageKey; params?: MessageParams };
}

/**
 * Places a 400's `field` (`body.holidays[3].date` from our checks, `body.holidays.3.date` from
 * the schema) on its row with a message of ours (by the field and the kind of check that failed);
 * anything else is worded from the error's code.
 */
export function placeError(problem: (Problem & { message?: string }) | null, year: number, rowOf: Record<'holidays' | 'makeUpWorkdays', number[]>): PlacedError {
  const field = problem?.field ?? '';
  const text = problem?.message ?? '';
  const m = /^body\.(holidays|makeUpWorkdays)(?:\[(\d+)\]|\.(\d+))\.(date|name)$/.exec(field);
  if (m) {
    const rowKey = rowOf[m[1] as 'holidays' | 'makeUpWorkdays'][Number(m[2] ?? m[3])] ?? null;
    const prop = m[4] as 'date' | 'name';
    const key: MessageKey =
      prop === 'name' ? 'calendar.error.name' : /listed twice/.test(text) ? 'calendar.error.twice' : /must be a date in/.test(text) ? 'calendar.error.outsideYear' : 'calendar.error.date';
    return { rowKey, field: prop, message: { key, params: { year } } };
  }
  if (field === 'body.year') return { rowKey: null, field: null, message: { key: 'calendar.error.year' } };
  if (field === 'body.holidays') return { rowKey: null, field: null, message: { key: 'calendar.error.noHolidays' } };
  // Anything else in the user's words from its code, never the server's English.
  const code = `problem.${problem?.code ?? ''}`;
  return { rowKey: null, field: null, message: problem?.code && isMessageKey(code) ? { key: code, ...(problem.params ? { params: problem.params } : {}) } : { key: 'calendar.error.failed' } };
}
