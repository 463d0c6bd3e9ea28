/**
 * GET /api/incidents/export?state=&category=&townshipId=&from=&to=&q=&format=csv|xlsx&lang=zh|en
 * — the incident list, filtered as on the map's incident panel (`state=open`: all but resolved,
 * the panel's default), as a spreadsheet (at most
 * 10,000 rows, newest first): the map's viewers, coordinators their area only (the same rule as
 * GET /api/incidents). Audited: a file of residents' phone numbers leaves the system.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { VIEWERS } from '../access/roles.ts';
import { INCIDENT_STATES } from '@lianfang/geo';
import { StringEnum } from '../schemaKit.ts';
import { ListQuery } from './schemas.ts';
import { EXPORT_FORMATS, EXPORT_MEDIA, incidentsCsv, incidentsXlsx, incidentTable } from './export.ts';

const MAX_ROWS = 10_000;

export const ExportQuery = T.Composite([
  T.Omit(ListQuery, ['limit', 'state']),
  T.Object({
    state: T.Optional(StringEnum(['open', ...INCIDENT_STATES])),
    format: StringEnum(EXPORT_FORMATS),
    /** The file's words: Chinese (default) or English. */
    lang: T.Optional(StringEnum(['zh', 'en'])),
  }),
]);

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const file = { schema: T.String() };
  const response = { content: { [EXPORT_MEDIA.csv]: file, [EXPORT_MEDIA.xlsx]: { schema: T.Any() } } };
  app.get('/api/incidents/export', { config: { access: VIEWERS }, schema: { querystring: ExportQuery, response: { 200: response } } }, async (request, reply) => {
    const { format, lang = 'zh', state, ...rest } = request.query;
    const filter = { ...rest, ...(state && state !== 'open' ? { state } : {}) };
    const [listed, places, teams] = await Promise.all([app.incidents.list({ ...filter, limit: MAX_ROWS, viewer: request.user }), app.geography.places.current(), app.teams.assigned()]);
    const incidents = state === 'open' ? listed.filter((i) => i.state !== 'resolved') : listed;
    const table = incidentTable(
      incidents,
      {
        township: (id) => (id ? (places.townships.get(id)?.name ?? id) : null),
        grid: (id) => (id ? (places.grids.get(id)?.name ?? id) : null),
        team: (id) => (id ? (teams.get(id)?.callSign ?? id) : null),
      },
      lang,
    );
    await app.auditRequest(request, { action: 'export', target: 'incidents', detail: { format, rows: incidents.length, filter: { ...filter, ...(state ? { state } : {}) } } });
    const day = new Date(app.clock.now()).toISOString().slice(0, 10);
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `attachment; filename="incidents-${day}.${format}"`);
    if (format === 'csv') {
      reply.header('content-type', `${EXPORT_MEDIA.csv}; charset=utf-8`);
      return incidentsCsv(table, app.config.timeZone);
    }
    reply.header('content-type', EXPORT_MEDIA.xlsx);
    return incidentsXlsx(table, lang, app.config.timeZone);
  });
};

export default exportRoutes;
