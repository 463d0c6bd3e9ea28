/**
 * The patrol page's order events (on `/patrol` and, for signed-in patrol accounts, on `/`):
 * `patrol:orders` lists its team's open orders (on connect: orders sent while it was offline);
 * `order:received` and `order:read` record its receipts, in Redis before the ack. A socket acts
 * only for its own team; payloads are validated like HTTP bodies.
 */
import type { FastifyInstance } from 'fastify';
import { failWith, invalidPayload, patrolTeamOf, reply, type PatrolSocket } from './socketKit.ts';
import { PATROL_NAMESPACE } from '../events.ts';
import { strict } from '../plugins/strict.ts';
import { ReceiptPayload } from '../orders/schemas.ts';

const Receipt = strict(ReceiptPayload);

export function registerOrderEvents(app: FastifyInstance): void {
  const fail = failWith(app, 'patrol order event failed');
  const teamOf = async (socket: PatrolSocket) => (await patrolTeamOf(app, socket, 'only a patrol account or a registered device receives orders')).teamId;

  function onConnection(socket: PatrolSocket): void {
    socket.on('patrol:orders', async (ack) => {
      try {
        reply(ack, { data: { orders: await app.orders.openForTeam(await teamOf(socket)) } });
      } catch (err) {
        fail(ack, err);
      }
    });
    for (const [event, step] of [['order:received', 'recv'], ['order:read', 'read']] as const) {
      socket.on(event, async (payload, ack) => {
        try {
          const teamId = await teamOf(socket);
          const e = Receipt.error(payload);
          if (e) return reply(ack, invalidPayload(e));
          reply(ack, { data: await app.orders.mark(payload.orderId, teamId, step) });
        } catch (err) {
          fail(ack, err);
        }
      });
    }
  }

  app.io.of(PATROL_NAMESPACE).on('connection', onConnection);
  app.io.on('connection', (socket) => {
    if (socket.data.user?.role === 'patrol') onConnection(socket);
  });
}
