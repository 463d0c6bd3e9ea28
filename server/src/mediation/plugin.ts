/**
 * Registers the mediation records (`app.mediation`): the rooms and centres that mediate disputes
 * (调解室/中心) and the statistics of what each recorded. The records themselves are steps of the
 * disputes (incidents/transitions.ts checks the room); they are counted by the incident write
 * script through the reports' tally (tally.ts), so this plugin only reads.
 */
import fp from 'fastify-plugin';
import { createRoomStore, type RoomStore } from './store.ts';
import mediationRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mediation: { rooms: RoomStore };
  }
}

export default fp(
  async (app) => {
    app.decorate('mediation', { rooms: createRoomStore(app.redis, app.keys) });
    await app.register(mediationRoutes);
  },
  { name: 'mediation', dependencies: ['redis', 'access', 'geography'] },
);
