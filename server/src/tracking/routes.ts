/**
 * GET /api/teams: every team with its latest position (the map's snapshot; live deltas follow
 * over Socket.IO). Who may call: the map's viewers (admin, dispatcher, coordinator, leader).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { Type as T, type Static } from '@sinclair/typebox';
import { canManageOrganisation, TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { MEMBER_ROLES } from '@lianfang/geo';
import { HttpError } from '../plugins/errors.ts';

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
      status: Type.Union(['off_duty', 'on_patrol', 'responding', 'offline'].map((s) => Type.Literal(s))),
      statusSince: NullableNumber,
    }),
  ),
  at: Type.Number(),
});

const Phone = T.String({ pattern: '^[0-9+ -]{3,20}$' });
const TeamChange = T.Object(
  {
    callSign: T.Optional(T.String({ minLength: 1, maxLength: 32 })),
    members: T.Optional(
      T.Array(
        T.Object({ name: T.String({ minLength: 1, maxLength: 32 }), phone: Phone, role: T.Union(MEMBER_ROLES.map((r) => T.Literal(r))), organisationId: T.Optional(T.String({ maxLength: 64 })) }),
        { maxItems: 50 },
      ),
    ),
    gridIds: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 })),
  },
  { minProperties: 1 },
);

const trackingRoutes: FastifyPluginAsync = async (app) => {
  /**
   * PATCH /api/teams/:id: change a team's call sign, members or grids.
   * Who may call: admin and dispatcher (any team), coordinator (own organisation's teams only).
   */
  app.patch(
    '/api/teams/:id',
    { config: { access: TEAM_MANAGERS }, schema: { params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }), body: TeamChange } },
    async (request) => {
      const { id } = request.params as { id: string };
      const change = request.body as Static<typeof TeamChange>;
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

  app.get('/api/teams', { config: { access: VIEWERS }, schema: { response: { 200: TeamsResponse } } }, async (_request, reply) => {
    const at = app.clock.now();
    reply.header('cache-control', 'no-store');
    return { teams: await app.tracking.teamViews(), at };
  });
};
export default trackingRoutes;
