/**
 * What every patrol socket event does alike: answer its acknowledgement (if the client sent one),
 * turn a refusal into the ack's problem (a bug into a logged, generic one), word a payload that
 * fails its schema, and find the team the socket acts for.
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io';
import { HttpError, ackProblem } from '../plugins/errors.ts';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../events.ts';

export type PatrolSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Answers the acknowledgement, when the client asked for one. */
export function reply(ack: unknown, res: unknown): void {
  if (typeof ack === 'function') (ack as (res: unknown) => void)(res);
}

/** An ack handler for failures: a refusal as its problem, anything else logged as `what` and answered "retry". */
export function failWith(app: FastifyInstance, what: string) {
  return (ack: unknown, err: unknown): void => {
    if (err instanceof HttpError) return reply(ack, { error: ackProblem(err) });
    app.log.error({ err }, what);
    reply(ack, { error: { message: 'internal error, retry', code: 'server_error' } });
  };
}

/** The ack's problem for a payload that fails its schema, naming the field. */
export function invalidPayload(e: { path: string; message: string }) {
  return { error: { message: `${e.path || 'payload'} ${e.message}`, field: e.path || undefined, code: 'invalid' } };
}

/**
 * The team a socket acts for: a device link's registered team (re-checked, so a revoked device
 * stops at once) or a patrol account's team; 403 with `refusal` for anyone else.
 */
export async function patrolTeamOf(app: FastifyInstance, socket: PatrolSocket, refusal: string): Promise<{ teamId: string; device: SocketData['device'] }> {
  const device = socket.data.device;
  if (device) {
    if ((await app.devices.store.byHash(device.hash)).status !== 'ok') throw new HttpError(403, 'auth.device names a revoked device', 'auth.device');
    return { teamId: device.teamId, device };
  }
  const user = socket.data.user;
  if (user?.role === 'patrol' && user.teamId) return { teamId: user.teamId, device: undefined };
  throw new HttpError(403, refusal);
}
