/**
 * The team registry over HTTP:
 *   GET /api/teams/:id     a team with members and grids: viewers (coordinators: own organisation)
 *   POST /api/teams        a new team: admin, dispatcher (any organisation), coordinator (own organisation)
 *   PATCH /api/teams/:id   call sign, members or grids: admin, dispatcher (any team), coordinator (own organisation's)
 *   GET /api/organisations the organisations teams belong to, by name: viewers
 *   GET /api/roster/teams  every team with its grids and member count, members where the caller may see them: viewers
 * (GET /api/teams, every team with its latest position, is tracking's.)
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canManageOrganisation, TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { NewTeamBody, OrganisationsSchema, RosterSchema, TeamChangeBody, TeamChangedSchema, TeamDetailSchema, TeamIdParams } from './schemas.ts';
import type { SaveTeamResult } from './teamScripts.ts';

/** A refused save as the error the manager sees: the call sign (or id) is another team's. */
function refusal(result: Exclude<SaveTeamResult, { outcome: 'ok' | 'same' }>, callSign: string): HttpError {
  if (result.outcome === 'id_taken') return new HttpError(409, `a different team already has id ${result.id}`, 'body.id', { code: 'team_id_taken', params: { id: result.id } });
  return new HttpError(409, `call sign ${callSign} is taken by team ${result.otherId}`, 'body.callSign', { code: 'call_sign_taken', params: { callSign } });
}

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
      if (change.gridIds) await checkGrids(change.gridIds);
      if (change.callSign !== undefined) change.callSign = change.callSign.trim();
      const next = { ...team, ...change };
      const saved = await app.teams.replace(next);
      if (saved.outcome !== 'ok' && saved.outcome !== 'same') throw refusal(saved, next.callSign);
      await app.auditRequest(request, { action: 'team_change', target: id, detail: change });
      return { team: saved.team };
    },
  );

  /**
   * POST /api/teams: a new team, with its members and standing grids. Its township is its
   * organisation's, else its first grid's. A retry with the same id and content answers 200 and
   * changes nothing; the same id with other content, or a call sign another team has, is a 409.
   * Who may call: admin and dispatcher (any organisation), coordinator (own organisation only).
   */
  app.post(
    '/api/teams',
    { config: { access: TEAM_MANAGERS }, schema: { body: NewTeamBody, response: { 200: TeamChangedSchema, 201: TeamChangedSchema } } },
    async (request, reply) => {
      const body = request.body;
      if (!canManageOrganisation(request.user!, body.organisationId)) {
        throw new HttpError(403, `you may create teams of your own organisation only, not ${body.organisationId}`, 'body.organisationId', { code: 'other_organisation' });
      }
      const places = await app.geography.places.current();
      const organisation = places.organisations.get(body.organisationId);
      if (!organisation) throw new HttpError(400, `no organisation with id ${body.organisationId}`, 'body.organisationId', { code: 'unknown_organisation' });
      const gridIds = body.gridIds ?? [];
      const grids = await checkGrids(gridIds);
      const townshipId = organisation.townshipId ?? grids.get(gridIds[0] ?? '');
      const callSign = body.callSign.trim();
      const team = {
        ...(body.id ? { id: body.id } : {}),
        callSign,
        agency: body.agency,
        organisationId: body.organisationId,
        ...(townshipId ? { townshipId } : {}),
        members: (body.members ?? []).map((m) => ({ ...m, name: m.name.trim() })),
        gridIds,
      };
      const saved = await app.teams.create(team);
      if (saved.outcome === 'same') return reply.status(200).send({ team: saved.team });
      if (saved.outcome !== 'ok') throw refusal(saved, callSign);
      await app.auditRequest(request, { action: 'team_create', target: saved.team.id, detail: { ...team, id: saved.team.id } });
      return reply.status(201).send({ team: saved.team });
    },
  );

  /** GET /api/organisations: who teams belong to (police stations, security companies …), by name. */
  app.get('/api/organisations', { config: { access: VIEWERS }, schema: { response: { 200: OrganisationsSchema } } }, async () => {
    const places = await app.geography.places.current();
    return { organisations: [...places.organisations.values()].map((o) => ({ id: o.id, name: o.name, kind: o.kind, townshipId: o.townshipId ?? null })) };
  });

  /**
   * GET /api/roster/teams: the team screen's list. Every viewer sees every team's call sign,
   * organisation, grids and member count; members' names and phones only where GET
   * /api/teams/:id would show them (a coordinator: its own organisation's teams).
   */
  app.get('/api/roster/teams', { config: { access: VIEWERS }, schema: { response: { 200: RosterSchema } } }, async (request) => {
    const user = request.user!;
    const [teams, statuses] = await Promise.all([app.teams.list(), app.teams.statuses()]);
    return {
      teams: teams.map((team) => ({
        id: team.id,
        callSign: team.callSign,
        agency: team.agency,
        organisationId: team.organisationId,
        townshipId: team.townshipId ?? null,
        gridIds: team.gridIds,
        memberCount: team.members.length,
        members: user.role !== 'coordinator' || user.organisationId === team.organisationId ? team.members : null,
        status: statuses.get(team.id)?.status ?? 'off_duty',
      })),
    };
  });

  /** Refuses grids the county does not have (naming body.gridIds); answers each grid's township. */
  async function checkGrids(gridIds: readonly string[]): Promise<Map<string, string>> {
    const { raw } = await app.geography.snapshot();
    const known = new Map(raw.grids.map((g) => [g.id, g.townshipId]));
    const unknown = gridIds.find((g) => !known.has(g));
    if (unknown) throw new HttpError(400, `no grid with id ${unknown}`, 'body.gridIds', { code: 'unknown_grid', params: { id: unknown } });
    return known;
  }
};
export default teamRoutes;
