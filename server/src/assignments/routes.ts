/**
 * The patrol assignment (排班) API:
 *   GET    /api/assignments?teamId=&at=   viewers: shifts active at `at` (default now), or a team's current and coming shifts
 *   POST   /api/assignments               admin dispatcher coordinator(own teams): 201 created, 200 a retry of the same id
 *   DELETE /api/assignments/:id           same roles: 204 removed, 404 none
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { AssignmentIdParams, AssignmentListQuery, AssignmentSchema, AssignmentsResponseSchema, CreateAssignmentBody } from './schemas.ts';

const assignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/assignments',
    { config: { access: VIEWERS }, schema: { querystring: AssignmentListQuery, response: { 200: AssignmentsResponseSchema } } },
    async (request, reply) => {
      const q = request.query;
      const at = q.at ?? app.clock.now();
      reply.header('cache-control', 'no-store');
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
          detail: { op: 'create', teamId: assignment.teamId, gridIds: assignment.gridIds, locationIds: assignment.locationIds, from: assignment.from, to: assignment.to },
        });
      }
      reply.status(created ? 201 : 200);
      return assignment;
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
