/**
 * The patrol page's incident events, on `/patrol` (a device link: its team) and on `/` (a
 * signed-in patrol account: its team): report an incident seen on patrol, list the open
 * incidents dispatched to the team, accept / arrive / resolve / escalate them. Payloads are
 * validated like HTTP bodies; a socket acts only for its own team.
 */
import type { FastifyInstance } from 'fastify';
import { Type as T } from '@sinclair/typebox';
import { HttpError } from '../plugins/errors.ts';
import { PATROL_NAMESPACE } from '../events.ts';
import { failWith, invalidPayload, patrolTeamOf, reply, type PatrolSocket } from './socketKit.ts';
import { strict } from '../plugins/strict.ts';
import type { IncidentActor } from '../incidents/service.ts';
import { reportPoint } from '../incidents/reportPoint.ts';
import { CreateBody, Note } from '../incidents/schemas.ts';


const Report = strict(CreateBody);
const Step = strict(
  T.Object({
    incidentId: T.String({ minLength: 1, maxLength: 64 }),
    action: T.Union([T.Literal('accept'), T.Literal('arrive'), T.Literal('resolve'), T.Literal('escalate')]),
    note: T.Optional(Note),
  }),
);

export function registerIncidentEvents(app: FastifyInstance): void {
  const fail = failWith(app, 'patrol incident event failed');

  /** The team the socket acts for, and as whom. */
  async function actorOf(socket: PatrolSocket): Promise<{ teamId: string; actor: IncidentActor }> {
    const { teamId, device } = await patrolTeamOf(app, socket, 'only a patrol account or a registered device acts on incidents');
    if (device) return { teamId, actor: { kind: 'team', teamId, name: (await app.teams.get(teamId))?.callSign ?? teamId } };
    return { teamId, actor: { kind: 'user', user: socket.data.user! } };
  }

  function onConnection(socket: PatrolSocket): void {
    socket.on('patrol:incident:report', async (payload, ack) => {
      try {
        const { teamId, actor } = await actorOf(socket);
        const e = Report.error(payload);
        if (e) return reply(ack, invalidPayload(e));
        const point = await reportPoint(app, teamId, payload, '');
        const result = await app.incidents.create({ ...payload, ...point }, actor, 'patrol');
        if (result.created) {
          await app.audit.record({
            at: app.clock.now(),
            actor: actor.kind === 'user' ? actor.user.username : `device:${socket.data.device?.id ?? ''}`,
            role: 'patrol',
            action: 'incident_create',
            target: `incident:${result.incident.id}`,
            ip: socket.handshake.address,
            detail: { category: result.incident.category, teamId },
          });
        }
        reply(ack, { data: result });
      } catch (err) {
        fail(ack, err);
      }
    });

    socket.on('patrol:incidents', async (ack) => {
      try {
        const { teamId } = await actorOf(socket);
        reply(ack, { data: { incidents: await app.incidents.openForTeam(teamId) } });
      } catch (err) {
        fail(ack, err);
      }
    });

    socket.on('patrol:incident:step', async (payload, ack) => {
      try {
        const { actor } = await actorOf(socket);
        const e = Step.error(payload);
        if (e) return reply(ack, invalidPayload(e));
        if (payload.action === 'escalate' && !payload.note?.trim()) throw new HttpError(400, 'note is required: why it is passed up', 'note');
        const body = payload.action === 'escalate' ? { reason: payload.note } : { note: payload.note };
        reply(ack, { data: await app.incidents.step(payload.incidentId, payload.action, actor, body) });
      } catch (err) {
        if (err instanceof HttpError && err.field === 'params.id') err = new HttpError(err.statusCode, err.message, 'incidentId');
        fail(ack, err);
      }
    });
  }

  app.io.of(PATROL_NAMESPACE).on('connection', onConnection);
  app.io.on('connection', (socket) => {
    if (socket.data.user?.role === 'patrol') onConnection(socket);
  });
}
