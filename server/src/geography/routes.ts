/**
 * Geography routes: GeoJSON of the county, townships, grids and key locations (gzip + ETag,
 * revalidated on every load so an import shows at once), details, and name search.
 * Who may call: the map's viewers (admin, dispatcher, coordinator, leader).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { CachedBody, GeographySnapshot } from './service.ts';
import { HttpError } from '../plugins/errors.ts';
import { VIEWERS } from '../access/roles.ts';

function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody) {
  reply.header('etag', body.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === body.etag) return reply.status(304).send();
  reply.type('application/geo+json; charset=utf-8');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(body.gzip);
  }
  return reply.send(body.json);
}

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }) });
const Contact = Type.Object({ name: Type.String(), phone: Type.String() });
const BBox = Type.Union([Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]), Type.Null()]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const GridDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  townshipId: Type.String(),
  townshipName: Type.String(),
  villageId: Nullable(Type.String()),
  villageName: Nullable(Type.String()),
  key: Type.Boolean(),
  colour: Type.Integer(),
  leader: Type.Union([Contact, Type.Null()]),
  workers: Type.Array(Contact),
  locationCount: Type.Integer(),
});
const LocationDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  category: Type.String(),
  priority: Type.Integer(),
  radius: Type.Number(),
  gridId: Nullable(Type.String()),
  townshipId: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  gridName: Nullable(Type.String()),
  townshipName: Nullable(Type.String()),
  address: Nullable(Type.String()),
  openingHours: Nullable(Type.String()),
});
const SearchResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      kind: Type.String(),
      id: Type.String(),
      name: Type.String(),
      context: Type.String(),
      lon: Type.Number(),
      lat: Type.Number(),
      bbox: BBox,
    }),
  ),
});

const documents: Array<[string, keyof Pick<GeographySnapshot, 'county' | 'townships' | 'grids' | 'locations'>]> = [
  ['/api/geo/county', 'county'],
  ['/api/geo/townships', 'townships'],
  ['/api/geo/grids', 'grids'],
  ['/api/geo/locations', 'locations'],
];

const geographyRoutes: FastifyPluginAsync = async (app) => {
  for (const [url, name] of documents) {
    app.get(url, { config: { access: VIEWERS } }, async (request, reply) => sendCached(request, reply, (await app.geography.snapshot())[name]));
  }

  app.get('/api/geo/grids/:id', { config: { access: VIEWERS }, schema: { params: Id, response: { 200: GridDetail } } }, async (request) => {
    const { id } = request.params as { id: string };
    const grid = (await app.geography.snapshot()).gridDetail(id);
    if (!grid) throw new HttpError(404, `no grid with id ${id}`, 'params.id');
    return grid;
  });

  app.get('/api/geo/locations/:id', { config: { access: VIEWERS }, schema: { params: Id, response: { 200: LocationDetail } } }, async (request) => {
    const { id } = request.params as { id: string };
    const location = (await app.geography.snapshot()).locationDetail(id);
    if (!location) throw new HttpError(404, `no key location with id ${id}`, 'params.id');
    return location;
  });

  app.get(
    '/api/geo/search',
    {
      config: { access: VIEWERS },
      schema: {
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 64 }),
          limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
        }),
        response: { 200: SearchResponse },
      },
    },
    async (request) => {
      const { q, limit } = request.query as { q: string; limit: number };
      return { results: (await app.geography.snapshot()).search(q, limit) };
    },
  );
};
export default geographyRoutes;
