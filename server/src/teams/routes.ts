/**
 * The team registry over HTTP:
 *   GET /api/teams/:id     a team with members and grids: viewers (coordinators: own organisation)
 *   PATCH /api/teams/:id   call sign, members or grids: admin, dispatcher (any team), coordinator (own organisation's)
 * (GET /api/teams, every team with its latest position, is tracking's.)
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canManageOrganisation, TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { TeamChangeBody, TeamChangedSchema, TeamDetailSchema, TeamIdParams } from './schemas.ts';

const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * GET /api/teams/:id: a team with its members (their phones) and assigned grids. The map's
   * viewers; a coordinator only for its own organisation's teams (members' phones are personal).
   */
  app.get('/api/teams/:id', { config: { access: VIEWERS }, schema: { params: TeamIdParams, response: { 200: TeamDetailSchema } } }, async (request) => {
    const { id } = request.params;
    const team = await app.teams.get(id);
    if (!team) throw new HttpError(404, `no team with id ${id}`, 'params.id');
    const user = request.user!;
    if (user.role === 'coordinator' && user.organisationId !== team.organisationId) throw new HttpError(403, `team ${id} belongs to another organisation`, 'params.id');
    const status = (await app.teams.statuses()).get(id);
    return {
      team: { ...team, townshipId: team.townshipId ?? null, status: status?.status ?? 'off_duty', statusSince: status?.since ?? null },
    };
  });

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
      const team = await app.teams.get(id);
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
      await app.teams.save([next]);
      await app.auditRequest(request, { action: 'team_change', target: id, detail: change });
      return { team: next };
    },
  );
};
export default teamRoutes;
