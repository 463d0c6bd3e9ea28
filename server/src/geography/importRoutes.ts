/**
 * Admin import endpoints, same validation as `npm run import`:
 *   POST /api/admin/import/grids?crs=wgs84|gcj02|bd09&replace=false      GeoJSON FeatureCollection
 *   POST /api/admin/import/locations?crs=…&replace=false                 GeoJSON, or CSV (text/csv)
 * Who may call: admin. The body (up to 60 MB) is kept as raw text here and parsed in a worker.
 * 200 { imported, townshipsCreated, warnings }; 400 { message, errors: [{ index, id, field, reason }] }
 * and nothing written when any feature is bad.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '../plugins/errorSchema.ts';
import { ADMINS } from '../access/roles.ts';
import { createImporter, type ImportOutcome } from './importer.ts';

export const IMPORT_BODY_LIMIT = 60 * 1024 * 1024;

const Query = Type.Object({
  crs: Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02'), Type.Literal('bd09')], { default: 'wgs84' }),
  replace: Type.Boolean({ default: false }),
});
/** 200: what was imported. */
/** One problem with a feature (index -1: the file itself). */
const Issue = Type.Object({ index: Type.Integer(), id: Type.Optional(Type.String()), field: Type.Optional(Type.String()), reason: Type.String() });
const Imported = Type.Object({
  imported: Type.Integer(),
  /** Names of the townships the import created. */
  townshipsCreated: Type.Array(Type.String()),
  warnings: Type.Array(Issue),
});
/** 400 when any feature is bad (`errors`; nothing was written), or the query is. */
const Rejected = Type.Composite([ErrorSchema, Type.Object({ errors: Type.Optional(Type.Array(Issue)) })]);

const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Encapsulated: only these routes take their body as raw text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/geo+json', 'text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  const importer = createImporter(app.geography.store);

  async function answer(request: FastifyRequest, reply: FastifyReply, kind: 'grids' | 'locations', outcome: ImportOutcome) {
    if (!outcome.ok) {
      const shown = outcome.errors.slice(0, 200);
      return reply.status(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: `${outcome.errors.length} problem(s) in the file; nothing was imported. First: ${describe(shown[0])}`,
        field: 'body',
        code: 'import_rejected',
        params: { count: outcome.errors.length },
        errors: shown,
      });
    }
    await app.auditRequest(request, { action: 'import', target: kind, detail: { imported: outcome.imported, townshipsCreated: outcome.townshipsCreated, version: outcome.version } });
    return { imported: outcome.imported, townshipsCreated: outcome.townshipsCreated, warnings: outcome.warnings.slice(0, 200) };
  }

  const options = { config: { access: ADMINS }, bodyLimit: IMPORT_BODY_LIMIT, schema: { querystring: Query, response: { 200: Imported, 400: Rejected } } };

  app.post('/api/admin/import/grids', options, async (request, reply) => {
        return answer(request, reply, 'grids', await importer.importGrids(String(request.body ?? ''), request.query));
  });

  app.post('/api/admin/import/locations', options, async (request, reply) => {
        const csv = String(request.headers['content-type'] ?? '').startsWith('text/csv');
    return answer(request, reply, 'locations', await importer.importLocations(String(request.body ?? ''), csv ? 'csv' : 'geojson', request.query));
  });
};

export function describe(issue: { index: number; id?: string; field?: string; reason: string } | undefined): string {
  if (!issue) return '';
  const where = issue.index < 0 ? 'file' : `feature ${issue.index}${issue.id ? ` (id ${issue.id})` : ''}`;
  return `${where}${issue.field ? `, ${issue.field}` : ''}: ${issue.reason}`;
}

export default importRoutes;
