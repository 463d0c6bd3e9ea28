/**
 * The incident API for signed-in users (docs/api.md lists who may call each route):
 * viewers list and read, dispatchers and coordinators create, acknowledge and dispatch, patrols
 * step the incidents dispatched to their team, the command centre reopens. Coordinators act only
 * in their area (their organisation's township, incidents dispatched to their own teams).
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { disputeStats, type IncidentAction } from '@lianfang/geo';
import { VIEWERS, type Role } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import type { IncidentActor, StepBody } from './service.ts';
import { reportPoint } from './reportPoint.ts';
import {
  CreateBody,
  DispatchBody,
  DisputeStatsQuery,
  DisputeStatsSchema,
  EscalateBody,
  IdParams,
  IncidentActionSchema,
  IncidentSchema,
  IncidentsResponseSchema,
  ListQuery,
  NoteBody,
  IncidentResolveBody,
} from './schemas.ts';
import { withoutReporter } from './withoutReporter.ts';

/** Create: the command centre, coordinators, patrols (their own team's position by default). */
export const INCIDENT_REPORTERS: readonly Role[] = ['admin', 'dispatcher', 'coordinator', 'patrol'];
/** Acknowledge and dispatch: the command centre, coordinators (their area, their own teams). */
export const INCIDENT_DISPATCHERS: readonly Role[] = ['admin', 'dispatcher', 'coordinator'];
/** Accept, on scene, resolve: the dispatched team's patrol, or the command centre on its behalf. */
export const INCIDENT_RESPONDERS: readonly Role[] = ['admin', 'dispatcher', 'patrol'];
export const INCIDENT_ESCALATORS: readonly Role[] = ['admin', 'dispatcher', 'coordinator', 'patrol'];
export const INCIDENT_REOPENERS: readonly Role[] = ['admin', 'dispatcher'];

const DAY = 86_400_000;

const incidentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const actorOf = (request: FastifyRequest): IncidentActor => ({ kind: 'user', user: request.user! });

  app.get('/api/incidents', { config: { access: VIEWERS }, schema: { querystring: ListQuery, response: { 200: IncidentsResponseSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    // A wall display shows where and what, never who called: no reporter, and no search by one.
    const query = request.readOnly ? { ...request.query, q: undefined } : request.query;
    const incidents = await app.incidents.list({ ...query, viewer: request.user });
    return { incidents: request.readOnly ? incidents.map(withoutReporter) : incidents, at: app.clock.now() };
  });

  app.get('/api/incidents/:id', { config: { access: [...VIEWERS, 'patrol'] }, schema: { params: IdParams, response: { 200: IncidentSchema } } }, async (request, reply) => {
    const { id } = request.params;
    const s = await app.incidents.load(id);
    await app.incidents.checkVisible(request.user!, s);
    reply.header('cache-control', 'no-store');
    const view = app.incidents.toView(s);
    return request.readOnly ? withoutReporter(view) : view;
  });

  app.post(
    '/api/incidents',
    { config: { access: INCIDENT_REPORTERS }, schema: { body: CreateBody, response: { 200: IncidentActionSchema, 201: IncidentActionSchema } } },
    async (request, reply) => {
      const body = request.body;
      const user = request.user!;
      const point = await reportPoint(app, user.role === 'patrol' ? (user.teamId ?? undefined) : undefined, body, 'body.');
      const { incident, created } = await app.incidents.create({ ...body, ...point }, actorOf(request), user.role === 'patrol' ? 'patrol' : 'dispatcher');
      if (created) await app.auditRequest(request, { action: 'incident_create', target: `incident:${incident.id}`, detail: { category: incident.category, severity: incident.severity, reference: incident.reference } });
      reply.status(created ? 201 : 200);
      return { incident, changed: created };
    },
  );

  const step = (action: IncidentAction | 'acknowledge', access: readonly Role[], body: typeof NoteBody | typeof DispatchBody | typeof EscalateBody | typeof IncidentResolveBody) =>
    app.post(
      `/api/incidents/:id/${action}`,
      { config: { access }, schema: { params: IdParams, body, response: { 200: IncidentActionSchema } } },
      async (request) => {
        const { id } = request.params;
        const b: StepBody = request.body;
        const result = await app.incidents.step(id, action, actorOf(request), b);
        if (result.changed) {
          const detail: Record<string, unknown> = { state: result.incident.state };
          if (b.teamId) detail.teamId = b.teamId;
          if (b.reason) detail.reason = b.reason;
          if (b.note) detail.note = b.note;
          if (action === 'escalate' && result.incident.disputeLevel) detail.level = result.incident.disputeLevel;
          const mediation = result.incident.history[result.incident.history.length - 1]?.mediation;
          if (mediation) detail.mediation = { roomId: mediation.roomId, mediator: mediation.mediator, outcome: mediation.outcome };
          await app.auditRequest(request, { action: action === 'dispatch' ? 'dispatch' : action === 'acknowledge' ? 'acknowledge' : 'incident_step', target: `incident:${id}`, detail: { action, ...detail } });
        }
        return result;
      },
    );
  step('acknowledge', INCIDENT_DISPATCHERS, NoteBody);
  step('dispatch', INCIDENT_DISPATCHERS, DispatchBody);
  step('accept', INCIDENT_RESPONDERS, NoteBody);
  step('arrive', INCIDENT_RESPONDERS, NoteBody);
  step('resolve', INCIDENT_RESPONDERS, IncidentResolveBody);
  step('escalate', INCIDENT_ESCALATORS, EscalateBody);
  step('reopen', INCIDENT_REOPENERS, NoteBody);

  /** GET /api/disputes/stats?from=&to=&townshipId= — default the last 30 days; coordinators their area. */
  app.get('/api/disputes/stats', { config: { access: VIEWERS }, schema: { querystring: DisputeStatsQuery, response: { 200: DisputeStatsSchema } } }, async (request) => {
    const q = request.query;
    const to = q.to ?? app.clock.now() + 1;
    const from = q.from ?? to - 30 * DAY;
    if (from > to) throw new HttpError(400, 'querystring.from must not be after to', 'querystring.from');
    const user = request.user!;
    const area = await app.incidents.areaOf(user);
    const mine = (await app.incidents.createdBetween(0, to)).filter((s) => s.category === 'dispute' && (!q.townshipId || s.townshipId === q.townshipId) && area(s));
    return { from, to, rows: disputeStats(mine, { from, to }) };
  });
};

export default incidentRoutes;
