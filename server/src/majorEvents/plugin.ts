/**
 * Registers major events (`app.majorEvents`): the service, its views (board, replay, report:
 * `app.majorEvents.views.board(id)` is what the wall takes for an event scope), its routes, the
 * live news (`event:board` with the event's id to the maps' room whenever its board changed:
 * they reload it) and the periodic look at active events' posts (EVENT_TICK_MS).
 */
import fp from 'fastify-plugin';
import { ROOMS } from '../events.ts';
import { createEventsService, type EventsService } from './service.ts';
import { createEventViews, type EventViews } from './views.ts';
import eventRoutes from './routes.ts';
import { every } from '../periodic.ts';

declare module 'fastify' {
  interface FastifyInstance {
    majorEvents: EventsService & { views: EventViews };
  }
}

export default fp(
  async (app) => {
    const announce = (eventId: string) => app.io.to(ROOMS.dashboards).emit('event:board', { eventId, at: app.clock.now() });
    const service = createEventsService(app, announce);
    app.decorate('majorEvents', Object.assign(service, { views: createEventViews(app, service) }));
    await app.register(eventRoutes);
    every(app, app.config.eventTickMs, () => service.tick(), 'events: look at posts failed');
  },
  { name: 'majorEvents', dependencies: ['redis', 'socket', 'access', 'teams', 'scope', 'alerts', 'coverage', 'incidents', 'geography'] },
);
