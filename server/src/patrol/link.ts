/**
 * The patrol page's socket link. On `/patrol` it may authenticate with a device identifier
 * (`io('/patrol', { auth: { device } })`) or a patrol account's session cookie; on `/` a
 * signed-in patrol account may use the same events (the access plugin checked its session).
 * Either way the socket joins its own team's room (and a device its device's room, so revoking
 * the device cuts it).
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io';
import type { SessionUser } from '../access/roles.ts';
import { SESSION_COOKIE } from '../access/session.ts';
import { deviceRoom, PATROL_NAMESPACE, teamRoom, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents, type SocketData } from '../events.ts';

type PatrolSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export function authenticatePatrolLinks(app: FastifyInstance): void {
  const patrol = app.io.of(PATROL_NAMESPACE);

  patrol.use(async (socket, next) => {
    try {
      const identifier = (socket.handshake.auth as { device?: unknown } | undefined)?.device;
      if (typeof identifier === 'string') {
        const auth = await app.devices.store.authenticate(identifier);
        if (auth.status !== 'ok') {
          app.log.warn({ source: 'socket', status: auth.status }, 'patrol socket from an unknown or revoked device refused');
          await app.redis.hIncrBy(app.keys.ingestStats, `rejected:socket:${auth.status === 'unknown' ? 401 : 403}`, 1).catch(() => {});
          return next(new Error(auth.status === 'unknown' ? 'unknown device' : 'revoked device'));
        }
        const team = await app.teams.get(auth.teamId);
        const stored = await app.devices.store.get(auth.deviceId);
        socket.data.device = { id: auth.deviceId, teamId: auth.teamId, hash: auth.hash };
        // The device acts as a patrol account of its team.
        const user: SessionUser = { id: `device:${auth.deviceId}`, username: `device:${auth.deviceId}`, name: stored?.memberName ?? '', role: 'patrol', organisationId: team?.organisationId ?? null, teamId: auth.teamId };
        socket.data.user = user;
        return next();
      }
      const token = app.parseCookie(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
      const user = await app.access.userForToken(token);
      if (!user || user.role !== 'patrol' || !user.teamId) return next(new Error('unauthorized'));
      socket.data.user = user;
      next();
    } catch {
      next(new Error('unavailable'));
    }
  });

  function joinRooms(socket: PatrolSocket): void {
    const device = socket.data.device;
    const user = socket.data.user;
    const teamId = device?.teamId ?? (user?.role === 'patrol' ? user.teamId : null);
    if (teamId) void socket.join(teamRoom(teamId));
    if (device) void socket.join(deviceRoom(device.id));
  }

  patrol.on('connection', joinRooms);
  app.io.on('connection', (socket) => {
    if (socket.data.user?.role === 'patrol') joinRooms(socket);
  });
}
