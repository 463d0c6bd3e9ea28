/**
 * The patrol page's order events (on `/patrol` and, for signed-in patrol accounts, on `/`):
 * `patrol:orders` lists its team's open orders (on connect: orders sent while it was offline);
 * `order:received` and `order:read` record its receipts, in Redis before the ack. A socket acts
 * only for its own team; payloads are validated like HTTP bodies.
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io';
import { HttpError, ackProblem } from '../plugins/errors.ts';
import { PATROL_NAMESPACE, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents, type SocketData } from '../events.ts';
import { strict } from '../plugins/strict.ts';
import { ReceiptPayload } from '../orders/schemas.ts';

type PatrolSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type Ack = (res: unknown) => void;
const Receipt = strict(ReceiptPayload);

export function registerOrderEvents(app: FastifyInstance): void {
  const reply = (ack: unknown, res: unknown) => {
    if (typeof ack === 'function') (ack as Ack)(res);
  };
  const fail = (ack: unknown, err: unknown) => {
    if (err instanceof HttpError) return reply(ack, { error: ackProblem(err) });
    app.log.error({ err }, 'patrol order event failed');
    reply(ack, { error: { message: 'internal error, retry', code: 'server_error' } });
  };

  async function teamOf(socket: PatrolSocket): Promise<string> {
    const device = socket.data.device;
    if (device) {
      if ((await app.devices.store.byHash(device.hash)).status !== 'ok') throw new HttpError(403, 'auth.device names a revoked device', 'auth.device');
      return device.teamId;
    }
    const user = socket.data.user;
    if (user?.role === 'patrol' && user.teamId) return user.teamId;
    throw new HttpError(403, 'only a patrol account or a registered device receives orders');
  }

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
          if (e) return reply(ack, { error: { message: `${e.path || 'payload'} ${e.message}`, field: e.path || undefined, code: 'invalid' } });
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
