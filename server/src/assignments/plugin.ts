/**
 * Registers patrol assignments (排班): the service, its routes, and `assignment:changed` to the
 * dashboards and the team's own patrol sockets, through the Redis adapter, after each write.
 * Old shifts are forgotten after RETENTION_DAYS, a batch with each new one.
 */
import fp from 'fastify-plugin';
import { PATROL_NAMESPACE, ROOMS, teamRoom } from '../events.ts';
import { createAssignmentStore } from './store.ts';
import { createAssignmentsService, type AssignmentsService } from './service.ts';
import assignmentRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    assignments: AssignmentsService;
  }
}

export default fp(
  async (app) => {
    const store = createAssignmentStore(app.redis, app.keys);
    const retentionMs = app.config.retentionDays * 86_400_000;
    const service = createAssignmentsService({
      store,
      now: () => app.clock.now(),
      getTeam: (id) => app.teams.get(id),
      listTeams: () => app.teams.list(),
      timeZone: app.config.timeZone,
      // Grids and key locations from the one geography read model.
      places: () => app.geography.places.current(),
      announce({ assignment, removed, many }) {
        const forgetOld = () =>
          void service.forget(app.clock.now() - retentionMs).catch((err: Error) => app.log.warn({ err: err.message }, 'could not forget old assignments'));
        if (many) {
          // A batch: the maps hear it once, each team its own shifts.
          const at = app.clock.now();
          app.io.to(ROOMS.dashboards).emit('assignment:changed', { assignments: many, removed: [], at });
          for (const teamId of new Set(many.map((a) => a.teamId))) {
            const own = { assignments: many.filter((a) => a.teamId === teamId), removed: [], at };
            app.io.to(teamRoom(teamId)).except(ROOMS.dashboards).emit('assignment:changed', own);
            app.io.of(PATROL_NAMESPACE).to(teamRoom(teamId)).emit('assignment:changed', own);
          }
          forgetOld();
          return;
        }
        const teamId = (assignment ?? removed)!.teamId;
        const batch = { assignments: assignment ? [assignment] : [], removed: removed ? [removed.id] : [], at: app.clock.now() };
        app.io.to([ROOMS.dashboards, teamRoom(teamId)]).emit('assignment:changed', batch);
        // The team's phones: signed-in patrol pages on '/', device links on the patrol namespace.
        app.io.of(PATROL_NAMESPACE).to(teamRoom(teamId)).emit('assignment:changed', batch);
        if (assignment) forgetOld();
      },
    });
    app.decorate('assignments', service);
    await app.register(assignmentRoutes);
  },
  { name: 'assignments', dependencies: ['redis', 'socket', 'access', 'geography', 'tracking'] },
);
