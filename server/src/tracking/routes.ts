/**
 * GET /api/teams: every team with its latest position (the map's snapshot; live deltas follow
 * over Socket.IO). Who may call: the map's viewers (admin, dispatcher, coordinator, leader).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canManageOrganisation, TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { TeamChangeBody, TeamChangedSchema, TeamIdParams, TeamsResponseSchema } from '../teams/schemas.ts';

const trackingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * PATCH /api/teams/:id: change a team's call sign, members or grids.
   * Who may call: admin and dispatcher (any team), coordinator (own organisation's teams only).
   */
  app.patch(
    '/api/teams/:id',
    { config: { access: TEAM_MANAGERS }, schema: { params: TeamIdParams, body: TeamChangeBody, response: { 200: TeamChangedSchema } } },
    async (request) => {
      const { id } = request.params;
      const change = request.body;
      const team = await app.tracking.store.getTeam(id);
      if (!team) throw new HttpError(404, `no team with id ${id}`, 'params.id');
      if (!canManageOrganisation(request.user!, team.organisationId)) {
        throw new HttpError(403, `team ${id} belongs to another organisation`, 'params.id');
      }
      if (change.gridIds) {
        const { raw } = await app.geography.snapshot();
        const known = new Set(raw.grids.map((g) => g.id));
        const unknown = change.gridIds.find((g) => !known.has(g));
        if (unknown) throw new HttpError(400, `no grid with id ${unknown}`, 'body.gridIds');
      }
      const next = { ...team, ...change };
      await app.tracking.store.saveTeams([next]);
      await app.auditRequest(request, { action: 'team_change', target: id, detail: change });
      return { team: next };
    },
  );

  app.get('/api/teams', { config: { access: VIEWERS }, schema: { response: { 200: TeamsResponseSchema } } }, async (_request, reply) => {
    const at = app.clock.now();
    reply.header('cache-control', 'no-store');
    return { teams: await app.tracking.teamViews(), at };
  });
};
export default trackingRoutes;
