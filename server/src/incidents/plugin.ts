/**
 * Registers the incident service (`app.incidents`), its routes, the public help form, the
 * late-step sweep, and the live feed: `incident:changed` to the scope rooms of those who may
 * see each incident (scope/rule.ts), coalesced per BROADCAST_TICK_MS (through the Redis
 * adapter, so a map on any server process hears it), and at once to the rooms of the teams concerned.
 */
import fp from 'fastify-plugin';
import { ConfigError } from '../config.ts';
import { PATROL_NAMESPACE, readOnlyRoom, teamRoom } from '../events.ts';
import { LatestByKey } from '../live/coalescer.ts';
import { groupByRooms } from '../live/byRooms.ts';
import { roomsOfPlaced } from '../scope/rule.ts';
import type { IncidentView } from './schemas.ts';
import { createIncidentStore, type IncidentStore } from './store.ts';
import { createIncidentsService, type IncidentsService } from './service.ts';
import incidentRoutes from './routes.ts';
import { withoutReporter } from './withoutReporter.ts';
import exportRoutes from './exportRoutes.ts';
import publicRoutes from './publicRoutes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    incidents: IncidentsService & { store: IncidentStore };
  }
}

export default fp(
  async (app) => {
    const { incidentTickMs } = app.config;
    if (incidentTickMs > 0 && incidentTickMs < 100) throw new ConfigError('INCIDENT_TICK_MS', `must be 0 (off) or at least 100, got ${incidentTickMs}`);
    const store = createIncidentStore(app.redis, app.keys, app.config.timeZone);
    // Reporter names and phones travel only to those whose area holds the incident. The team's
    // organisation comes from the teams last loaded: the incident's checks loaded its team.
    const send = (changed: { incident: IncidentView; createdBy: string }[], at: number) => {
      const teams = app.teams.cachedAssigned();
      const groups = groupByRooms(changed, ({ incident, createdBy }) => roomsOfPlaced({ townshipId: incident.townshipId, teamId: incident.teamId, createdBy }, teams));
      for (const { rooms, items } of groups) {
        const incidents = items.map((c) => c.incident);
        app.io.to(rooms).emit('incident:changed', { incidents, at });
        app.io.to(rooms.map(readOnlyRoom)).emit('incident:changed', { incidents: incidents.map(withoutReporter), at });
      }
    };
    const feed = new LatestByKey<{ incident: IncidentView; createdBy: string }>(send, () => app.clock.now(), app.config.broadcastTickMs);
    const service = createIncidentsService({
      store,
      geography: app.geography.places,
      roster: app.teams,
      alerts: app.alerts,
      now: () => app.clock.now(),
      log: app.log,
      retentionMs: app.config.retentionDays * 86_400_000,
      mediationRoom: (id) => app.mediation.rooms.get(id),
      async teamChanged(teamId) {
        await app.teams.status.sweep(teamId);
      },
      publish(incident, teams, createdBy) {
        feed.set(incident.id, { incident, createdBy });
        const batch = { incidents: [incident], at: app.clock.now() };
        for (const teamId of teams) {
          app.io.to(teamRoom(teamId)).emit('incident:changed', batch);
          app.io.of(PATROL_NAMESPACE).to(teamRoom(teamId)).emit('incident:changed', batch);
        }
      },
    });
    app.decorate('incidents', Object.assign(service, { store }));

    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let sweeping = false;
    app.addHook('onReady', async () => {
      feed.start();
      if (incidentTickMs > 0) {
        timer = setInterval(() => {
          if (sweeping || stopped || !app.redis.isReady) return;
          sweeping = true;
          service
            .sweep()
            .catch((err: Error) => app.log.warn({ err: err.message }, 'incidents: sweep failed'))
            .finally(() => (sweeping = false));
        }, incidentTickMs);
        timer.unref();
      }
    });
    app.addHook('preClose', async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      feed.stop();
    });

    await app.register(incidentRoutes);
    await app.register(exportRoutes);
    await app.register(publicRoutes);
  },
  { name: 'incidents', dependencies: ['redis', 'socket', 'access', 'geography', 'teams', 'tracking', 'tracking-ingest', 'devices', 'alerts', 'mediation'] },
);
