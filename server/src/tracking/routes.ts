/**
 * GET /api/teams: every team with its latest position (the map's snapshot; live deltas follow
 * over Socket.IO). Who may call: the map's viewers (admin, dispatcher, coordinator, leader).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VIEWERS } from '../access/roles.ts';
import { TeamsResponseSchema } from '../teams/schemas.ts';

const trackingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/teams', { config: { access: VIEWERS }, schema: { response: { 200: TeamsResponseSchema } } }, async (_request, reply) => {
    const at = app.clock.now();
    reply.header('cache-control', 'no-store');
    return { teams: await app.tracking.teamViews(), at };
  });
};
export default trackingRoutes;
