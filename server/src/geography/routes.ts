/**
 * Geography routes: GeoJSON of the county, townships, grids and key locations (gzip + ETag,
 * revalidated on every load so an import shows at once), details, and name search.
 * Who may call: the map's viewers (admin, dispatcher, coordinator, leader).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T, type TSchema } from '@sinclair/typebox';
import type { CachedBody, GeographySnapshot } from './service.ts';
import { HttpError } from '../plugins/errors.ts';
import { VIEWERS } from '../access/roles.ts';
import { CountySchema, GeoIdParams, GridDetailSchema, GridsSchema, LocationDetailSchema, LocationsSchema, SearchQuery, SearchSchema, TownshipsSchema } from './schemas.ts';

function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody) {
  reply.header('etag', body.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === body.etag) return reply.status(304).send();
  reply.type('application/geo+json; charset=utf-8');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(body.gzip);
  }
  return reply.send(body.json);
}

const documents: Array<[string, keyof Pick<GeographySnapshot, 'county' | 'townships' | 'grids' | 'locations'>, TSchema]> = [
  ['/api/geo/county', 'county', CountySchema],
  ['/api/geo/townships', 'townships', TownshipsSchema],
  ['/api/geo/grids', 'grids', GridsSchema],
  ['/api/geo/locations', 'locations', LocationsSchema],
];

const geographyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Sent as the cached bytes (never re-serialised); the schemas describe them for the API document.
  for (const [url, name, schema] of documents) {
    const response = { 200: { content: { 'application/geo+json': { schema } } }, 304: T.Null() };
    app.get(url, { config: { access: VIEWERS }, schema: { response } }, async (request, reply) => sendCached(request, reply, (await app.geography.snapshot())[name]));
  }

  app.get('/api/geo/grids/:id', { config: { access: VIEWERS }, schema: { params: GeoIdParams, response: { 200: GridDetailSchema } } }, async (request) => {
    const { id } = request.params;
    const grid = (await app.geography.snapshot()).gridDetail(id);
    if (!grid) throw new HttpError(404, `no grid with id ${id}`, 'params.id');
    return grid;
  });

  app.get('/api/geo/locations/:id', { config: { access: VIEWERS }, schema: { params: GeoIdParams, response: { 200: LocationDetailSchema } } }, async (request) => {
    const { id } = request.params;
    const location = (await app.geography.snapshot()).locationDetail(id);
    if (!location) throw new HttpError(404, `no key location with id ${id}`, 'params.id');
    return location;
  });

  app.get(
    '/api/geo/search',
    {
      config: { access: VIEWERS },
      schema: {
        querystring: SearchQuery,
        response: { 200: SearchSchema },
      },
    },
    async (request) => {
      const { q, limit } = request.query;
      return { results: (await app.geography.snapshot()).search(q, limit) };
    },
  );
};
export default geographyRoutes;
