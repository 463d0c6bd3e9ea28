/**
 * GET /api/reports/assessment?from=&to=&groupBy=&format=json|csv|xlsx — the assessment report
 * over county days `from`..`to` (at most a year), grouped, filtered for drill-down. Leaders,
 * dispatchers and admins see the county; a coordinator only their organisation's teams (and the
 * key locations in their grids). Files are audited as `export`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { queryPeriod } from './period.ts';
import { AssessmentQuery, AssessmentReportSchema, type AssessmentReport } from './schemas.ts';
import { assessmentRows, DRILL, previousPeriod, readFigures, type ReportFilter } from './report.ts';
import { REPORT_MEDIA, reportCsv, reportXlsx } from './export.ts';
import { reportContext } from './context.ts';

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const context = () => reportContext(app);

  const file = { schema: T.String() };
  app.get(
    '/api/reports/assessment',
    {
      config: { access: VIEWERS },
      schema: {
        querystring: AssessmentQuery,
        response: { 200: { content: { 'application/json': { schema: AssessmentReportSchema }, [REPORT_MEDIA.csv]: file, [REPORT_MEDIA.xlsx]: { schema: T.Any() } } } },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const user = request.user!;
      queryPeriod(q);
      const filter: ReportFilter = { township: q.township, organisation: q.organisation, agency: q.agency, team: q.team };
      if (user.role === 'coordinator') {
        if (!user.organisationId) throw new HttpError(403, 'you belong to no organisation', undefined, { code: 'forbidden' });
        if (q.organisation && q.organisation !== user.organisationId) throw new HttpError(403, `organisation ${q.organisation} is not yours`, 'querystring.organisation', { code: 'forbidden' });
        filter.organisation = user.organisationId;
      }
      const ctx = await context();
      const report = async (from: string, to: string) => assessmentRows(await readFigures(app.redis, app.keys, from, to), q.groupBy, filter, ctx);
      const now = report(q.from, q.to);
      const prev = q.compare === 'previous' ? previousPeriod(q.from, q.to) : undefined;
      const before = prev ? report(prev.from, prev.to) : undefined;
      const { rows, total } = await now;
      const drill = DRILL[q.groupBy];
      const body: AssessmentReport = {
        from: q.from,
        to: q.to,
        groupBy: q.groupBy,
        county: ctx.county,
        filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
        drill: drill ? { groupBy: drill.to, param: drill.param } : null,
        rows,
        total,
        ...(prev && before ? { previous: { ...prev, ...(await before) } } : {}),
        at: app.clock.now(),
      };
      const format = q.format ?? 'json';
      if (format === 'json') return body;
      const lang = q.lang ?? 'zh';
      await app.auditRequest(request, { action: 'export', target: 'assessment', detail: { format, from: q.from, to: q.to, groupBy: q.groupBy, filter: body.filter, rows: rows.length } });
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="assessment-${q.from}-${q.to}-${q.groupBy}.${format}"`);
      if (format === 'csv') {
        reply.header('content-type', `${REPORT_MEDIA.csv}; charset=utf-8`);
        return reportCsv(body, lang);
      }
      reply.header('content-type', REPORT_MEDIA.xlsx);
      return reportXlsx(body, lang);
    },
  );
};

export default reportRoutes;
