/**
 * The holiday calendar's API: a year's official holidays and make-up working days, entering a
 * year's arrangement (it overrides the built-in calendar for that year) and going back to the
 * built-in one, and the next-year warning of the command map. Who may call: the map's viewers
 * read a year; admins and dispatchers read the warning; admins change. Every change is audited
 * (`config_change`, target `calendar:<year>`) and recomputed before it is answered; other
 * processes see the plan version move and recompute on their next tick.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { enteredHolidayCalendar, localParts } from '@lianfang/geo';
import { ADMINS, VIEWERS, type Role } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { calendarView, calendarWarning, enterHolidayYear } from './calendar.ts';
import { CalendarBody, CalendarQuery, CalendarSchema, CalendarStatusSchema, CalendarYearParams } from './calendarSchemas.ts';

/** Those the missing-calendar warning is for: the ones who run the map day to day. */
const WARNED: readonly Role[] = ['admin', 'dispatcher'];

const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = app.coverage.store;
  const tz = app.config.timeZone;

  /** GET /api/coverage/calendar?year= (default this year, local): the year's official days and where they come from. */
  app.get('/api/coverage/calendar', { config: { access: VIEWERS }, schema: { querystring: CalendarQuery, response: { 200: CalendarSchema } } }, async (request) => {
    const year = request.query.year ?? localParts(app.clock.now(), tz).year;
    return calendarView(year, await store.calendars());
  });

  /** GET /api/coverage/calendar/status: from 1 October, a warning while next year has no holidays. */
  app.get('/api/coverage/calendar/status', { config: { access: WARNED }, schema: { response: { 200: CalendarStatusSchema } } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { warning: calendarWarning(app.clock.now(), tz, enteredHolidayCalendar(await store.calendars())) };
  });

  /** PUT /api/coverage/calendar/:year { year, holidays, makeUpWorkdays }: enters (or replaces) a year's arrangement. */
  app.put(
    '/api/coverage/calendar/:year',
    { config: { access: ADMINS }, schema: { params: CalendarYearParams, body: CalendarBody, response: { 200: CalendarSchema } } },
    async (request) => {
      const { year } = request.params;
      if (request.body.year !== year) throw new HttpError(400, `body.year must be ${year}, the year in the address`, 'body.year');
      const outcome = await enterHolidayYear(store, request.body);
      if (!outcome.ok) {
        const issue = outcome.issues[0]!;
        throw new HttpError(400, `body.${issue.field} ${issue.reason}`, `body.${issue.field}`);
      }
      const { calendar, replaced } = outcome;
      await app.auditRequest(request, {
        action: 'config_change',
        target: `calendar:${year}`,
        detail: { [replaced ? 'replaced' : 'entered']: { holidays: calendar.holidays.length, makeUpWorkdays: calendar.makeUpWorkdays.length } },
      });
      await app.coverage.engine.recompute();
      return calendarView(year, [calendar]);
    },
  );

  /** DELETE /api/coverage/calendar/:year: forgets the entered year; the built-in calendar (if it has the year) holds again. */
  app.delete('/api/coverage/calendar/:year', { config: { access: ADMINS }, schema: { params: CalendarYearParams, response: { 200: CalendarSchema } } }, async (request) => {
    const { year } = request.params;
    if (!(await store.calendars()).some((y) => y.year === year)) throw new HttpError(404, `${year} has no entered holidays (it uses the built-in calendar)`, 'params.year');
    await store.writeCalendar(year, null);
    await app.auditRequest(request, { action: 'config_change', target: `calendar:${year}`, detail: { deleted: year } });
    await app.coverage.engine.recompute();
    return calendarView(year, []);
  });
};

export default calendarRoutes;
