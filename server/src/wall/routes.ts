/**
 * The leaders' wall:
 *   GET /api/wall/figures  viewers and wall displays (coordinators and township displays: their area's)
 */
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VIEWERS } from '../access/roles.ts';
import { WallFiguresSchema } from './schemas.ts';
import { wallFigures } from './figures.ts';

const wallRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/wall/figures', { config: { access: VIEWERS }, schema: { response: { 200: WallFiguresSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return wallFigures(app, request.user!);
  });
};

export default fp(wallRoutes, { name: 'wall', dependencies: ['access', 'scope', 'tracking', 'coverage', 'incidents', 'alerts', 'geography'] });
