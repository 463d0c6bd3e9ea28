/**
 * GET /api/teams: every team with its latest position (the map's snapshot; live deltas follow
 * over Socket.IO). Who may call: everyone who can open the map (narrowed by the Access issue).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const TeamsResponse = Type.Object({
  teams: Type.Array(
    Type.Object({
      id: Type.String(),
      callSign: Type.String(),
      agency: Type.String(),
      organisationId: Type.String(),
      townshipId: Type.Union([Type.String(), Type.Null()]),
      lon: NullableNumber,
      lat: NullableNumber,
      time: NullableNumber,
      heading: NullableNumber,
      speed: NullableNumber,
    }),
  ),
  at: Type.Number(),
});

const trackingRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/teams', { schema: { response: { 200: TeamsResponse } } }, async (_request, reply) => {
    const at = app.clock.now();
    reply.header('cache-control', 'no-store');
    return { teams: await app.tracking.teamViews(), at };
  });
};
export default trackingRoutes;
