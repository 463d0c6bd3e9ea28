/**
 * Registers the teams domain (`app.teams`): the team registry every other domain reads teams
 * through, the teams as assigned now (shifts overlaid), their derived status (swept every
 * second in every process, changes announced to the maps and the team's own phones), and the
 * team routes.
 */
import fp from 'fastify-plugin';
import type { TeamStatusChange } from './schemas.ts';
import { PATROL_NAMESPACE, ROOMS, teamRoom } from '../events.ts';
import { createTeamStore, type TeamStore } from './store.ts';
import { createTeamStatus, type TeamStatusService } from './status.ts';
import { createAssignedTeams, type AssignedTeams } from './assigned.ts';
import teamRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    teams: TeamStore & AssignedTeams & { status: TeamStatusService };
  }
}

const SWEEP_MS = 1000;

export default fp(
  async (app) => {
    const store = createTeamStore(app.redis, app.keys);
    const assigned = createAssignedTeams({
      listTeams: () => store.list(),
      places: () => app.geography.places.current(),
      // "Outside its assigned grids" means outside its shift's grids while it is on one.
      activeShifts: () => app.assignments.activeByTeam(),
    });
    const announce = (changes: TeamStatusChange[]) => {
      const at = app.clock.now();
      app.io.to(ROOMS.dashboards).emit('team:status', { changes, at });
      for (const change of changes) {
        const own = { changes: [change], at };
        app.io.to(teamRoom(change.teamId)).emit('team:status', own);
        app.io.of(PATROL_NAMESPACE).to(teamRoom(change.teamId)).emit('team:status', own);
      }
    };
    const status = createTeamStatus({
      redis: app.redis,
      keys: app.keys,
      now: () => app.clock.now(),
      offlineAfterMs: app.config.offlineAfterS * 1000,
      offDutyAfterMs: app.config.offDutyAfterS * 1000,
      announce,
    });
    app.decorate('teams', Object.assign(store, assigned, { status }));

    let sweeper: NodeJS.Timeout | undefined;
    let sweeping = false;
    app.addHook('onReady', async () => {
      sweeper = setInterval(() => {
        if (sweeping || !app.redis.isReady) return;
        sweeping = true;
        status
          .sweep()
          .catch((err: Error) => app.log.warn({ err: err.message }, 'team status sweep failed'))
          .finally(() => (sweeping = false));
      }, SWEEP_MS);
      sweeper.unref();
    });
    app.addHook('preClose', async () => {
      if (sweeper) clearInterval(sweeper);
    });

    await app.register(teamRoutes);
  },
  { name: 'teams', dependencies: ['redis', 'socket', 'access', 'geography'] },
);
