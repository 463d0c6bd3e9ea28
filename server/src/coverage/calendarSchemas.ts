/**
 * The holiday calendar API's shapes: a year's official holidays and make-up working days (the
 * built-in calendar's, or as an admin entered them), the body that enters a year (the same shape
 * GET answers; `nameEn`, `known` and the like are dropped), and the next-year warning.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { HOLIDAY_NAME_MAX, type HolidayYear } from '@lianfang/geo';
import { Nullable, StringEnum } from '../schemaKit.ts';

const Year = T.Integer({ minimum: 2000, maximum: 2100 });
const CalendarDay = T.Object({ date: T.String(), name: T.String(), nameEn: T.String() });

/** GET /api/coverage/calendar?year= : a year's holidays, whether it has any data, and where from. */
export const CalendarSchema = T.Object({
  year: T.Integer(),
  /** False when neither an admin nor the built-in calendar has the year: holiday periods are then not active. */
  known: T.Boolean(),
  /** `entered`: an admin's entry (it overrides the built-in calendar); `builtin`: chinese-days; null: no data. */
  source: Nullable(StringEnum(['builtin', 'entered'])),
  message: Nullable(T.String()),
  holidays: T.Array(CalendarDay),
  /** Official make-up working days (调休上班): ordinary working days for coverage. */
  makeUpWorkdays: T.Array(CalendarDay),
});
export type CalendarResponse = Static<typeof CalendarSchema>;
export const CalendarQuery = T.Object({ year: T.Optional(Year) });
export const CalendarYearParams = T.Object({ year: Year });

const EnteredDay = T.Object({
  date: T.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'local date YYYY-MM-DD' }),
  name: T.String({ minLength: 1, maxLength: HOLIDAY_NAME_MAX }),
});
/** PUT /api/coverage/calendar/:year */
export const CalendarBody = T.Object({
  year: Year,
  holidays: T.Array(EnteredDay, { minItems: 1, maxItems: 366 }),
  makeUpWorkdays: T.Optional(T.Array(EnteredDay, { maxItems: 366 })),
});
export type CalendarBody = Static<typeof CalendarBody>;

/** GET /api/coverage/calendar/status: what the command map warns about (from 1 October). */
export const CalendarStatusSchema = T.Object({
  warning: Nullable(T.Object({ code: StringEnum(['calendar_next_year_missing']), year: T.Integer(), message: T.String() })),
});
export type CalendarStatusResponse = Static<typeof CalendarStatusSchema>;

/* An entered day is geo's HolidayDate: a field added to one and not the other fails to compile here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const enteredMatches: Same<Static<typeof EnteredDay>, HolidayYear['holidays'][number]> = true;
void enteredMatches;
