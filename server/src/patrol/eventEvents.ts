/**
 * The patrol page's major-event events (on `/patrol` and, for signed-in patrol accounts, on `/`):
 * `patrol:posts` lists the posts its team is assigned to in events under way; `post:checkin`
 * checks the team in at one (a post is a check-in place), stored before the ack and once per
 * client id. A socket acts only for its own team; payloads are validated like HTTP bodies.
 */
import type { FastifyInstance } from 'fastify';
import { failWith, invalidPayload, patrolTeamOf, reply, type PatrolSocket } from './socketKit.ts';
import { PATROL_NAMESPACE } from '../events.ts';
import { strict } from '../plugins/strict.ts';
import { PatrolPostCheckInPayload } from '../majorEvents/schemas.ts';

const CheckIn = strict(PatrolPostCheckInPayload);

export function registerEventEvents(app: FastifyInstance): void {
  const fail = failWith(app, 'patrol event check-in failed');
  const actor = async (socket: PatrolSocket) => {
    const { teamId, device } = await patrolTeamOf(app, socket, 'only a patrol account or a registered device checks in at posts');
    return { teamId, by: device ? `device:${device.id}` : (socket.data.user?.username ?? teamId) };
  };

  function onConnection(socket: PatrolSocket): void {
    socket.on('patrol:posts', async (ack) => {
      try {
        reply(ack, { data: { posts: await app.majorEvents.postsForTeam((await actor(socket)).teamId) } });
      } catch (err) {
        fail(ack, err);
      }
    });
    socket.on('post:checkin', async (payload, ack) => {
      try {
        const { teamId, by } = await actor(socket);
        const e = CheckIn.error(payload);
        if (e) return reply(ack, invalidPayload(e));
        reply(ack, { data: await app.majorEvents.checkInTeam(payload.eventId, payload.postId, payload.id, teamId, by) });
      } catch (err) {
        fail(ack, err);
      }
    });
  }

  app.io.of(PATROL_NAMESPACE).on('connection', onConnection);
  app.io.on('connection', (socket) => {
    if (socket.data.user?.role === 'patrol') onConnection(socket);
  });
}
