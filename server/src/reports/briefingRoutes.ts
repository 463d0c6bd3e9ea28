/**
 * GET /api/reports/briefing?day=YYYY-MM-DD — the daily briefing (日报) of a county day: the one
 * the morning run stored, or compiled now for a day not produced yet (today: so far). It is
 * county-wide, so only those whose scope is the county read it: admins, dispatchers, leaders;
 * a coordinator (scope: their organisation) is refused.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { localDate, parseDate } from '@lianfang/geo';
import { VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { areaOfUser } from '../scope/rule.ts';
import { BriefingQuery, BriefingSchema } from './briefingSchemas.ts';
import { MAX_DAYS, periodDays } from './report.ts';

const briefingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/reports/briefing',
    { config: { access: VIEWERS }, schema: { querystring: BriefingQuery, response: { 200: BriefingSchema } } },
    async (request) => {
      const user = request.user!;
      if (areaOfUser(user, undefined).kind !== 'county') throw new HttpError(403, 'the daily briefing is county-wide: your scope is your organisation', undefined, { code: 'forbidden' });
      const day = request.query.day;
      try {
        parseDate(day);
      } catch {
        throw new HttpError(400, 'querystring.day is not a day (YYYY-MM-DD)', 'querystring.day', { code: 'bad_format' });
      }
      const now = app.clock.now();
      const today = localDate(now, app.config.timeZone);
      if (periodDays(day, today) < 1) throw new HttpError(400, 'querystring.day is in the future', 'querystring.day', { code: 'invalid' });
      if (periodDays(day, today) > MAX_DAYS) throw new HttpError(400, `a briefing goes back at most ${MAX_DAYS} days`, 'querystring.day', { code: 'too_big', params: { limit: MAX_DAYS } });
      return app.reports.briefings.get(day, now);
    },
  );
};

export default briefingRoutes;
