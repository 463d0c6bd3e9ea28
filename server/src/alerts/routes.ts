/**
 * The alert panel's API. Who may call: the map's viewers list and read; dispatchers (and
 * admins) acknowledge and resolve any alert; coordinators acknowledge alerts in their area
 * (their organisation's township, or their own teams); leaders see, change nothing; a patrol
 * account raises an SOS for its own team.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type as T, type Static } from '@sinclair/typebox';
import { VIEWERS, type Role } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { ALERT_KINDS, type AlertFilter } from './service.ts';
import { raiseSos, SosBody, type SosRequest } from './sos.ts';
import { AlertActionSchema, AlertLogSchema, AlertSchema, AlertsResponseSchema } from './schemas.ts';

/** Acknowledge (确认): dispatchers and admins any alert, coordinators those in their area. */
export const ALERT_ACKNOWLEDGERS: readonly Role[] = ['admin', 'dispatcher', 'coordinator'];
/** Resolve by hand: the command centre. */
export const ALERT_RESOLVERS: readonly Role[] = ['admin', 'dispatcher'];

const Id = T.String({ minLength: 1, maxLength: 64 });
const Note = T.String({ maxLength: 500 });
const ListQuery = T.Object({
  state: T.Optional(T.Union([T.Literal('open'), T.Literal('resolved'), T.Literal('all')])),
  kind: T.Optional(T.Union(ALERT_KINDS.map((k) => T.Literal(k)))),
  level: T.Optional(T.Union([T.Literal(1), T.Literal(2)])),
  townshipId: T.Optional(Id),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 5000 })),
});
const AckBody = T.Object({ note: T.Optional(Note) });
const ResolveBody = T.Object({ reason: T.String({ minLength: 1, maxLength: 200 }), note: T.Optional(Note) });

const alertRoutes: FastifyPluginAsync = async (app) => {
  /** GET /api/alerts?state=open|resolved|all&kind=&level=&townshipId=&limit= — most urgent first. */
  app.get('/api/alerts', { config: { access: VIEWERS }, schema: { querystring: ListQuery, response: { 200: AlertsResponseSchema } } }, async (request, reply) => {
    const q = request.query as Static<typeof ListQuery>;
    reply.header('cache-control', 'no-store');
    return { alerts: await app.alerts.list(q as AlertFilter), at: app.clock.now() };
  });

  /** GET /api/alerts/log?before=&limit= — every transition, newest first, for the record. */
  app.get(
    '/api/alerts/log',
    { config: { access: VIEWERS }, schema: { querystring: T.Object({ before: T.Optional(T.String({ pattern: '^\\d+-\\d+$' })), limit: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })) }), response: { 200: AlertLogSchema } } },
    async (request) => {
      const q = request.query as { before?: string; limit?: number };
      return app.alerts.log(q.before, q.limit ?? 200);
    },
  );

  app.get('/api/alerts/:id', { config: { access: VIEWERS }, schema: { params: T.Object({ id: Id }), response: { 200: AlertSchema } } }, async (request) => {
    const { id } = request.params as { id: string };
    const alert = await app.alerts.get(id);
    if (!alert) throw new HttpError(404, `no alert with id ${id}`, 'params.id');
    return alert;
  });

  /** POST /api/alerts/:id/acknowledge { note? } → 200 (again: unchanged); 409 when resolved. */
  app.post(
    '/api/alerts/:id/acknowledge',
    { config: { access: ALERT_ACKNOWLEDGERS }, schema: { params: T.Object({ id: Id }), body: AckBody, response: { 200: AlertActionSchema } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const { note } = request.body as Static<typeof AckBody>;
      const result = await app.alerts.acknowledge(id, request.user!, note);
      if (result.changed) await app.auditRequest(request, { action: 'acknowledge', target: `alert:${id}`, detail: { kind: result.alert.kind, note: note ?? null } });
      return result;
    },
  );

  /** POST /api/alerts/:id/resolve { reason, note? } → 200 (again: unchanged). */
  app.post(
    '/api/alerts/:id/resolve',
    { config: { access: ALERT_RESOLVERS }, schema: { params: T.Object({ id: Id }), body: ResolveBody, response: { 200: AlertActionSchema } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const { reason, note } = request.body as Static<typeof ResolveBody>;
      const result = await app.alerts.resolve(id, request.user!, reason, note);
      if (result.changed) await app.auditRequest(request, { action: 'resolve', target: `alert:${id}`, detail: { kind: result.alert.kind, reason, note: note ?? null } });
      return result;
    },
  );

  /** POST /api/alerts/sos { lon?, lat?, note? } — a patrol account's SOS for its own team: 201 raised, 200 one already open. */
  app.post('/api/alerts/sos', { config: { access: ['patrol'] }, schema: { body: SosBody, response: { 200: AlertActionSchema, 201: AlertActionSchema } } }, async (request, reply) => {
    const teamId = request.user!.teamId;
    if (!teamId) throw new HttpError(403, 'this patrol account belongs to no team');
    const { alert, created } = await raiseSos(app, teamId, request.body as SosRequest, 'body.');
    reply.status(created ? 201 : 200);
    return { alert, changed: created };
  });
};

export default alertRoutes;
