/**
 * The patrol assignment (排班) API:
 *   GET    /api/assignments?teamId=&at=   viewers: shifts active at `at` (default now), or a team's current and coming shifts
 *   POST   /api/assignments               admin dispatcher coordinator(own teams): 201 created, 200 a retry of the same id
 *   DELETE /api/assignments/:id           same roles: 204 removed, 404 none
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type as T, type Static } from '@sinclair/typebox';
import { TEAM_MANAGERS, VIEWERS } from '../access/roles.ts';
import { ClientId } from '../incidents/schemas.ts';

const Id = T.String({ minLength: 1, maxLength: 64 });
const Time = T.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });
export const AssignmentSchema = T.Object({
  id: T.String(),
  teamId: T.String(),
  gridIds: T.Array(T.String()),
  locationIds: T.Array(T.String()),
  from: T.Number(),
  to: T.Number(),
  by: T.String(),
  createdAt: T.Number(),
});
const CreateBody = T.Object({
  id: ClientId,
  teamId: Id,
  gridIds: T.Array(Id, { maxItems: 200, default: [] }),
  locationIds: T.Array(Id, { maxItems: 500, default: [] }),
  from: Time,
  to: Time,
});
const ListQuery = T.Object({ teamId: T.Optional(Id), at: T.Optional(Time) });

const assignmentRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/assignments',
    { config: { access: VIEWERS }, schema: { querystring: ListQuery, response: { 200: T.Object({ assignments: T.Array(AssignmentSchema), at: T.Number() }) } } },
    async (request, reply) => {
      const q = request.query as Static<typeof ListQuery>;
      const at = q.at ?? app.clock.now();
      reply.header('cache-control', 'no-store');
      return { assignments: await app.assignments.list(at, q.teamId), at };
    },
  );

  app.post(
    '/api/assignments',
    { config: { access: TEAM_MANAGERS }, schema: { body: CreateBody, response: { 200: AssignmentSchema, 201: AssignmentSchema } } },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBody>;
      const { assignment, created } = await app.assignments.create(body, request.user!);
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

  app.delete('/api/assignments/:id', { config: { access: TEAM_MANAGERS }, schema: { params: T.Object({ id: Id }), response: { 204: T.Null() } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const removed = await app.assignments.remove(id, request.user!);
    await app.auditRequest(request, { action: 'assignment', target: `assignment:${id}`, detail: { op: 'delete', teamId: removed.teamId, from: removed.from, to: removed.to } });
    return reply.status(204).send();
  });
};

export default assignmentRoutes;
