/**
 * `patrol:shifts`: the patrol page asks for its own team's shift in force and the next one, named
 * (grids and key locations), so the phone shows when and where it patrols. A socket reads only
 * its own team's shifts: a device its registered team (re-checked for revocation), a patrol
 * account its account's team.
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io';
import { HttpError, ackProblem } from '../plugins/errors.ts';
import { PATROL_NAMESPACE, type ClientToServerEvents, type InterServerEvents, type PatrolShift, type ServerToClientEvents, type SocketData } from '../events.ts';

type PatrolSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type Ack = (res: unknown) => void;

export function registerShiftEvents(app: FastifyInstance): void {
  const reply = (ack: unknown, res: unknown) => {
    if (typeof ack === 'function') (ack as Ack)(res);
  };

  async function teamOf(socket: PatrolSocket): Promise<string> {
    const device = socket.data.device;
    if (device) {
      if ((await app.devices.store.byHash(device.hash)).status !== 'ok') throw new HttpError(403, 'auth.device names a revoked device', 'auth.device');
      return device.teamId;
    }
    const user = socket.data.user;
    if (user?.role === 'patrol' && user.teamId) return user.teamId;
    throw new HttpError(403, 'only a patrol account or a registered device reads its shifts');
  }

  function onConnection(socket: PatrolSocket): void {
    socket.on('patrol:shifts', async (ack) => {
      try {
        const teamId = await teamOf(socket);
        const at = app.clock.now();
        // The team's shifts not ended by now, earliest first: the one in force (if any) and the next.
        const ahead = await app.assignments.list(at, teamId);
        const current = ahead.find((a) => a.from <= at) ?? null;
        const next = ahead.find((a) => a.from > at) ?? null;
        const { raw } = await app.geography.snapshot();
        const gridNames = new Map(raw.grids.map((g) => [g.id, g.name]));
        const locationNames = new Map(raw.locations.map((l) => [l.id, l.name]));
        const named = (a: (typeof ahead)[number] | null): PatrolShift | null =>
          a && {
            id: a.id,
            from: a.from,
            to: a.to,
            grids: a.gridIds.map((id) => ({ id, name: gridNames.get(id) ?? id })),
            locations: a.locationIds.map((id) => ({ id, name: locationNames.get(id) ?? id })),
            ...(a.note ? { note: a.note } : {}),
          };
        reply(ack, { data: { current: named(current), next: named(next), at } });
      } catch (err) {
        if (err instanceof HttpError) return reply(ack, { error: ackProblem(err) });
        app.log.error({ err }, 'patrol:shifts failed');
        reply(ack, { error: { message: 'internal error, retry', code: 'server_error' } });
      }
    });
  }

  app.io.of(PATROL_NAMESPACE).on('connection', onConnection);
  app.io.on('connection', (socket) => {
    // Signed-in patrol accounts on the main namespace: same event, their own team.
    if (socket.data.user?.role === 'patrol') onConnection(socket);
  });
}
