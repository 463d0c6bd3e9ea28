/**
 * The patrol assignment (排班) API:
 *   GET    /api/assignments?teamId=&at=   viewers: shifts active at `at` (default now), or a team's current and coming shifts
 *   GET    /api/assignments?from=&to=&…   viewers (coordinators: their area): every shift overlapping the range (the roster's week)
 *   POST   /api/assignments               admin dispatcher coordinator(own teams): 201 created, 200 a retry of the same id
 *   POST   /api/assignments/bulk          same roles: a holiday's shifts for many teams, all or nothing; 201, 200 a retry
 *   PUT    /api/assignments/:id           same roles: edit times, places, handover note (not once ended)
 *   DELETE /api/assignments/:id           same roles: 204 removed, 404 none
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { placedTeam } from '../scope/rule.ts';
import { HttpError } from '../plugins/errors.ts';
import {
  AssignmentIdParams,
  AssignmentListQuery,
  AssignmentSchema,
  AssignmentsResponseSchema,
  BulkAssignmentsBody,
  BulkAssignmentsResponseSchema,
  BulkConflictsProblemSchema,
  CreateAssignmentBody,
  UpdateAssignmentBody,
} from './schemas.ts';
import { BulkConflictError } from './service.ts';

/** The longest range the roster may read at once. */
const MAX_RANGE_MS = 62 * 86_400_000;

const assignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/assignments',
    { config: { access: VIEWERS }, schema: { querystring: AssignmentListQuery, response: { 200: AssignmentsResponseSchema } } },
    async (request, reply) => {
      const q = request.query;
      reply.header('cache-control', 'no-store');
      if (q.from !== undefined || q.to !== undefined) {
        if (q.from === undefined) throw new HttpError(400, 'give from with to', 'querystring.from', { code: 'required' });
        if (q.to === undefined) throw new HttpError(400, 'give to with from', 'querystring.to', { code: 'required' });
        if (q.to <= q.from) throw new HttpError(400, 'to must be after from', 'querystring.to', { code: 'ends_before_start' });
        if (q.to - q.from > MAX_RANGE_MS) throw new HttpError(400, 'at most 62 days at a time', 'querystring.to', { code: 'too_big', params: { limit: 62 } });
        const user = request.user!;
        const [teams, inArea] = await Promise.all([app.teams.list(), app.scope.areaOf(user)]);
        const byId = new Map(teams.map((t) => [t.id, t]));
        const keep = (teamId: string): boolean => {
          const team = byId.get(teamId);
          if (!team) return user.role !== 'coordinator' && (q.teamId === undefined || q.teamId === teamId) && !q.townshipId && !q.organisationId && !q.agency;
          if (q.teamId !== undefined && team.id !== q.teamId) return false;
          if (q.townshipId !== undefined && team.townshipId !== q.townshipId) return false;
          if (q.organisationId !== undefined && team.organisationId !== q.organisationId) return false;
          if (q.agency !== undefined && team.agency !== q.agency) return false;
          return inArea(placedTeam(team));
        };
        return { assignments: await app.assignments.range(q.from, q.to, keep), at: app.clock.now() };
      }
      const at = q.at ?? app.clock.now();
      return { assignments: await app.assignments.list(at, q.teamId), at };
    },
  );

  app.post(
    '/api/assignments',
    { config: { access: TEAM_MANAGERS }, schema: { body: CreateAssignmentBody, response: { 200: AssignmentSchema, 201: AssignmentSchema } } },
    async (request, reply) => {
      const { assignment, created } = await app.assignments.create(request.body, request.user!);
      if (created) {
        await app.auditRequest(request, {
          action: 'assignment',
          target: `assignment:${assignment.id}`,
          detail: { op: 'create', teamId: assignment.teamId, gridIds: assignment.gridIds, locationIds: assignment.locationIds, from: assignment.from, to: assignment.to, note: assignment.note ?? null },
        });
      }
      reply.status(created ? 201 : 200);
      return assignment;
    },
  );

  app.post(
    '/api/assignments/bulk',
    {
      config: { access: TEAM_MANAGERS },
      schema: { body: BulkAssignmentsBody, response: { 200: BulkAssignmentsResponseSchema, 201: BulkAssignmentsResponseSchema, 409: BulkConflictsProblemSchema } },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const { assignments, created, existing, days } = await app.assignments.bulk(body, request.user!);
        if (created > 0) {
          await app.auditRequest(request, {
            action: 'assignment',
            target: `assignment-batch:${body.id}`,
            detail: { op: 'bulk', batch: body.id, teamIds: body.teamIds, days, shifts: body.shifts, gridIds: body.gridIds ?? null, locationIds: body.locationIds ?? null, note: body.note ?? null, created },
          });
        }
        reply.status(created > 0 ? 201 : 200);
        return { batch: body.id, created, existing, assignments };
      } catch (err) {
        if (!(err instanceof BulkConflictError)) throw err;
        return reply.status(409).send({ statusCode: 409, error: 'Conflict', code: 'bulk_conflicts', message: err.message, field: 'body.teamIds', params: { count: err.conflicts.length }, conflicts: err.conflicts });
      }
    },
  );

  app.put(
    '/api/assignments/:id',
    { config: { access: TEAM_MANAGERS }, schema: { params: AssignmentIdParams, body: UpdateAssignmentBody, response: { 200: AssignmentSchema } } },
    async (request) => {
      const { before, after } = await app.assignments.update(request.params.id, request.body, request.user!);
      const view = (a: typeof before) => ({ gridIds: a.gridIds, locationIds: a.locationIds, from: a.from, to: a.to, note: a.note ?? null });
      await app.auditRequest(request, { action: 'assignment', target: `assignment:${after.id}`, detail: { op: 'update', teamId: after.teamId, before: view(before), after: view(after) } });
      return after;
    },
  );

  app.delete('/api/assignments/:id', { config: { access: TEAM_MANAGERS }, schema: { params: AssignmentIdParams, response: { 204: T.Null() } } }, async (request, reply) => {
    const { id } = request.params;
    const removed = await app.assignments.remove(id, request.user!);
    await app.auditRequest(request, { action: 'assignment', target: `assignment:${id}`, detail: { op: 'delete', teamId: removed.teamId, from: removed.from, to: removed.to } });
    return reply.status(204).send(null);
  });
};

export default assignmentRoutes;
