/**
 * The alert panel's API. Who may call: the map's viewers list and read; dispatchers (and
 * admins) acknowledge and resolve any alert; coordinators acknowledge alerts in their area
 * (their organisation's township, or their own teams); leaders see, change nothing; a patrol
 * account raises an SOS for its own team.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VIEWERS, type Role } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { raiseSos } from './sos.ts';
import { AcknowledgeBody, AlertActionSchema, AlertIdParams, AlertListQuery, AlertLogQuery, AlertLogSchema, AlertSchema, AlertsResponseSchema, ResolveBody, SosBody } from './schemas.ts';

/** Acknowledge (确认): dispatchers and admins any alert, coordinators those in their area. */
export const ALERT_ACKNOWLEDGERS: readonly Role[] = ['admin', 'dispatcher', 'coordinator'];
/** Resolve by hand: the command centre. */
export const ALERT_RESOLVERS: readonly Role[] = ['admin', 'dispatcher'];

const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** GET /api/alerts?state=open|resolved|all&kind=&level=&townshipId=&limit= — most urgent first. */
  app.get('/api/alerts', { config: { access: VIEWERS }, schema: { querystring: AlertListQuery, response: { 200: AlertsResponseSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return { alerts: await app.alerts.list(request.query), at: app.clock.now() };
  });

  /** GET /api/alerts/log?before=&limit= — every transition, newest first, for the record. */
  app.get(
    '/api/alerts/log',
    { config: { access: VIEWERS }, schema: { querystring: AlertLogQuery, response: { 200: AlertLogSchema } } },
    async (request) => app.alerts.log(request.query.before, request.query.limit ?? 200),
  );

  app.get('/api/alerts/:id', { config: { access: VIEWERS }, schema: { params: AlertIdParams, response: { 200: AlertSchema } } }, async (request) => {
    const { id } = request.params;
    const alert = await app.alerts.get(id);
    if (!alert) throw new HttpError(404, `no alert with id ${id}`, 'params.id');
    return alert;
  });

  /** POST /api/alerts/:id/acknowledge { note? } → 200 (again: unchanged); 409 when resolved. */
  app.post(
    '/api/alerts/:id/acknowledge',
    { config: { access: ALERT_ACKNOWLEDGERS }, schema: { params: AlertIdParams, body: AcknowledgeBody, response: { 200: AlertActionSchema } } },
    async (request) => {
      const { id } = request.params;
      const { note } = request.body;
      const result = await app.alerts.acknowledge(id, request.user!, note);
      if (result.changed) await app.auditRequest(request, { action: 'acknowledge', target: `alert:${id}`, detail: { kind: result.alert.kind, note: note ?? null } });
      return result;
    },
  );

  /** POST /api/alerts/:id/resolve { reason, note? } → 200 (again: unchanged). */
  app.post(
    '/api/alerts/:id/resolve',
    { config: { access: ALERT_RESOLVERS }, schema: { params: AlertIdParams, body: ResolveBody, response: { 200: AlertActionSchema } } },
    async (request) => {
      const { id } = request.params;
      const { reason, note } = request.body;
      const result = await app.alerts.resolve(id, request.user!, reason, note);
      if (result.changed) await app.auditRequest(request, { action: 'resolve', target: `alert:${id}`, detail: { kind: result.alert.kind, reason, note: note ?? null } });
      return result;
    },
  );

  /** POST /api/alerts/sos { lon?, lat?, note? } — a patrol account's SOS for its own team: 201 raised, 200 one already open. */
  app.post('/api/alerts/sos', { config: { access: ['patrol'] }, schema: { body: SosBody, response: { 200: AlertActionSchema, 201: AlertActionSchema } } }, async (request, reply) => {
    const teamId = request.user!.teamId;
    if (!teamId) throw new HttpError(403, 'this patrol account belongs to no team');
    const { alert, created } = await raiseSos(app, teamId, request.body, 'body.');
    reply.status(created ? 201 : 200);
    return { alert, changed: created };
  });
};

export default alertRoutes;
