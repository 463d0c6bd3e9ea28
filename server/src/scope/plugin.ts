/**
 * Registers the scope rule (`app.scope`, rule.ts) and puts every viewer's socket on the main
 * namespace in the scope rooms of its area, so incidents and check-ins reach only those allowed
 * to see them. Its own plugin, after the geography and the teams it reads: the access plugin,
 * registered before them, authenticates the socket (socket.data.user) first.
 */
import fp from 'fastify-plugin';
import { VIEWERS } from '../access/roles.ts';
import { readOnlyRoom } from '../events.ts';
import { createScope, type Scope } from './rule.ts';

declare module 'fastify' {
  interface FastifyInstance {
    scope: Scope;
  }
}

export default fp(
  async (app) => {
    const scope = createScope({ geography: app.geography.places, roster: app.teams });
    app.decorate('scope', scope);

    // Runs after the access layer's handshake check (middlewares run in order of `use`), and is
    // resolved before the socket counts as connected, so it hears everything sent after 'connect'.
    app.io.use(async (socket, next) => {
      const { user } = socket.data;
      if (!user || !VIEWERS.includes(user.role)) return next();
      try {
        socket.data.scopeRooms = await scope.roomsOf(user);
        next();
      } catch {
        next(new Error('unavailable'));
      }
    });
    // A change of role or organisation disconnects the user's sockets (access service), so the
    // rooms are never stale: the new socket joins those of the new area.
    app.io.on('connection', (socket) => {
      const rooms = socket.data.scopeRooms;
      if (rooms && rooms.length > 0) void socket.join(socket.data.readOnly ? rooms.map(readOnlyRoom) : rooms);
    });
  },
  { name: 'scope', dependencies: ['socket', 'access', 'geography', 'teams'] },
);
